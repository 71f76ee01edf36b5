package io.github.otelexport.export;

import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.stats.ExportFailure;

/**
 * Where a buffered batch's attempts stand while it waits in the buffer for the next one:
 * its round, the destination it is on and the attempts made there, the last failure
 * there, and when it is due. A probe of the failover circuit never waits half-open: the
 * circuit has heard its outcome before the batch goes back, so none of the circuit's
 * state is kept here.
 *
 * @author otel-export authors
 */
final class RetryState {

	private int round = 1;

	/**
	 * The destination whose attempts go on when the batch is taken again, or {@code null}
	 * when a new round starts (or none was made yet).
	 */
	private DestinationRole on;

	private int attempts;

	private int maxAttempts;

	private ExportFailure lastFailure;

	private Throwable lastCause;

	private boolean waiting;

	private long due;

	private boolean hastenable;

	/**
	 * The round the batch is in, from 1.
	 */
	int round() {
		return this.round;
	}

	/**
	 * The destination whose attempts go on, or {@code null}.
	 */
	DestinationRole on() {
		return this.on;
	}

	/**
	 * The attempts made on {@link #on()} in this round.
	 */
	int attempts() {
		return this.attempts;
	}

	int maxAttempts() {
		return this.maxAttempts;
	}

	/**
	 * The last failed attempt's failure on {@link #on()}, or {@code null} when none was
	 * made there.
	 */
	ExportFailure lastFailure() {
		return (this.attempts > 0) ? this.lastFailure : null;
	}

	Throwable lastCause() {
		return this.lastCause;
	}

	/**
	 * Note the failure of the attempt after which the batch waits.
	 */
	void failed(ExportFailure failure, Throwable cause) {
		this.lastFailure = failure;
		this.lastCause = cause;
	}

	/**
	 * Wait between two attempts on a destination, or before one while it is paused.
	 * @param role the destination
	 * @param attempts the attempts made on it in this round
	 * @param maxAttempts the most attempts it gets in this round
	 * @param due when the next attempt is due (ticker nanos)
	 * @param hastenable whether a recovering destination makes it due at once
	 */
	void waitOn(DestinationRole role, int attempts, int maxAttempts, long due, boolean hastenable) {
		this.on = role;
		this.attempts = attempts;
		this.maxAttempts = maxAttempts;
		this.due = due;
		this.hastenable = hastenable;
		this.waiting = true;
	}

	/**
	 * Wait for the next round, which starts again with the circuit's route.
	 * @param due when it is due (ticker nanos)
	 */
	void waitForRound(long due) {
		this.round++;
		this.on = null;
		this.attempts = 0;
		this.due = due;
		this.hastenable = false;
		this.waiting = true;
	}

	/**
	 * Go on where the batch stopped: its attempts on {@link #on()} resume now, and a
	 * later destination in the round starts from its first attempt.
	 */
	void resume() {
		this.on = null;
	}

	/**
	 * Whether the batch must go back into the buffer; asking clears it.
	 */
	boolean takeWaiting() {
		boolean waiting = this.waiting;
		this.waiting = false;
		return waiting;
	}

	long due() {
		return this.due;
	}

	boolean hastenable() {
		return this.hastenable;
	}

}
