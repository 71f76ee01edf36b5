package io.github.otelexport.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.otelexport.actuate.DestinationDescriptor;
import io.github.otelexport.actuate.ExportConfigurationDescriptor;
import io.github.otelexport.export.BatchSettings;
import io.github.otelexport.export.ExporterSettings;
import io.github.otelexport.export.RetryPolicy;

/**
 * Builds the configuration part of the {@code otelexport} endpoint from the settings in
 * effect: environment defaults, inherited fallback values and defaults shown as they
 * apply, each value as users write it ({@link BootStyle}), header values masked and URL
 * credentials removed.
 *
 * @author otel-export authors
 */
final class ExportConfigurationView {

	private ExportConfigurationView() {
	}

	/**
	 * Describe the settings.
	 * @param settings the settings in effect
	 * @return the configuration view
	 */
	static ExportConfigurationDescriptor of(OtelExportSettings settings) {
		List<DestinationDescriptor> destinations = new ArrayList<>();
		destinations.add(destination(settings.destinations().primary()));
		settings.destinations().fallback().map(ExportConfigurationView::destination).ifPresent(destinations::add);
		Map<String, Object> shown = new LinkedHashMap<>();
		RetryPolicy retry = settings.retry();
		put(shown, "retry.enabled", retry.enabled());
		put(shown, "retry.max-attempts", retry.maxAttempts());
		put(shown, "retry.initial-backoff", retry.initialBackoff());
		put(shown, "retry.max-backoff", retry.maxBackoff());
		put(shown, "retry.multiplier", retry.multiplier());
		put(shown, "retry.jitter", retry.jitter());
		put(shown, "retry.max-elapsed-time", retry.maxElapsedTime());
		OtelExportSettings.Failover failover = settings.failover();
		put(shown, "fallback.failure-threshold", failover.failureThreshold());
		put(shown, "fallback.probe-interval", failover.probeInterval());
		put(shown, "fallback.inherit-headers", failover.inheritHeaders());
		BatchSettings batch = settings.batch();
		put(shown, "batch.max-export-batch-size", batch.maxExportBatchSize());
		put(shown, "batch.max-queue-size", batch.maxQueueSize());
		put(shown, "batch.schedule-delay", batch.scheduleDelay());
		put(shown, "batch.export-timeout", batch.exportTimeout());
		put(shown, "health.grace-period", settings.health().gracePeriod());
		put(shown, "diagnostics.recent-errors", settings.diagnostics().recentErrors());
		put(shown, "diagnostics.startup-check", settings.diagnostics().startupCheck());
		OtelExportSettings.Debug debug = settings.debug();
		put(shown, "debug.enabled", debug.enabled());
		put(shown, "debug.sampling-initial", debug.samplingInitial());
		put(shown, "debug.sampling-thereafter", debug.samplingThereafter());
		return new ExportConfigurationDescriptor(destinations, shown);
	}

	private static DestinationDescriptor destination(ExporterSettings settings) {
		return DestinationDescriptor.of(settings.role().value(), settings.protocol().value(), settings.endpoint(),
				settings.headers(), BootStyle.duration(settings.timeout()),
				BootStyle.duration(settings.connectTimeout()), settings.compression().value(),
				TlsSettingsResolver.isConfigured(settings.tls()), TlsSettingsResolver.isInsecure(settings.tls()));
	}

	private static void put(Map<String, Object> shown, String key, Object value) {
		shown.put(key, BootStyle.value(value));
	}

}
