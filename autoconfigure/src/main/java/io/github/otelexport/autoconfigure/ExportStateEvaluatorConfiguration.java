package io.github.otelexport.autoconfigure;

import java.time.Clock;

import io.github.otelexport.actuate.ExportStateEvaluator;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one {@link ExportStateEvaluator} that the health indicator and the endpoint share,
 * so both tell the same state. Imported by both auto-configurations, since either may be
 * switched off alone, and only where they require the {@link OtelExportSettings} it
 * reads; a user's (or a test's) evaluator, with its own clock, replaces it.
 *
 * @author otel-export authors
 */
@Configuration(proxyBeanMethods = false)
class ExportStateEvaluatorConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ExportStateEvaluator otelExportStateEvaluator(OtelExportSettings settings) {
		return new ExportStateEvaluator(settings.health().gracePeriod(), Clock.systemUTC());
	}

}
