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
	 * by up to the jitter fraction.
	 * @param attempt the number of the attempt that failed, starting at 1
	 * @return the wait
	 */
	Duration delay(int attempt) {
		double initialNanos = this.policy.initialBackoff().toNanos();
		double exponential = initialNanos * Math.pow(this.policy.multiplier(), attempt - 1);
		double capped = Math.min(this.policy.maxBackoff().toNanos(), exponential);
		double factor = 1.0 + this.policy.jitter() * (2.0 * this.random.getAsDouble() - 1.0);
		return Duration.ofNanos(Math.max(0L, Math.round(capped * factor)));
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
