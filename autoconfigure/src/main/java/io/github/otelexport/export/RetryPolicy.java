package io.github.otelexport.export;

import java.time.Duration;

/**
 * How a failed batch is retried: exponential backoff with jitter, bounded by a number of
 * attempts and by the time elapsed since the exporter received the batch.
 *
 * @author otel-export authors
 */
public final class RetryPolicy {

	/**
	 * Whether failed attempts are retried when nothing else is configured.
	 */
	public static final boolean DEFAULT_ENABLED = true;

	/**
	 * Attempts per batch and exporter, the first included, when nothing else is
	 * configured.
	 */
	public static final int DEFAULT_MAX_ATTEMPTS = 5;

	/**
	 * The wait before the first retry when nothing else is configured.
	 */
	public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);

	/**
	 * The longest wait between two attempts when nothing else is configured.
	 */
	public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);

	/**
	 * The factor by which the wait grows when nothing else is configured.
	 */
	public static final double DEFAULT_MULTIPLIER = 2.0;

	/**
	 * The random spread of each wait when nothing else is configured.
	 */
	public static final double DEFAULT_JITTER = 0.2;

	/**
	 * The time budget of one batch when nothing else is configured and there is no
	 * buffer: the batch processor waits for each export, and gives up after its own
	 * timeout ({@link BatchSettings#DEFAULT_EXPORT_TIMEOUT}).
	 */
	public static final Duration DEFAULT_MAX_ELAPSED_TIME = Duration.ofSeconds(25);

	/**
	 * The time budget of one batch when nothing else is configured and batches are
	 * buffered ({@link ResilientSpanExporterBuilder#buffer}): nothing waits for the
	 * export, so a batch may wait out an outage of minutes in the buffer, as long as the
	 * OpenTelemetry Collector's exporter queue retries by default.
	 */
	public static final Duration DEFAULT_BUFFERED_MAX_ELAPSED_TIME = Duration.ofMinutes(5);

	private static final RetryPolicy DEFAULTS = builder().build();

	private final boolean enabled;

	private final int maxAttempts;

	private final Duration initialBackoff;

	private final Duration maxBackoff;

	private final double multiplier;

	private final double jitter;

	private final Duration maxElapsedTime;

	private RetryPolicy(Builder builder) {
		this.enabled = builder.enabled;
		this.maxAttempts = builder.maxAttempts;
		this.initialBackoff = builder.initialBackoff;
		this.maxBackoff = builder.maxBackoff;
		this.multiplier = builder.multiplier;
		this.jitter = builder.jitter;
		this.maxElapsedTime = builder.maxElapsedTime;
	}

	/**
	 * Return the default policy: the {@code DEFAULT_*} values of this class.
	 * @return the default policy
	 */
	public static RetryPolicy defaults() {
		return DEFAULTS;
	}

	/**
	 * Return a policy that makes a single attempt per batch.
	 * @return a policy without retries
	 */
	public static RetryPolicy disabled() {
		return builder().enabled(false).build();
	}

	/**
	 * Return a new builder initialised with the defaults.
	 * @return a builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Return whether failed attempts are retried at all.
	 * @return {@code true} if retries are enabled
	 */
	public boolean enabled() {
		return this.enabled;
	}

	/**
	 * Return the maximum number of attempts per batch and exporter, the first included.
	 * @return the maximum number of attempts
	 */
	public int maxAttempts() {
		return this.maxAttempts;
	}

	/**
	 * Return the number of attempts actually allowed: {@link #maxAttempts()}, or 1 when
	 * retries are disabled.
	 * @return the effective number of attempts
	 */
	public int effectiveMaxAttempts() {
		return this.enabled ? this.maxAttempts : 1;
	}

	/**
	 * Return the wait before the first retry.
	 * @return the initial backoff
	 */
	public Duration initialBackoff() {
		return this.initialBackoff;
	}

	/**
	 * Return the longest wait between two attempts, before jitter.
	 * @return the maximum backoff
	 */
	public Duration maxBackoff() {
		return this.maxBackoff;
	}

	/**
	 * Return the factor by which the backoff grows after each failed attempt.
	 * @return the multiplier
	 */
	public double multiplier() {
		return this.multiplier;
	}

	/**
	 * Return the fraction (0 to 1) by which each wait is randomly shortened or
	 * lengthened.
	 * @return the jitter
	 */
	public double jitter() {
		return this.jitter;
	}

	/**
	 * Return the time budget of one batch, measured from when the exporter received it
	 * (with a buffer, when it entered the buffer); no wait crosses it.
	 * @return the maximum elapsed time
	 */
	public Duration maxElapsedTime() {
		return this.maxElapsedTime;
	}

	@Override
	public String toString() {
		return "RetryPolicy{enabled=" + this.enabled + ", maxAttempts=" + this.maxAttempts + ", initialBackoff="
				+ this.initialBackoff + ", maxBackoff=" + this.maxBackoff + ", multiplier=" + this.multiplier
				+ ", jitter=" + this.jitter + ", maxElapsedTime=" + this.maxElapsedTime + "}";
	}

	/**
	 * Builds a {@link RetryPolicy}; each setter rejects values that cannot work.
	 */
	public static final class Builder {

		private boolean enabled = DEFAULT_ENABLED;

		private int maxAttempts = DEFAULT_MAX_ATTEMPTS;

		private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;

		private Duration maxBackoff = DEFAULT_MAX_BACKOFF;

		private double multiplier = DEFAULT_MULTIPLIER;

		private double jitter = DEFAULT_JITTER;

		private Duration maxElapsedTime = DEFAULT_MAX_ELAPSED_TIME;

		private Builder() {
		}

		/**
		 * Set whether failed attempts are retried.
		 * @param enabled whether retries are enabled
		 * @return this builder
		 */
		public Builder enabled(boolean enabled) {
			this.enabled = enabled;
			return this;
		}

		/**
		 * Set the maximum number of attempts per batch, the first included.
		 * @param maxAttempts at least 1
		 * @return this builder
		 */
		public Builder maxAttempts(int maxAttempts) {
			check(maxAttempts >= 1, "maxAttempts must be at least 1 but was " + maxAttempts);
			this.maxAttempts = maxAttempts;
			return this;
		}

		/**
		 * Set the wait before the first retry.
		 * @param initialBackoff a positive duration
		 * @return this builder
		 */
		public Builder initialBackoff(Duration initialBackoff) {
			check(isPositive(initialBackoff), "initialBackoff must be positive but was " + initialBackoff);
			this.initialBackoff = initialBackoff;
			return this;
		}

		/**
		 * Set the longest wait between two attempts, before jitter.
		 * @param maxBackoff a positive duration
		 * @return this builder
		 */
		public Builder maxBackoff(Duration maxBackoff) {
			check(isPositive(maxBackoff), "maxBackoff must be positive but was " + maxBackoff);
			this.maxBackoff = maxBackoff;
			return this;
		}

		/**
		 * Set the factor by which the backoff grows after each failed attempt.
		 * @param multiplier a finite number of at least 1
		 * @return this builder
		 */
		public Builder multiplier(double multiplier) {
			check(Double.isFinite(multiplier) && multiplier >= 1.0,
					"multiplier must be a finite number of at least 1.0 but was " + multiplier);
			this.multiplier = multiplier;
			return this;
		}

		/**
		 * Set the fraction by which each wait is randomly shortened or lengthened.
		 * @param jitter between 0 and 1
		 * @return this builder
		 */
		public Builder jitter(double jitter) {
			check(jitter >= 0.0 && jitter <= 1.0, "jitter must be between 0 and 1 but was " + jitter);
			this.jitter = jitter;
			return this;
		}

		/**
		 * Set the time budget of one batch, measured from when the exporter received it.
		 * @param maxElapsedTime a positive duration
		 * @return this builder
		 */
		public Builder maxElapsedTime(Duration maxElapsedTime) {
			check(isPositive(maxElapsedTime), "maxElapsedTime must be positive but was " + maxElapsedTime);
			this.maxElapsedTime = maxElapsedTime;
			return this;
		}

		/**
		 * Build the policy.
		 * @return the policy
		 * @throws IllegalArgumentException if maxBackoff is shorter than initialBackoff
		 */
		public RetryPolicy build() {
			check(this.maxBackoff.compareTo(this.initialBackoff) >= 0, "maxBackoff (" + this.maxBackoff
					+ ") must not be shorter than initialBackoff (" + this.initialBackoff + ")");
			return new RetryPolicy(this);
		}

		private static boolean isPositive(Duration duration) {
			return duration != null && !duration.isNegative() && !duration.isZero();
		}

		private static void check(boolean condition, String message) {
			if (!condition) {
				throw new IllegalArgumentException(message);
			}
		}

	}

}
