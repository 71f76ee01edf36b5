package io.github.otelexport.export;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.github.otelexport.export.transport.OtlpTransport;
import io.github.otelexport.export.transport.Signal;
import io.github.otelexport.stats.ExporterDescription;

/**
 * One destination as the {@link ExportEngine} sees it, for both signals: its transport,
 * the pause its server asked for, the backoff it is held back by, the run of failures it
 * is in, and the lines logged about it.
 *
 * @author otel-export authors
 */
final class EngineDestination {

	private static final int LOG_LINES_PER_MINUTE = 5;

	final OtlpTransport transport;

	final ExporterDescription description;

	/**
	 * DEBUG details with their exceptions, and the rare WARN of a failing close.
	 */
	final ThrottledLogger log;

	/**
	 * The lines about each signal's failures here: a destination may fail one signal
	 * only.
	 */
	private final Map<Signal, FailureEpisodeLog> episodes = new EnumMap<>(Signal.class);

	private final LongSupplier ticker;

	/**
	 * Until when (ticker nanos) the server asked for nothing more, and the attempt that
	 * asked; {@code pause} is written last and read first.
	 */
	volatile long pausedUntil;

	volatile Attempt pause;

	/**
	 * Until when (ticker nanos) it is held back after a retryable failure, and the
	 * attempt that failed; {@code heldBy} is written last and read first, {@code null}
	 * while it is not held back.
	 */
	volatile long heldUntil;

	volatile Attempt heldBy;

	/**
	 * When (ticker nanos, never 0) the current run of failed attempts began, 0 while
	 * attempts succeed.
	 */
	private volatile long failingSince;

	private final long maxPauseNanos;

	EngineDestination(OtlpTransport transport, ExporterDescription description, Logger logger, LongSupplier ticker,
			SecretRedactor redactor, Duration maxPause) {
		this.transport = transport;
		this.maxPauseNanos = maxPause.toNanos();
		this.description = description;
		this.ticker = ticker;
		this.log = new ThrottledLogger(logger, LOG_LINES_PER_MINUTE, ticker, redactor);
		for (Signal signal : Signal.values()) {
			this.episodes.put(signal, new FailureEpisodeLog(description, signal, logger, ticker, redactor));
		}
	}

	FailureEpisodeLog episodes(Signal signal) {
		return this.episodes.get(signal);
	}

	/**
	 * Log what no line has said yet about either signal.
	 */
	void shutdownEpisodes() {
		this.episodes.values().forEach(FailureEpisodeLog::shutdown);
	}

	/**
	 * Pause the destination when a retryable failure carries the delay the server asked
	 * for, counted from its answer; a later, shorter request does not shorten a pause
	 * another batch was given.
	 */
	void pauseIfAsked(Attempt attempt) {
		Duration asked = attempt.failure().retryAfter();
		if (asked == null || asked.isZero() || asked.isNegative() || !attempt.failure().retryable()) {
			return;
		}
		// the batch that was told waits as long as it was asked (within its budget);
		// the others at most the longest backoff, so that a day's Retry-After on a
		// maintenance page does not silence the destination for a day
		long until = this.ticker.getAsLong() + Math.min(asked.toNanos(), this.maxPauseNanos);
		synchronized (this) {
			if (this.pause == null || until - this.pausedUntil > 0) {
				this.pausedUntil = until;
				this.pause = attempt;
			}
		}
	}

	/**
	 * Hold the destination back after a retryable failure: no batch's attempt goes to it
	 * until the failed batch's backoff has passed (the longest of those told while it is
	 * held back), so that a destination that is down gets at most as many attempts per
	 * backoff as there are senders, whatever the buffer holds: what it got when each
	 * sender slept through its own batch's backoff.
	 * @param failure the failed attempt
	 * @param backoff the failed batch's backoff
	 * @return until when it is held back (ticker nanos)
	 */
	synchronized long holdBack(Attempt failure, Duration backoff) {
		long until = this.ticker.getAsLong() + backoff.toNanos();
		if (this.heldBy == null || until - this.heldUntil > 0) {
			this.heldUntil = until;
			this.heldBy = failure;
		}
		return this.heldUntil;
	}

	/**
	 * Let attempts go to it again after one succeeded.
	 * @return whether it was held back: batches wait for it
	 */
	synchronized boolean release() {
		boolean held = this.heldBy != null && this.heldUntil - this.ticker.getAsLong() > 0;
		this.heldBy = null;
		return held;
	}

	/**
	 * Note a failed attempt: the first of a run of failures starts it.
	 */
	void failed() {
		if (this.failingSince == 0) {
			this.failingSince = this.ticker.getAsLong() | 1;
		}
	}

	/**
	 * Note a successful attempt and return whether it ends a run of failures that lasted
	 * at least the given time: a destination that was down, not one that fails a request
	 * now and then (whose senders keep their backoff).
	 */
	boolean recovered(Duration atLeast) {
		long since = this.failingSince;
		if (since == 0) {
			return false;
		}
		this.failingSince = 0;
		return this.ticker.getAsLong() - since >= atLeast.toNanos();
	}

	boolean close() {
		try {
			this.transport.close();
			return true;
		}
		catch (RuntimeException ex) {
			this.log.log(Level.WARNING, "Closing the transport to " + this.description + " failed", ex);
			return false;
		}
	}

}
