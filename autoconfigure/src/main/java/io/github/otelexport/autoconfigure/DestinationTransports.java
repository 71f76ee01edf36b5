package io.github.otelexport.autoconfigure;

import java.net.URI;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.github.otelexport.export.ExporterSettings;
import io.github.otelexport.export.OtlpTransports;
import io.github.otelexport.export.transport.OtlpTransport;
import io.github.otelexport.export.transport.TransportSettings;
import io.github.otelexport.stats.DestinationRole;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Builds each destination's transport, with the URL of its log records when one is given
 * and the application's {@link OtelExportTransportCustomizer customizers} applied in
 * order, the same way for the pipeline and the diagnosis, and knows the header values to
 * mask, those the customizers added included.
 *
 * @author otel-export authors
 */
final class DestinationTransports {

	private final OtelExportDestinations destinations;

	private final List<OtelExportTransportCustomizer> customizers;

	/**
	 * Each destination's settings, customized once: what is sent and what is masked come
	 * from the same call.
	 */
	private final Map<DestinationRole, TransportSettings> customized = new EnumMap<>(DestinationRole.class);

	DestinationTransports(OtelExportDestinations destinations,
			ObjectProvider<OtelExportTransportCustomizer> customizers) {
		this.destinations = destinations;
		this.customizers = customizers.orderedStream().toList();
	}

	/**
	 * Return a factory of the destination's transport; the settings are customized now,
	 * so that a bad customization fails at startup.
	 */
	Supplier<OtlpTransport> factory(ExporterSettings destination) {
		TransportSettings settings = settings(destination);
		return () -> OtlpTransports.create(destination, (ignored) -> settings);
	}

	/**
	 * Return the header values to mask wherever a backend may echo them.
	 */
	List<String> secrets(ExporterSettings destination) {
		List<String> secrets = new ArrayList<>(destination.secretHeaderValues());
		secrets.addAll(destination.withHeaders(settings(destination).headers()).secretHeaderValues());
		return secrets;
	}

	/**
	 * Return the destination's transport settings, customized.
	 */
	TransportSettings settings(ExporterSettings destination) {
		return this.customized.computeIfAbsent(destination.role(), (role) -> customize(destination));
	}

	private TransportSettings customize(ExporterSettings destination) {
		TransportSettings settings = OtlpTransports.transportSettings(destination);
		String logsEndpoint = this.destinations.logsEndpoint(destination.role()).orElse(null);
		if (logsEndpoint != null) {
			settings = settings.withLogsEndpoint(URI.create(logsEndpoint));
		}
		for (OtelExportTransportCustomizer customizer : this.customizers) {
			settings = customizer.customize(destination.role(), settings);
			if (settings == null) {
				throw new IllegalStateException(customizer.getClass().getName()
						+ " returned no transport settings for the " + destination.role() + " destination");
			}
		}
		return settings;
	}

}
