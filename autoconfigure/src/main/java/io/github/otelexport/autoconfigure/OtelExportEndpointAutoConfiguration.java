package io.github.otelexport.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.otelexport.actuate.DestinationDescriptor;
import io.github.otelexport.actuate.EndpointDiagnostics;
import io.github.otelexport.actuate.ExportConfigurationDescriptor;
import io.github.otelexport.actuate.ExportStateEvaluator;
import io.github.otelexport.actuate.OtelExportEndpoint;
import io.github.otelexport.actuate.OtelExportEndpointWebExtension;
import io.github.otelexport.actuate.StartupDiagnosis;
import io.github.otelexport.export.EndpointProber;
import io.github.otelexport.export.ExportErrorClassifier;
import io.github.otelexport.export.ExportStatistics;
import io.github.otelexport.export.ExporterSettings;
import io.github.otelexport.export.OtlpExporterFactory;
import io.github.otelexport.export.ProbeTarget;
import io.github.otelexport.export.TlsSettings;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of endpoint diagnosis (the startup check, switched by
 * {@code otel.export.diagnostics.startup-check}) and of the {@code otelexport} actuator
 * endpoint.
 *
 * @author otel-export authors
 */
@AutoConfiguration(after = OtelExportAutoConfiguration.class)
@ConditionalOnBean(OtelExportDestinations.class)
@EnableConfigurationProperties(OtelExportProperties.class)
public final class OtelExportEndpointAutoConfiguration {

	/**
	 * The longest a diagnosis step may take, whatever the export timeout: the diagnosis
	 * answers an operator's request.
	 */
	private static final Duration MAX_STEP_BUDGET = Duration.ofSeconds(10);

	@Bean
	@ConditionalOnMissingBean
	EndpointDiagnostics otelExportEndpointDiagnostics(OtelExportDestinations destinations,
			ObjectProvider<OtelExportGrpcExporterCustomizer> grpcCustomizers,
			ObjectProvider<OtelExportHttpExporterCustomizer> httpCustomizers) {
		List<OtelExportGrpcExporterCustomizer> grpc = grpcCustomizers.orderedStream().toList();
		List<OtelExportHttpExporterCustomizer> http = httpCustomizers.orderedStream().toList();
		List<ProbeTarget> targets = new ArrayList<>();
		List<String> secrets = new ArrayList<>();
		Duration budget = Duration.ZERO;
		for (ExporterSettings settings : settings(destinations)) {
			secrets.addAll(settings.secretHeaderValues());
			// The one-off exporter is built exactly like the pipeline's, customizers
			// included
			targets.add(ProbeTarget.of(settings,
					() -> OtlpExporterFactory.create(settings,
							(builder) -> grpc.forEach((customizer) -> customizer.customize(builder)),
							(builder) -> http.forEach((customizer) -> customizer.customize(builder)))));
			budget = max(budget, max(settings.timeout(), settings.connectTimeout()));
		}
		Duration stepBudget = (budget.compareTo(MAX_STEP_BUDGET) > 0 || budget.isZero()) ? MAX_STEP_BUDGET : budget;
		// a backend may echo a refused API key: the diagnosis masks header values as the
		// export path does
		return new EndpointDiagnostics(new EndpointProber(stepBudget, ExportErrorClassifier.redacting(secrets)),
				targets);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "otel.export.diagnostics.startup-check", matchIfMissing = true)
	StartupDiagnosis otelExportStartupDiagnosis(EndpointDiagnostics diagnostics) {
		return new StartupDiagnosis(diagnostics);
	}

	private static List<ExporterSettings> settings(OtelExportDestinations destinations) {
		List<ExporterSettings> settings = new ArrayList<>();
		settings.add(destinations.primary());
		destinations.fallback().ifPresent(settings::add);
		return settings;
	}

	private static Duration max(Duration a, Duration b) {
		if (a == null) {
			return (b != null) ? b : Duration.ZERO;
		}
		return (b != null && b.compareTo(a) > 0) ? b : a;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Endpoint.class)
	@ConditionalOnAvailableEndpoint(OtelExportEndpoint.class)
	@ConditionalOnBean(ExportStatistics.class)
	@Import(ExportStateEvaluatorConfiguration.class)
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		OtelExportEndpoint otelExportEndpoint(ExportStatistics statistics, ExportStateEvaluator evaluator,
				OtelExportProperties properties, OtelExportDestinations destinations, EndpointDiagnostics diagnostics) {
			return new OtelExportEndpoint(statistics::snapshot, evaluator, configuration(properties, destinations),
					diagnostics);
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(OtelExportEndpoint.class)
		OtelExportEndpointWebExtension otelExportEndpointWebExtension(OtelExportEndpoint endpoint) {
			return new OtelExportEndpointWebExtension(endpoint);
		}

		private static ExportConfigurationDescriptor configuration(OtelExportProperties properties,
				OtelExportDestinations destinations) {
			List<DestinationDescriptor> shown = settings(destinations).stream()
				.map((settings) -> DestinationDescriptor.of(settings.role(), settings.protocol(), settings.endpoint(),
						settings.headers(), settings.timeout(), settings.connectTimeout(), settings.compression(),
						tlsConfigured(settings.tls())))
				.toList();
			Map<String, Object> pipeline = new LinkedHashMap<>();
			OtelExportProperties.Retry retry = properties.getRetry();
			pipeline.put("retry.enabled", retry.isEnabled());
			pipeline.put("retry.max-attempts", retry.getMaxAttempts());
			pipeline.put("retry.initial-backoff", string(retry.getInitialBackoff()));
			pipeline.put("retry.max-backoff", string(retry.getMaxBackoff()));
			pipeline.put("retry.multiplier", retry.getMultiplier());
			pipeline.put("retry.jitter", retry.getJitter());
			pipeline.put("retry.max-elapsed-time", string(retry.getMaxElapsedTime()));
			pipeline.put("fallback.failure-threshold", properties.getFallback().getFailureThreshold());
			pipeline.put("fallback.probe-interval", string(properties.getFallback().getProbeInterval()));
			OtelExportProperties.Batch batch = properties.getBatch();
			pipeline.put("batch.max-export-batch-size", batch.getMaxExportBatchSize());
			pipeline.put("batch.max-queue-size", batch.getMaxQueueSize());
			pipeline.put("batch.schedule-delay", string(batch.getScheduleDelay()));
			pipeline.put("batch.export-timeout", string(batch.getExportTimeout()));
			pipeline.put("health.grace-period", string(properties.getHealth().getGracePeriod()));
			pipeline.put("diagnostics.recent-errors", properties.getDiagnostics().getRecentErrors());
			pipeline.put("diagnostics.startup-check", properties.getDiagnostics().isStartupCheck());
			pipeline.put("debug.enabled", properties.getDebug().isEnabled());
			return new ExportConfigurationDescriptor(shown, pipeline);
		}

		private static boolean tlsConfigured(TlsSettings tls) {
			return tls.trustedCertificatesPem() != null || tls.clientKeyPem() != null || tls.sslContext() != null
					|| tls.insecureSkipVerify();
		}

		private static String string(Duration duration) {
			return (duration != null) ? duration.toString() : null;
		}

	}

}
