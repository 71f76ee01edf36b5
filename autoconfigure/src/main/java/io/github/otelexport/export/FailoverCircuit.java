package io.github.otelexport.export;

import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Decides which exporter gets the next batch. {@link CircuitState#CLOSED}: the primary.
 * After {@code failureThreshold} failed batches in a row it opens and batches go to the
 * fallback; once the probe interval has passed, one batch probes the primary
 * ({@link CircuitState#HALF_OPEN}) and closes the circuit again if it gets through.
 * Without a fallback the circuit never opens.
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

	private final boolean hasFallback;

	private final int failureThreshold;

	private final long probeIntervalNanos;

	private final LongSupplier ticker;

	private final ExportStatistics statistics;

	private CircuitState state = CircuitState.CLOSED;

	private int consecutiveFailures;

	private long openedAt;

	FailoverCircuit(boolean hasFallback, int failureThreshold, Duration probeInterval, LongSupplier ticker,
			ExportStatistics statistics) {
		this.hasFallback = hasFallback;
		this.failureThreshold = failureThreshold;
		this.probeIntervalNanos = probeInterval.toNanos();
		this.ticker = ticker;
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
		if (this.hasFallback && open) {
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
			logger.log(Level.WARNING,
					() -> "Sending spans to the fallback exporter after " + this.consecutiveFailures
							+ " failed batches in a row on the primary; the primary is probed every "
							+ Duration.ofNanos(this.probeIntervalNanos).toSeconds() + "s");
		}
		else if (previous != CircuitState.CLOSED && next == CircuitState.CLOSED) {
			logger.log(Level.INFO, "The primary exporter is reachable again; sending spans to it");
		}
	}

	private void publish() {
		this.statistics.recordCircuit(this.state, this.consecutiveFailures);
	}

}
