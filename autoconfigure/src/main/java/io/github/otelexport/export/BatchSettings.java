package io.github.otelexport.export;

import java.time.Duration;

import io.github.otelexport.stats.DropReason;

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
	 * The most spans in one batch when nothing else is configured.
	 */
	public static final int DEFAULT_MAX_EXPORT_BATCH_SIZE = 512;

	/**
	 * The most spans waiting when nothing else is configured.
	 */
	public static final int DEFAULT_MAX_QUEUE_SIZE = 2048;

	/**
	 * The longest a span waits before its batch is exported, when nothing else is
	 * configured.
	 */
	public static final Duration DEFAULT_SCHEDULE_DELAY = Duration.ofSeconds(5);

	/**
	 * How long the processor waits for one batch when nothing else is configured.
	 */
	public static final Duration DEFAULT_EXPORT_TIMEOUT = Duration.ofSeconds(30);

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
	 * Return the defaults: the {@code DEFAULT_*} values of this class.
	 * @return the default settings
	 */
	public static BatchSettings defaults() {
		return new BatchSettings(DEFAULT_MAX_EXPORT_BATCH_SIZE, DEFAULT_MAX_QUEUE_SIZE, DEFAULT_SCHEDULE_DELAY,
				DEFAULT_EXPORT_TIMEOUT);
	}

}
