package io.github.otelexport.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.otelexport.export.BatchSettings;
import io.github.otelexport.export.RetryPolicy;

/**
 * The {@code otel.export.*} settings in effect: resolved from the properties, the
 * {@code OTEL_EXPORTER_OTLP_*} environment variables and the defaults, the fallback's
 * unset values inherited from the primary, and every value checked. The beans of the
 * starter take these, never the properties.
 *
 * @param destinations where spans go
 * @param retry how a failed batch is retried
 * @param failover when batches go to the fallback and back
 * @param batch the batch span processor
 * @param sending the buffer between the batch processor and the senders
 * @param health the health indicator
 * @param diagnostics what is kept and checked to explain failures
 * @param debug the logging of exported spans
 * @param inEffect every setting but the destinations' by its property name under
 * {@code otel.export.} (such as {@code retry.max-attempts}), as resolved and checked; the
 * endpoint shows them
 * @author otel-export authors
 */
public record OtelExportSettings(OtelExportDestinations destinations, RetryPolicy retry, Failover failover,
		BatchSettings batch, Sending sending, Health health, Diagnostics diagnostics, Debug debug,
		Map<String, Object> inEffect) {

	/**
	 * Create settings.
	 * @param destinations where spans go
	 * @param retry how a failed batch is retried
	 * @param failover when batches go to the fallback and back
	 * @param batch the batch span processor
	 * @param sending the buffer between the batch processor and the senders
	 * @param health the health indicator
	 * @param diagnostics what is kept and checked to explain failures
	 * @param debug the logging of exported spans
	 * @param inEffect every setting but the destinations' by its property name
	 */
	public OtelExportSettings {
		inEffect = Collections.unmodifiableMap(new LinkedHashMap<>(inEffect));
	}

	/**
	 * When batches go to the fallback and back ({@code otel.export.fallback.*}).
	 *
	 * @param failureThreshold batches in a row that fail on the primary before batches go
	 * to the fallback
	 * @param probeInterval how often the primary is tried again while on the fallback
	 * @param inheritHeaders whether a fallback without headers sends the primary's
	 */
	public record Failover(int failureThreshold, Duration probeInterval, boolean inheritHeaders) {

	}

	/**
	 * The buffer between the batch processor and the destinations
	 * ({@code otel.export.buffer.memory.*}) and the senders that empty it
	 * ({@code otel.export.sending.*}).
	 *
	 * @param bufferBytes the most request bytes buffered; 0 when there is no buffer and
	 * each batch is sent on the batch processor's thread
	 * @param concurrency the sender threads, when there is a buffer
	 * @param diskDirectory the disk buffer's directory
	 * ({@code otel.export.buffer.disk.*}), or {@code null} when there is none
	 * @param diskBytes the most bytes of the disk buffer's files
	 */
	public record Sending(long bufferBytes, int concurrency, Path diskDirectory, long diskBytes) {

		/**
		 * Return whether batches are buffered and sent by sender threads.
		 * @return whether there is a buffer
		 */
		public boolean buffered() {
			return this.bufferBytes > 0;
		}

	}

	/**
	 * The health indicator ({@code otel.export.health.*}).
	 *
	 * @param gracePeriod how long failures report DEGRADED before DOWN
	 * @param reportDown whether the indicator reports DOWN, rather than DEGRADED, past
	 * the grace period
	 */
	public record Health(Duration gracePeriod, boolean reportDown) {

	}

	/**
	 * What is kept and checked to explain failures ({@code otel.export.diagnostics.*}).
	 *
	 * @param recentErrors how many recent errors are kept
	 * @param startupCheck whether each endpoint is probed once the application is ready
	 */
	public record Diagnostics(int recentErrors, boolean startupCheck) {

	}

	/**
	 * The logging of exported spans ({@code otel.export.debug.*}).
	 *
	 * @param enabled whether exported spans are logged
	 * @param samplingInitial spans logged each second before sampling starts
	 * @param samplingThereafter after those, one span in this many is logged
	 */
	public record Debug(boolean enabled, int samplingInitial, int samplingThereafter) {

	}

}
