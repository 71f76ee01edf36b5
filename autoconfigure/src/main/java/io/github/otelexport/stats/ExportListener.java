package io.github.otelexport.stats;

import java.time.Duration;

/**
 * Receives every export attempt and every drop, for example to record metrics. Called on
 * the thread where it happens: a sender or the batching thread, and the application's own
 * thread inside {@code span.end()} for a span the full queue drops; implementations must
 * be fast and thread-safe; exceptions they throw are caught and logged. A listener of the
 * statistics of log records hears of log records where the names say spans.
 *
 * @author otel-export authors
 */
public interface ExportListener {

	/**
	 * Called after each export attempt.
	 * @param exporter the destination of the exporter that made the attempt
	 * @param spans the number of items in the batch: spans, or log records
	 * @param duration how long the attempt took
	 * @param failureOrNull the classified failure, or {@code null} if the batch was
	 * exported
	 */
	default void onAttempt(DestinationRole exporter, int spans, Duration duration, ExportFailure failureOrNull) {
	}

	/**
	 * Called when items (spans, or log records) are dropped.
	 * @param reason why they were dropped
	 * @param spans how many were dropped
	 */
	default void onDropped(DropReason reason, long spans) {
	}

}
