package io.github.otelexport.autoconfigure;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import io.github.otelexport.export.BatchingSpanProcessor;
import io.github.otelexport.export.ExportPipeline;
import io.github.otelexport.export.ExporterSettings;
import io.github.otelexport.export.ResilientSpanExporter;
import io.github.otelexport.export.ResilientSpanExporterBuilder;
import io.github.otelexport.export.transport.Endpoints;
import io.github.otelexport.export.transport.OtlpTransport;
import io.github.otelexport.stats.ExportListener;
import io.github.otelexport.stats.ExportStatistics;
import io.micrometer.tracing.exporter.SpanExportingPredicate;
import io.micrometer.tracing.exporter.SpanFilter;
import io.micrometer.tracing.exporter.SpanReporter;
import io.micrometer.tracing.otel.bridge.CompositeSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
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
import org.springframework.core.io.ResourceLoader;

/**
 * Auto-configuration of the resilient export pipeline from {@code otel.export.*}: the
 * resolved destinations and settings, the resilient exporter with the primary's and
 * fallback's transports (which are never beans themselves), its statistics, and the
 * {@link BatchingSpanProcessor} in front of it. Spring Boot's own
 * {@code otelSpanProcessor} is removed ({@link BootBatchProcessorRemover}), so spans from
 * Micrometer Observation and from the OpenTelemetry API both take this path, exactly
 * once. An application's own {@link BatchSpanProcessor} (or
 * {@code BatchingSpanProcessor}) bean makes ours back off.
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
			ObjectProvider<SslBundles> sslBundles, ResourceLoader resourceLoader) {
		return new OtelExportSettingsResolver(environment, sslBundles.getIfAvailable(), resourceLoader)
			.destinations(properties);
	}

	@Bean
	@ConditionalOnMissingBean
	OtelExportSettings otelExportSettings(OtelExportProperties properties, OtelExportDestinations destinations) {
		// Resolved whoever defined the destinations, so that an application's own
		// OtelExportDestinations bean does not skip the checks of the other settings
		return OtelExportSettingsResolver.settings(properties, destinations);
	}

	@Bean
	@ConditionalOnMissingBean
	ResilientSpanExporter otelExportSpanExporter(OtelExportSettings settings,
			ObjectProvider<OtelExportTransportCustomizer> customizers, ObjectProvider<ExportListener> listeners) {
		DestinationTransports transports = new DestinationTransports(settings.destinations(), customizers);
		ExporterSettings primary = settings.destinations().primary();
		ExporterSettings fallback = settings.destinations().fallback().orElse(null);
		// everything that may fail first, the transports (which may start threads) last
		Supplier<OtlpTransport> primaryTransport = transports.factory(primary);
		Supplier<OtlpTransport> fallbackTransport = (fallback != null) ? transports.factory(fallback) : null;
		List<String> secrets = new ArrayList<>(transports.secrets(primary));
		Duration attemptTimeout = primary.timeout();
		if (fallback != null) {
			secrets.addAll(transports.secrets(fallback));
			attemptTimeout = max(attemptTimeout, fallback.timeout());
		}
		List<ExportListener> exportListeners = listeners.orderedStream().toList();
		OtlpTransport primaryOne = primaryTransport.get();
		OtlpTransport fallbackOne = null;
		try {
			fallbackOne = (fallbackTransport != null) ? fallbackTransport.get() : null;
			ResilientSpanExporterBuilder builder = ResilientSpanExporter.builder(primaryOne, primary.description())
				.retryPolicy(settings.retry())
				.failureThreshold(settings.failover().failureThreshold())
				.probeInterval(settings.failover().probeInterval())
				.recentErrors(settings.diagnostics().recentErrors())
				.redactSecrets(secrets)
				.attemptTimeout(attemptTimeout);
			if (fallbackOne != null) {
				builder.fallback(fallbackOne, fallback.description());
			}
			OtelExportSettings.Sending sending = settings.sending();
			if (sending.buffered()) {
				// Spring waits 10s for the tracer provider to close: the drain ends well
				// before, so that what is left is counted and said, not lost with the JVM
				builder.buffer(sending.bufferBytes(), sending.concurrency())
					.drainTimeout(min(settings.batch().exportTimeout(), MAX_DRAIN));
				if (sending.diskDirectory() != null) {
					builder.diskBuffer(sending.diskDirectory(), sending.diskBytes());
				}
			}
			exportListeners.forEach(builder::addListener);
			return build(builder, sending);
		}
		catch (RuntimeException ex) {
			primaryOne.close();
			if (fallbackOne != null) {
				fallbackOne.close();
			}
			throw ex;
		}
	}

	@Bean
	@ConditionalOnMissingBean
	ExportStatistics otelExportStatistics(ResilientSpanExporter otelExportSpanExporter) {
		return otelExportSpanExporter.statistics();
	}

	/**
	 * The longest a shutdown lets buffered batches go out.
	 */
	private static final Duration MAX_DRAIN = Duration.ofSeconds(5);

	/**
	 * Build the exporter; a disk buffer directory it cannot use (not writable, or used by
	 * another process) fails the startup naming the property.
	 */
	private static ResilientSpanExporter build(ResilientSpanExporterBuilder builder,
			OtelExportSettings.Sending sending) {
		try {
			return builder.build();
		}
		catch (UncheckedIOException ex) {
			throw new InvalidOtelExportConfigurationException("otel.export.buffer.disk.directory",
					String.valueOf(sending.diskDirectory()), ex.getMessage(),
					"Set otel.export.buffer.disk.directory to a directory this application can write to and that no "
							+ "other instance uses (for example one per instance, named after it).");
		}
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	private static Duration max(Duration a, Duration b) {
		return (a.compareTo(b) >= 0) ? a : b;
	}

	@Bean
	static BootBatchProcessorRemover otelExportBootBatchProcessorRemover() {
		return new BootBatchProcessorRemover();
	}

	static BatchingSpanProcessor batchingSpanProcessor(OtelExportSettings settings, ResilientSpanExporter exporter,
			UnaryOperator<SpanExporter> front) {
		return ExportPipeline.create(exporter, front, settings.batch());
	}

	static SpanExporter withDebugLogging(OtelExportSettings settings, SpanExporter exporter) {
		OtelExportSettings.Debug debug = settings.debug();
		if (!debug.enabled()) {
			return exporter;
		}
		return new DebugLoggingSpanExporter(exporter,
				new SpanLogSampler(debug.samplingInitial(), debug.samplingThereafter(), Clock.systemUTC()));
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
		@ConditionalOnMissingBean({ BatchSpanProcessor.class, BatchingSpanProcessor.class })
		BatchingSpanProcessor otelExportSpanProcessor(OtelExportSettings settings,
				ResilientSpanExporter otelExportSpanExporter, ObjectProvider<SpanExporter> spanExporters,
				ConfigurableListableBeanFactory beanFactory, Environment environment,
				ObjectProvider<SpanExportingPredicate> predicates, ObjectProvider<SpanReporter> reporters,
				ObjectProvider<SpanFilter> filters) {
			List<SpanExporter> exporters = ExporterBeans.spans(beanFactory, otelExportSpanExporter)
				.others(spanExporters, () -> BootOtlpExporterNotice.forSpans()
					.report(environment, Endpoints.sanitize(settings.destinations().primary().endpoint())));
			// Boot's tracing is here, and this processor replaces its own
			new BootBatchSettingsNotice().report(environment);
			return batchingSpanProcessor(settings, otelExportSpanExporter, (ours) -> {
				List<SpanExporter> all = new ArrayList<>();
				all.add(withDebugLogging(settings, ours));
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
		@ConditionalOnMissingBean({ BatchSpanProcessor.class, BatchingSpanProcessor.class })
		BatchingSpanProcessor otelExportSpanProcessor(OtelExportSettings settings,
				ResilientSpanExporter otelExportSpanExporter, ObjectProvider<SpanExporter> spanExporters,
				ConfigurableListableBeanFactory beanFactory, Environment environment) {
			List<SpanExporter> exporters = ExporterBeans.spans(beanFactory, otelExportSpanExporter)
				.others(spanExporters, () -> BootOtlpExporterNotice.forSpans()
					.report(environment, Endpoints.sanitize(settings.destinations().primary().endpoint())));
			return batchingSpanProcessor(settings, otelExportSpanExporter, (ours) -> {
				SpanExporter logged = withDebugLogging(settings, ours);
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
