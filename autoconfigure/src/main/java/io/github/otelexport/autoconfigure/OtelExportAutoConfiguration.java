package io.github.otelexport.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import io.github.otelexport.export.BatchSettings;
import io.github.otelexport.export.Endpoints;
import io.github.otelexport.export.ExportListener;
import io.github.otelexport.export.ExportPipeline;
import io.github.otelexport.export.ExportStatistics;
import io.github.otelexport.export.ExporterSettings;
import io.github.otelexport.export.OtlpExporterFactory;
import io.github.otelexport.export.ResilientSpanExporter;
import io.github.otelexport.export.ResilientSpanExporterBuilder;
import io.github.otelexport.export.RetryPolicy;
import io.micrometer.tracing.exporter.SpanExportingPredicate;
import io.micrometer.tracing.exporter.SpanFilter;
import io.micrometer.tracing.exporter.SpanReporter;
import io.micrometer.tracing.otel.bridge.CompositeSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the resilient export pipeline from {@code otel.export.*}: the
 * resolved destinations, the resilient exporter around the primary and fallback OTLP
 * exporters (which are never beans themselves), its statistics, and the
 * {@link BatchSpanProcessor} in front of it. Because it defines the
 * {@code BatchSpanProcessor} bean, Spring Boot's own {@code otelSpanProcessor} backs off,
 * so spans from Micrometer Observation and from the OpenTelemetry API both take this
 * path, exactly once.
 *
 * @author otel-export authors
 */
@AutoConfiguration(
		beforeName = "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
		afterName = "org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration")
@ConditionalOnClass({ SpanExporter.class, OtlpGrpcSpanExporter.class, OtlpHttpSpanExporter.class })
@ConditionalOnEnabledOtelExport
@EnableConfigurationProperties(OtelExportProperties.class)
public final class OtelExportAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	OtelExportDestinations otelExportDestinations(OtelExportProperties properties, Environment environment,
			ObjectProvider<SslBundles> sslBundles) {
		DestinationResolver resolver = new DestinationResolver(new OtlpEnvironmentVariables(environment),
				new TlsSettingsResolver(sslBundles.getIfAvailable()));
		return resolver.resolve(properties);
	}

	@Bean
	@ConditionalOnMissingBean
	ResilientSpanExporter otelExportSpanExporter(OtelExportProperties properties, OtelExportDestinations destinations,
			ObjectProvider<OtelExportGrpcExporterCustomizer> grpcCustomizers,
			ObjectProvider<OtelExportHttpExporterCustomizer> httpCustomizers,
			ObjectProvider<ExportListener> listeners) {
		// Checked where the settings are used rather than with the destinations, so that
		// an application's own OtelExportDestinations bean does not skip the check
		OtelExportPropertiesValidator.validate(properties);
		List<OtelExportGrpcExporterCustomizer> grpc = grpcCustomizers.orderedStream().toList();
		List<OtelExportHttpExporterCustomizer> http = httpCustomizers.orderedStream().toList();
		Function<ExporterSettings, SpanExporter> exporters = (settings) -> OtlpExporterFactory.create(settings,
				(builder) -> grpc.forEach((customizer) -> customizer.customize(builder)),
				(builder) -> http.forEach((customizer) -> customizer.customize(builder)));
		ExporterSettings primary = destinations.primary();
		Duration attemptTimeout = primary.timeout();
		ResilientSpanExporterBuilder builder = ResilientSpanExporter
			.builder(exporters.apply(primary), primary.description())
			.retryPolicy(retryPolicy(properties.getRetry()))
			.failureThreshold(properties.getFallback().getFailureThreshold())
			.probeInterval(properties.getFallback().getProbeInterval())
			.recentErrors(properties.getDiagnostics().getRecentErrors())
			.redactSecrets(primary.secretHeaderValues());
		ExporterSettings fallback = destinations.fallback().orElse(null);
		if (fallback != null) {
			builder.fallback(exporters.apply(fallback), fallback.description())
				.redactSecrets(fallback.secretHeaderValues());
			attemptTimeout = max(attemptTimeout, fallback.timeout());
		}
		listeners.orderedStream().forEach(builder::addListener);
		return builder.attemptTimeout(attemptTimeout).build();
	}

	@Bean
	@ConditionalOnMissingBean
	ExportStatistics otelExportStatistics(ResilientSpanExporter otelExportSpanExporter) {
		return otelExportSpanExporter.statistics();
	}

	private static RetryPolicy retryPolicy(OtelExportProperties.Retry retry) {
		return RetryPolicy.builder()
			.enabled(retry.isEnabled())
			.maxAttempts(retry.getMaxAttempts())
			.initialBackoff(retry.getInitialBackoff())
			.maxBackoff(retry.getMaxBackoff())
			.multiplier(retry.getMultiplier())
			.jitter(retry.getJitter())
			.maxElapsedTime(retry.getMaxElapsedTime())
			.build();
	}

	private static Duration max(Duration a, Duration b) {
		return (a.compareTo(b) >= 0) ? a : b;
	}

	@Bean
	@ConditionalOnMissingBean(name = "otelExportSpanCounter")
	SpanProcessor otelExportSpanCounter(ResilientSpanExporter otelExportSpanExporter) {
		return ExportPipeline.receivedCounter(otelExportSpanExporter);
	}

	static BatchSpanProcessor batchSpanProcessor(OtelExportProperties properties, ResilientSpanExporter exporter,
			UnaryOperator<SpanExporter> front) {
		// Also here: the application may have its own ResilientSpanExporter bean
		OtelExportPropertiesValidator.validate(properties);
		OtelExportProperties.Batch batch = properties.getBatch();
		return ExportPipeline.batchSpanProcessor(exporter, front, new BatchSettings(batch.getMaxExportBatchSize(),
				batch.getMaxQueueSize(), batch.getScheduleDelay(), batch.getExportTimeout()));
	}

	static SpanExporter withDebugLogging(OtelExportProperties properties, SpanExporter exporter) {
		OtelExportProperties.Debug debug = properties.getDebug();
		if (!debug.isEnabled()) {
			return exporter;
		}
		return new DebugLoggingSpanExporter(exporter,
				new SpanLogSampler(debug.getSamplingInitial(), debug.getSamplingThereafter(), Clock.systemUTC()));
	}

	/**
	 * The batch processor when Micrometer Tracing's OpenTelemetry bridge is present: its
	 * {@link CompositeSpanExporter} applies the application's span filters, predicates
	 * and reporters before spans reach the resilient exporter.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(CompositeSpanExporter.class)
	static class MicrometerSpanProcessorConfiguration {

		@Bean
		@ConditionalOnMissingBean(BatchSpanProcessor.class)
		BatchSpanProcessor otelExportSpanProcessor(OtelExportProperties properties,
				ResilientSpanExporter otelExportSpanExporter, OtelExportDestinations destinations,
				ObjectProvider<SpanExporter> spanExporters, ConfigurableListableBeanFactory beanFactory,
				Environment environment, ObjectProvider<SpanExportingPredicate> predicates,
				ObjectProvider<SpanReporter> reporters, ObjectProvider<SpanFilter> filters) {
			List<SpanExporter> exporters = new SpanExporterBeans(beanFactory, otelExportSpanExporter)
				.others(spanExporters, () -> new BootOtlpExporterNotice().report(environment,
						Endpoints.sanitize(destinations.primary().endpoint())));
			// Boot's tracing is here, and this processor replaces its own
			new BootBatchSettingsNotice().report(environment);
			return batchSpanProcessor(properties, otelExportSpanExporter, (ours) -> {
				List<SpanExporter> all = new ArrayList<>();
				all.add(withDebugLogging(properties, ours));
				all.addAll(exporters);
				return new CompositeSpanExporter(all, predicates.orderedStream().toList(),
						reporters.orderedStream().toList(), filters.orderedStream().toList());
			});
		}

	}

	/**
	 * The batch processor without Micrometer Tracing.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("io.micrometer.tracing.otel.bridge.CompositeSpanExporter")
	static class PlainSpanProcessorConfiguration {

		@Bean
		@ConditionalOnMissingBean(BatchSpanProcessor.class)
		BatchSpanProcessor otelExportSpanProcessor(OtelExportProperties properties,
				ResilientSpanExporter otelExportSpanExporter, OtelExportDestinations destinations,
				ObjectProvider<SpanExporter> spanExporters, ConfigurableListableBeanFactory beanFactory,
				Environment environment) {
			List<SpanExporter> exporters = new SpanExporterBeans(beanFactory, otelExportSpanExporter)
				.others(spanExporters, () -> new BootOtlpExporterNotice().report(environment,
						Endpoints.sanitize(destinations.primary().endpoint())));
			return batchSpanProcessor(properties, otelExportSpanExporter, (ours) -> {
				SpanExporter logged = withDebugLogging(properties, ours);
				if (exporters.isEmpty()) {
					return logged;
				}
				List<SpanExporter> all = new ArrayList<>();
				all.add(logged);
				all.addAll(exporters);
				return SpanExporter.composite(all);
			});
		}

	}

}
