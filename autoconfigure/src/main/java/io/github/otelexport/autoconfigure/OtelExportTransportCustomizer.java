package io.github.otelexport.autoconfigure;

import io.github.otelexport.export.transport.TransportSettings;
import io.github.otelexport.stats.DestinationRole;

/**
 * Callback to adjust the transport settings of each destination (primary and fallback)
 * after otel-export has applied {@code otel.export.*}: add a header, say. The exporter
 * waits for an attempt no longer than the configured {@code timeout}, and the diagnosis
 * probes the configured endpoint: keep those in the properties. Beans of this type are
 * applied in order, to the pipeline's transports and the diagnosis's alike. The values of
 * headers added here are masked like configured ones wherever a backend echoes them.
 *
 * @author otel-export authors
 */
@FunctionalInterface
public interface OtelExportTransportCustomizer {

	/**
	 * Customize the settings of one destination's transport.
	 * @param role the destination
	 * @param settings the settings so far
	 * @return the settings to use
	 */
	TransportSettings customize(DestinationRole role, TransportSettings settings);

}
