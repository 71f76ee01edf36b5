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
 * the pause its server asked for, and per signal the backoff it is held back by, the run
 * of failures it is in, and the lines logged about it.
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
	 * Each signal's hold and run of failures: a destination may take one signal and fail
	 * the other, and the failures of one must not hold back or hasten the other's batches
	 * (as each signal has its own failover circuit).
	 */
	private final Map<Signal, Hold> holds = new EnumMap<>(Signal.class);

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
			this.holds.put(signal, new Hold());
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
	 * sender slept through its own batch's backoff. Only the signal that failed is held
	 * back.
	 * @param signal the failed batch's signal
	 * @param failure the failed attempt
	 * @param backoff the failed batch's backoff
	 * @return until when it is held back (ticker nanos)
	 */
	synchronized long holdBack(Signal signal, Attempt failure, Duration backoff) {
		Hold hold = this.holds.get(signal);
		long until = this.ticker.getAsLong() + backoff.toNanos();
		if (hold.by == null || until - hold.until > 0) {
			hold.until = until;
			hold.by = failure;
		}
		return hold.until;
	}

	/**
	 * Return the attempt that holds a signal back, {@code null} while it is not held
	 * back; read before {@link #heldUntil(Signal)}.
	 */
	Attempt heldBy(Signal signal) {
		return this.holds.get(signal).by;
	}

	/**
	 * Return until when (ticker nanos) a signal is held back.
	 */
	long heldUntil(Signal signal) {
		return this.holds.get(signal).until;
	}

	/**
	 * Let a signal's attempts go to it again after one succeeded.
	 * @return whether it was held back: batches wait for it
	 */
	synchronized boolean release(Signal signal) {
		Hold hold = this.holds.get(signal);
		boolean held = hold.by != null && hold.until - this.ticker.getAsLong() > 0;
		hold.by = null;
		return held;
	}

	/**
	 * Note a failed attempt of a signal: the first of a run of failures starts it.
	 */
	void failed(Signal signal) {
		Hold hold = this.holds.get(signal);
		if (hold.failingSince == 0) {
			hold.failingSince = this.ticker.getAsLong() | 1;
		}
	}

	/**
	 * Note a successful attempt of a signal and return whether it ends a run of failures
	 * that lasted at least the given time: a destination that was down, not one that
	 * fails a request now and then (whose senders keep their backoff).
	 */
	boolean recovered(Signal signal, Duration atLeast) {
		Hold hold = this.holds.get(signal);
		long since = hold.failingSince;
		if (since == 0) {
			return false;
		}
		hold.failingSince = 0;
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

	/**
	 * A signal's hold after a retryable failure and its run of failures.
	 */
	private static final class Hold {

		/**
		 * Until when (ticker nanos) it is held back, and the attempt that failed;
		 * {@code by} is written last and read first, {@code null} while it is not held
		 * back.
		 */
		volatile long until;

		volatile Attempt by;

		/**
		 * When (ticker nanos, never 0) the current run of failed attempts began, 0 while
		 * attempts succeed.
		 */
		volatile long failingSince;

	}

}
