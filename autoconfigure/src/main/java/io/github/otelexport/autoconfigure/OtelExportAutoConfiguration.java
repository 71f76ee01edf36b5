package io.github.otelexport.autoconfigure;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the resilient export pipeline from {@code otel.export.*}: the
 * resolved destinations, the resilient exporter around the OTLP exporters, and the batch
 * span processor in front of it.
 *
 * @author otel-export authors
 */
@AutoConfiguration(
		beforeName = "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
		afterName = "org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration")
@ConditionalOnClass({ SpanExporter.class, OtlpGrpcSpanExporter.class, OtlpHttpSpanExporter.class })
@ConditionalOnBooleanProperty(name = "otel.export.enabled", matchIfMissing = true)
@EnableConfigurationProperties(OtelExportProperties.class)
public final class OtelExportAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	OtelExportDestinations otelExportDestinations(OtelExportProperties properties, Environment environment,
			ObjectProvider<SslBundles> sslBundles) {
		OtelExportPropertiesValidator.validate(properties);
		DestinationResolver resolver = new DestinationResolver(new OtlpEnvironmentVariables(environment),
				new TlsSettingsResolver(sslBundles.getIfAvailable()));
		return resolver.resolve(properties);
	}

}
