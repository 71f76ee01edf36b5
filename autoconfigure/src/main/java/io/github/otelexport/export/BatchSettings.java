package io.github.otelexport.export;

import java.time.Duration;

/**
 * Settings of the batch span processor in front of the resilient exporter.
 *
 * @param maxExportBatchSize the most spans in one batch
 * @param maxQueueSize the most spans waiting; spans ended while it is full are dropped
 * ({@link DropReason#QUEUE_FULL})
 * @param scheduleDelay the longest a span waits before its batch is exported
 * @param exportTimeout how long the processor waits for one batch to be exported
 * @author otel-export authors
 */
public record BatchSettings(int maxExportBatchSize, int maxQueueSize, Duration scheduleDelay, Duration exportTimeout) {

	/**
	 * Validate the settings.
	 * @param maxExportBatchSize the most spans in one batch
	 * @param maxQueueSize the most spans waiting
	 * @param scheduleDelay the longest a span waits before its batch is exported
	 * @param exportTimeout how long the processor waits for one batch
	 */
	public BatchSettings {
		if (maxExportBatchSize < 1 || maxQueueSize < 1) {
			throw new IllegalArgumentException("maxExportBatchSize (" + maxExportBatchSize + ") and maxQueueSize ("
					+ maxQueueSize + ") must be positive");
		}
		if (maxExportBatchSize > maxQueueSize) {
			throw new IllegalArgumentException("maxExportBatchSize (" + maxExportBatchSize
					+ ") must not exceed maxQueueSize (" + maxQueueSize + ")");
		}
		if (scheduleDelay == null || scheduleDelay.isNegative() || exportTimeout == null || exportTimeout.isNegative()
				|| exportTimeout.isZero()) {
			throw new IllegalArgumentException("scheduleDelay (" + scheduleDelay + ") must not be negative and"
					+ " exportTimeout (" + exportTimeout + ") must be positive");
		}
	}

	/**
	 * Return the documented defaults: 512 spans a batch, 2048 queued, 5s delay, 30s
	 * timeout.
	 * @return the default settings
	 */
	public static BatchSettings defaults() {
		return new BatchSettings(512, 2048, Duration.ofSeconds(5), Duration.ofSeconds(30));
	}

}
