package io.github.otelexport.autoconfigure;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.OpenTelemetrySdkBuilder;
import io.opentelemetry.sdk.logs.LogRecordProcessor;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.SdkLoggerProviderBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.SpanProcessor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of a plain OpenTelemetry SDK for applications without Spring Boot's
 * OpenTelemetry tracing auto-configuration: an {@link SdkTracerProvider} with the
 * application's span processors (ours, or a {@code BatchSpanProcessor} of the
 * application's that ours backed off for), an {@link SdkLoggerProvider} with the log
 * record processors when ours is defined ({@code otel.export.logs.enabled}) and, when
 * there is no {@link OpenTelemetry} bean, an {@link OpenTelemetrySdk}. With Spring Boot's
 * tracing auto-configuration present, its beans win and these back off.
 *
 * @author otel-export authors
 */
@AutoConfiguration(after = { OtelExportAutoConfiguration.class, OtelExportLogsAutoConfiguration.class }, afterName = {
		"org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
		"org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration",
		BootBatchProcessorRemover.BOOT_LOGGING_AUTO_CONFIGURATION })
@ConditionalOnClass({ OpenTelemetrySdk.class, SdkTracerProvider.class })
@ConditionalOnEnabledOtelExport
@ConditionalOnBean(SpanProcessor.class)
public final class OtelExportSdkAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SdkTracerProvider otelExportSdkTracerProvider(ObjectProvider<SpanProcessor> spanProcessors,
			ObjectProvider<Resource> resource) {
		SdkTracerProviderBuilder builder = SdkTracerProvider.builder()
			.setResource(resource.getIfAvailable(Resource::getDefault));
		spanProcessors.orderedStream().forEach(builder::addSpanProcessor);
		return builder.build();
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(OtelExportLogRecordProcessor.class)
	SdkLoggerProvider otelExportSdkLoggerProvider(ObjectProvider<LogRecordProcessor> logRecordProcessors,
			ObjectProvider<Resource> resource) {
		SdkLoggerProviderBuilder builder = SdkLoggerProvider.builder()
			.setResource(resource.getIfAvailable(Resource::getDefault));
		logRecordProcessors.orderedStream().forEach(builder::addLogRecordProcessor);
		return builder.build();
	}

	@Bean
	@ConditionalOnMissingBean(OpenTelemetry.class)
	OpenTelemetrySdk otelExportOpenTelemetrySdk(SdkTracerProvider sdkTracerProvider,
			ObjectProvider<SdkLoggerProvider> sdkLoggerProvider, ObjectProvider<ContextPropagators> propagators) {
		OpenTelemetrySdkBuilder builder = OpenTelemetrySdk.builder()
			.setTracerProvider(sdkTracerProvider)
			.setPropagators(propagators
				.getIfAvailable(() -> ContextPropagators.create(W3CTraceContextPropagator.getInstance())));
		sdkLoggerProvider.ifAvailable(builder::setLoggerProvider);
		return builder.build();
	}

}
