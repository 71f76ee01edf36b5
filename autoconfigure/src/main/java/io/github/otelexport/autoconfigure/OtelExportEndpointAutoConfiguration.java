package io.github.otelexport.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.otelexport.actuate.EndpointDiagnostics;
import io.github.otelexport.actuate.ExportStateEvaluator;
import io.github.otelexport.actuate.OtelExportEndpoint;
import io.github.otelexport.actuate.OtelExportEndpointWebExtension;
import io.github.otelexport.actuate.StartupDiagnosis;
import io.github.otelexport.diagnose.EndpointProber;
import io.github.otelexport.diagnose.ProbeTarget;
import io.github.otelexport.export.ExportErrorClassifier;
import io.github.otelexport.export.ExporterSettings;
import io.github.otelexport.stats.ExportStatistics;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
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
@ConditionalOnBean(OtelExportSettings.class)
public final class OtelExportEndpointAutoConfiguration {

	/**
	 * The longest a diagnosis step may take, whatever the export timeout: the diagnosis
	 * answers an operator's request.
	 */
	private static final Duration MAX_STEP_BUDGET = Duration.ofSeconds(10);

	@Bean
	@ConditionalOnMissingBean
	EndpointDiagnostics otelExportEndpointDiagnostics(OtelExportSettings settings,
			ObjectProvider<OtelExportTransportCustomizer> customizers) {
		DestinationTransports transports = new DestinationTransports(settings.destinations(), customizers);
		List<ProbeTarget> targets = new ArrayList<>();
		List<String> secrets = new ArrayList<>();
		Duration budget = Duration.ZERO;
		for (ExporterSettings destination : destinations(settings.destinations())) {
			secrets.addAll(transports.secrets(destination));
			// The diagnosis's transport is built exactly like the pipeline's,
			// customizers included, once, when the first diagnosis needs it
			targets.add(ProbeTarget.of(destination, transports.factory(destination)));
			budget = max(budget, max(destination.timeout(), destination.connectTimeout()));
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

	private static List<ExporterSettings> destinations(OtelExportDestinations destinations) {
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
				OtelExportSettings settings, EndpointDiagnostics diagnostics,
				ObjectProvider<OtelExportLogRecordProcessor> logs) {
			OtelExportLogRecordProcessor logPipeline = logs.getIfAvailable();
			return new OtelExportEndpoint(statistics::snapshot,
					(logPipeline != null) ? logPipeline.statistics()::snapshot : null, evaluator,
					ExportConfigurationView.of(settings), diagnostics);
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(OtelExportEndpoint.class)
		OtelExportEndpointWebExtension otelExportEndpointWebExtension(OtelExportEndpoint endpoint) {
			return new OtelExportEndpointWebExtension(endpoint);
		}

	}

}
