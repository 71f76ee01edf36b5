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
 *
 * @author otel-export authors
 */
final class TestTime extends Clock implements LongSupplier {

	private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

	private final AtomicLong nanos = new AtomicLong();

	void advance(Duration duration) {
		this.nanos.addAndGet(duration.toNanos());
	}

	Duration elapsed() {
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
		return EPOCH.plusNanos(this.nanos.get());
	}

}
