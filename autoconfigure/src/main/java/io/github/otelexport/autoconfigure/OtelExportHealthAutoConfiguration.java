package io.github.otelexport.autoconfigure;

import io.github.otelexport.actuate.ExportStateEvaluator;
import io.github.otelexport.actuate.OtelExportHealthIndicator;
import io.github.otelexport.stats.ExportStatistics;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of the {@code otelExport} health indicator, switched by
 * {@code management.health.otelexport.enabled}. It reports {@code DOWN} only with
 * {@code otel.export.health.report-down}, and considers log records too when they are
 * exported ({@link OtelExportLogsAutoConfiguration}).
 *
 * @author otel-export authors
 */
@AutoConfiguration(after = OtelExportAutoConfiguration.class,
		beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean({ ExportStatistics.class, OtelExportSettings.class })
@ConditionalOnEnabledHealthIndicator("otelexport")
@Import(ExportStateEvaluatorConfiguration.class)
public final class OtelExportHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "otelExportHealthIndicator")
	OtelExportHealthIndicator otelExportHealthIndicator(ExportStatistics statistics, ExportStateEvaluator evaluator,
			OtelExportSettings settings, ObjectProvider<OtelExportLogRecordProcessor> logs) {
		OtelExportLogRecordProcessor logPipeline = logs.getIfAvailable();
		return new OtelExportHealthIndicator(statistics::snapshot,
				(logPipeline != null) ? logPipeline.statistics()::snapshot : null, evaluator,
				settings.health().reportDown());
	}

}
