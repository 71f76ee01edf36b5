package io.github.otelexport.export;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Computes the wait before the next attempt of a batch from a {@link RetryPolicy}.
 *
 * @author otel-export authors
 */
final class Backoff {

	private final RetryPolicy policy;

	private final DoubleSupplier random;

	/**
	 * Create a backoff with the given random source.
	 * @param policy the retry policy
	 * @param random returns values in {@code [0, 1)}; {@code 0.5} means no jitter
	 */
	Backoff(RetryPolicy policy, DoubleSupplier random) {
		this.policy = policy;
		this.random = random;
	}

	/**
	 * Return the wait after failed attempt {@code attempt}:
	 * {@code min(maxBackoff, initial * multiplier^(attempt-1))} shortened or lengthened
	 * by up to the jitter fraction. Computed in floating point and capped, so that no
	 * policy (a huge backoff, a multiplier that overflows after many attempts) can make
	 * it throw: the longest wait is {@code maxBackoff} plus its jitter, saturating at the
	 * longest {@link Duration} of nanoseconds.
	 * @param attempt the number of the attempt that failed, starting at 1
	 * @return the wait
	 */
	Duration delay(int attempt) {
		double maxNanos = nanos(this.policy.maxBackoff());
		double exponential = nanos(this.policy.initialBackoff()) * Math.pow(this.policy.multiplier(), attempt - 1);
		double capped = (exponential < maxNanos) ? exponential : maxNanos;
		double jitter = this.policy.jitter() * (2.0 * this.random.getAsDouble() - 1.0);
		double factor = Double.isFinite(jitter) ? 1.0 + jitter : 1.0;
		// Math.round saturates at Long.MAX_VALUE, so a huge wait cannot overflow
		return Duration.ofNanos(Math.max(0L, Math.round(capped * factor)));
	}

	/**
	 * Return a duration in nanoseconds without {@link Duration#toNanos()}'s overflow.
	 */
	private static double nanos(Duration duration) {
		return duration.getSeconds() * 1e9 + duration.getNano();
	}

	/**
	 * Return the wait after failed attempt {@code attempt}, preferring the delay the
	 * backend asked for, or {@code null} when that wait would cross the deadline.
	 * @param attempt the number of the attempt that failed, starting at 1
	 * @param retryAfter the delay the backend asked for, or {@code null}
	 * @param remaining the time left until the batch's deadline
	 * @return the wait, or {@code null} to give up
	 */
	Duration delay(int attempt, Duration retryAfter, Duration remaining) {
		Duration delay = (retryAfter != null && !retryAfter.isNegative()) ? retryAfter : delay(attempt);
		return (delay.compareTo(remaining) > 0) ? null : delay;
	}

}
