package io.github.otelexport.autoconfigure;

import java.time.Clock;

/**
 * Decides which spans to log, like the OpenTelemetry Collector's debug exporter: in each
 * second the first {@code initial} spans, then every {@code thereafter}-th one.
 *
 * @author otel-export authors
 */
final class SpanLogSampler {

	private final int initial;

	private final int thereafter;

	private final Clock clock;

	private long currentSecond = Long.MIN_VALUE;

	private long countInSecond;

	/**
	 * Create a new instance.
	 * @param initial spans logged each second before sampling starts (0 or more)
	 * @param thereafter after those, one span in this many is logged (1 or more)
	 * @param clock the clock that defines the seconds (visible for testing)
	 */
	SpanLogSampler(int initial, int thereafter, Clock clock) {
		this.initial = initial;
		this.thereafter = thereafter;
		this.clock = clock;
	}

	/**
	 * Count one span and return whether it should be logged.
	 * @return {@code true} to log the span
	 */
	synchronized boolean sample() {
		long second = Math.floorDiv(this.clock.millis(), 1000L);
		if (second != this.currentSecond) {
			this.currentSecond = second;
			this.countInSecond = 0;
		}
		long count = ++this.countInSecond;
		if (count <= this.initial) {
			return true;
		}
		return (count - this.initial) % this.thereafter == 0;
	}

}
