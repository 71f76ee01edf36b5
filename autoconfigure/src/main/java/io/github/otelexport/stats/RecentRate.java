package io.github.otelexport.stats;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * How many of something a second, over a recent window: counts kept per second of a
 * ticker, in a ring of one slot per second of the window. Bounded in memory whatever the
 * traffic, and cheap: one call per batch, not per span.
 *
 * @author otel-export authors
 */
final class RecentRate {

	private static final long NANOS_PER_SECOND = Duration.ofSeconds(1).toNanos();

	private final LongSupplier ticker;

	private final long start;

	private final long[] counts;

	/**
	 * The second (since {@link #start}) that each slot counts, {@code -1} for none yet.
	 */
	private final long[] seconds;

	/**
	 * Create a rate that starts now.
	 * @param window how far back it looks, at least a second, in whole seconds
	 * @param ticker the nanosecond ticker
	 */
	RecentRate(Duration window, LongSupplier ticker) {
		int slots = (int) window.toSeconds();
		if (slots < 1) {
			throw new IllegalArgumentException("window must be at least 1s but was " + window);
		}
		this.ticker = ticker;
		this.start = ticker.getAsLong();
		this.counts = new long[slots];
		this.seconds = new long[slots];
		Arrays.fill(this.seconds, -1);
	}

	/**
	 * Count something that happened now.
	 * @param count how many
	 */
	synchronized void record(long count) {
		long second = elapsed() / NANOS_PER_SECOND;
		int slot = (int) (second % this.counts.length);
		if (this.seconds[slot] != second) {
			this.seconds[slot] = second;
			this.counts[slot] = 0;
		}
		this.counts[slot] += count;
	}

	/**
	 * Return the count a second over the window: from the start of its oldest second (or
	 * of this rate) to now, at least a second, so that one batch just after the start
	 * does not read as a burst.
	 * @return the rate, {@code 0} when nothing was counted in the window
	 */
	synchronized double perSecond() {
		long elapsed = elapsed();
		long first = Math.max(0, elapsed / NANOS_PER_SECOND - this.counts.length + 1);
		long sum = 0;
		for (int i = 0; i < this.counts.length; i++) {
			if (this.seconds[i] >= first) {
				sum += this.counts[i];
			}
		}
		long covered = Math.max(NANOS_PER_SECOND, elapsed - first * NANOS_PER_SECOND);
		return (double) sum * NANOS_PER_SECOND / covered;
	}

	private long elapsed() {
		return Math.max(0, this.ticker.getAsLong() - this.start);
	}

}
