package io.github.otelexport.stats;

/**
 * Which exporter receives batches.
 *
 * @author otel-export authors
 */
public enum CircuitState {

	/**
	 * Batches go to the primary exporter.
	 */
	CLOSED,

	/**
	 * The primary failed too often; batches go to the fallback exporter.
	 */
	OPEN,

	/**
	 * The probe interval passed; the next batch tries the primary again.
	 */
	HALF_OPEN

}
