package io.github.otelexport.actuate;

/**
 * The overall condition of span export, as reported by the health indicator and the
 * {@code otelexport} endpoint.
 *
 * @author otel-export authors
 */
public enum ExportStatus {

	/**
	 * Exports succeed on the primary endpoint, or nothing was attempted yet.
	 */
	UP,

	/**
	 * Spans still flow, but through the fallback, or exports have been failing for less
	 * than the grace period.
	 */
	DEGRADED,

	/**
	 * Exports have been failing, with nothing delivered, for longer than the grace
	 * period.
	 */
	DOWN

}
