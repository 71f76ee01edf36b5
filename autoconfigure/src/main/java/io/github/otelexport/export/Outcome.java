package io.github.otelexport.export;

import io.github.otelexport.stats.DropReason;

/**
 * How a batch's attempts on one or more destinations ended: exported, or dropped with a
 * reason after the given attempt.
 *
 * @param dropReason why the batch was dropped, {@code null} when it was exported
 * @param delegate the destination of the last attempt, or {@code null}
 * @param attempt the last attempt, or {@code null}
 * @param attempts how many attempts were made on that destination
 * @author otel-export authors
 */
record Outcome(DropReason dropReason, EngineDestination delegate, Attempt attempt, int attempts) {

	static final Outcome EXPORTED = new Outcome(null, null, null, 0);

	/**
	 * Not over: the batch waits in the buffer for its next attempt (see
	 * {@link RetryState}).
	 */
	static final Outcome WAITING = new Outcome(null, null, null, -1);

	static Outcome dropped(DropReason reason, EngineDestination delegate, Attempt attempt, int attempts) {
		return new Outcome(reason, delegate, attempt, attempts);
	}

}
