package io.github.otelexport.export;

import java.util.function.LongSupplier;

import io.github.otelexport.export.transport.Signal;
import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.Durations;
import io.github.otelexport.stats.ExportFailure;
import io.github.otelexport.stats.ExporterDescription;

/**
 * What the log says about the items of one signal a destination rejected in batches it
 * accepted (an OTLP partial success): a line at the first rejection, then a summary at
 * most every {@link FailureEpisodeLog#REMINDER_INTERVAL}, and at shutdown what no line
 * has reported yet. It keeps its own clock, so that these lines never postpone the lines
 * about failures.
 *
 * @author otel-export authors
 */
final class RejectionSummary {

	private static final long INTERVAL_NANOS = FailureEpisodeLog.REMINDER_INTERVAL.toNanos();

	private final ExporterDescription exporter;

	private final Signal signal;

	private final LongSupplier ticker;

	/**
	 * Items rejected since the last line.
	 */
	private long rejected;

	private ExportFailure lastRejection;

	private boolean logged;

	private long lastLine;

	RejectionSummary(ExporterDescription exporter, Signal signal, LongSupplier ticker) {
		this.exporter = exporter;
		this.signal = signal;
		this.ticker = ticker;
	}

	/**
	 * The destination rejected some items of a batch it accepted.
	 * @param rejection the classified rejection
	 * @param count how many items it rejected
	 * @return what to log after the destination's name, or {@code null} for nothing yet
	 */
	synchronized String rejected(ExportFailure rejection, int count) {
		this.rejected += count;
		this.lastRejection = rejection;
		if (this.logged && this.ticker.getAsLong() - this.lastLine < INTERVAL_NANOS) {
			return null;
		}
		return line();
	}

	/**
	 * Return the summary of the rejections no line has reported yet.
	 * @return what to log after the destination's name, or {@code null} for nothing
	 */
	synchronized String atShutdown() {
		return (this.rejected > 0) ? line() : null;
	}

	private String line() {
		long now = this.ticker.getAsLong();
		String text = " rejected " + this.rejected + " " + this.signal.items() + " of batches it accepted (dropped as "
				+ DropReason.PERMANENT_ERROR.tagValue() + ", not retried"
				+ (this.logged ? "; since the last such line " + Durations.elapsed(now - this.lastLine) + " ago" : "")
				+ "): " + FailureEpisodeLog.evidence(this.lastRejection, this.exporter, this.signal);
		this.rejected = 0;
		this.logged = true;
		this.lastLine = now;
		return text;
	}

}
