package io.github.otelexport.stats;

import java.util.Locale;

/**
 * Why spans handed to the pipeline were not exported.
 *
 * @author otel-export authors
 */
public enum DropReason {

	/**
	 * The batch processor's queue was full when the span ended.
	 */
	QUEUE_FULL,

	/**
	 * Every allowed attempt failed with a retryable error, or the retry budget ran out.
	 */
	RETRIES_EXHAUSTED,

	/**
	 * The backend answered with an error that retrying cannot fix.
	 */
	PERMANENT_ERROR,

	/**
	 * The exporter was shut down before the spans could be exported.
	 */
	SHUTDOWN,

	/**
	 * The application's own span filters (for example a Micrometer
	 * {@code SpanExportingPredicate}) removed the spans on purpose before export.
	 */
	FILTERED,

	/**
	 * The buffer between batching and sending was full: its memory limit
	 * ({@code otel.export.buffer.memory.max-size}) was reached while the destinations
	 * were slower than the application, or down, and the disk buffer, when there is one,
	 * was full too ({@code otel.export.buffer.disk.max-size}). The newest batch is the
	 * one dropped.
	 */
	BUFFER_FULL,

	/**
	 * A batch in the disk buffer ({@code otel.export.buffer.disk.directory}) could not be
	 * read back: its checksum no longer matches, for example a record torn by a crash in
	 * the middle of its write. It is skipped; the rest of the buffer is sent.
	 */
	CORRUPT;

	/**
	 * Return the lower-case name used in metric tags and JSON, for example
	 * {@code queue_full}.
	 * @return the tag value
	 */
	public String tagValue() {
		return name().toLowerCase(Locale.ROOT);
	}

}
