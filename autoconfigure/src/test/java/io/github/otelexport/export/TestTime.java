package io.github.otelexport.export;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Time that only moves when a test moves it: a nanosecond ticker and a clock that agree.
 * Public so that the tests of the packages built on the core drive time the same way.
 *
 * @author otel-export authors
 */
public final class TestTime extends Clock implements LongSupplier {

	private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

	private final Instant start;

	private final AtomicLong nanos = new AtomicLong();

	/**
	 * Create a new instance that starts at 2026-01-01T00:00:00Z.
	 */
	public TestTime() {
		this(EPOCH);
	}

	/**
	 * Create a new instance.
	 * @param start the clock's instant until the test moves it
	 */
	public TestTime(Instant start) {
		this.start = start;
	}

	public void advance(Duration duration) {
		this.nanos.addAndGet(duration.toNanos());
	}

	public Duration elapsed() {
		return Duration.ofNanos(this.nanos.get());
	}

	@Override
	public long getAsLong() {
		return this.nanos.get();
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		return this;
	}

	@Override
	public Instant instant() {
		return this.start.plusNanos(this.nanos.get());
	}

}
