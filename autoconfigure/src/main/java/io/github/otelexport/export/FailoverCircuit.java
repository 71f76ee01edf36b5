package io.github.otelexport.export;

import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.github.otelexport.export.transport.Signal;
import io.github.otelexport.stats.CircuitState;
import io.github.otelexport.stats.Durations;
import io.github.otelexport.stats.ExportRecorder;
import io.github.otelexport.stats.ExporterDescription;

/**
 * Decides which exporter gets the next batch. {@link CircuitState#CLOSED}: the primary.
 * After {@code failureThreshold} failed batches in a row it opens and batches go to the
 * fallback; once the probe interval has passed, one batch probes the primary
 * ({@link CircuitState#HALF_OPEN}) and closes the circuit again if it gets through.
 * Without a fallback the circuit never opens.
 * <p>
 * There is one circuit per signal and destination: a backend that takes spans and refuses
 * log records (a traces-only OTLP receiver) must not send the spans to the fallback; a
 * destination that is down opens both, as both signals fail there.
 *
 * @author otel-export authors
 */
final class FailoverCircuit {

	/**
	 * Where a batch goes.
	 */
	enum Route {

		/**
		 * The primary, with retries.
		 */
		PRIMARY,

		/**
		 * The primary, once, to find out whether it is back.
		 */
		PROBE,

		/**
		 * The fallback, with retries.
		 */
		FALLBACK

	}

	private static final Logger logger = Logger.getLogger(FailoverCircuit.class.getName());

	private final ExporterDescription primary;

	private final ExporterDescription fallback;

	private final int failureThreshold;

	private final long probeIntervalNanos;

	private final LongSupplier ticker;

	private final Signal signal;

	/**
	 * The statistics of the circuit's signal, which show its state.
	 */
	private final ExportRecorder statistics;

	private CircuitState state = CircuitState.CLOSED;

	private int consecutiveFailures;

	private long openedAt;

	FailoverCircuit(ExporterDescription primary, ExporterDescription fallback, int failureThreshold,
			Duration probeInterval, LongSupplier ticker, Signal signal, ExportRecorder statistics) {
		this.primary = primary;
		this.fallback = fallback;
		this.failureThreshold = failureThreshold;
		this.probeIntervalNanos = probeInterval.toNanos();
		this.ticker = ticker;
		this.signal = signal;
		this.statistics = statistics;
	}

	synchronized Route route() {
		if (this.state == CircuitState.CLOSED) {
			return Route.PRIMARY;
		}
		if (this.state == CircuitState.OPEN && this.ticker.getAsLong() - this.openedAt >= this.probeIntervalNanos) {
			transition(CircuitState.HALF_OPEN);
			return Route.PROBE;
		}
		return Route.FALLBACK;
	}

	synchronized void primarySucceeded() {
		this.consecutiveFailures = 0;
		transition(CircuitState.CLOSED);
	}

	synchronized void primaryFailed() {
		this.consecutiveFailures++;
		boolean open = this.state == CircuitState.HALF_OPEN
				|| (this.state == CircuitState.CLOSED && this.consecutiveFailures >= this.failureThreshold);
		if (this.fallback != null && open) {
			this.openedAt = this.ticker.getAsLong();
			transition(CircuitState.OPEN);
		}
		else {
			publish();
		}
	}

	synchronized CircuitState state() {
		return this.state;
	}

	private void transition(CircuitState next) {
		CircuitState previous = this.state;
		this.state = next;
		publish();
		if (previous == CircuitState.CLOSED && next == CircuitState.OPEN) {
			log(Level.WARNING,
					"Sending " + this.signal.items() + " to the " + this.fallback + " after " + this.consecutiveFailures
							+ " failed batches in a row on the " + this.primary + "; the primary is probed every "
							+ Durations.format(Duration.ofNanos(this.probeIntervalNanos)));
		}
		else if (previous != CircuitState.CLOSED && next == CircuitState.CLOSED) {
			log(Level.INFO, "The " + this.primary + " is reachable again; sending " + this.signal.items()
					+ " to it instead of the " + this.fallback);
		}
	}

	/**
	 * Log, ignoring a failing log handler: the state has changed already and the batch
	 * that changed it must still be counted once.
	 */
	private static void log(Level level, String message) {
		try {
			logger.log(level, message);
		}
		catch (RuntimeException ex) {
			// nothing sensible to do: the log is what failed
		}
	}

	private void publish() {
		this.statistics.recordCircuit(this.state, this.consecutiveFailures);
	}

}
