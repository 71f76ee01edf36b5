package io.github.otelexport.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.unit.DataSize;

/**
 * Writes values the way Spring Boot users write them in their configuration: a duration
 * in the largest unit that divides it ({@code 10s}, {@code 1m}, {@code 500ms},
 * {@code 200000d}), a data size likewise ({@code 64MB}, {@code 1536KB}), the protocol and
 * compression by their OTLP names ({@code http/protobuf}, {@code gzip}), numbers and
 * booleans as they are. Used by the endpoint's configuration view and by failure
 * messages, so that both show what the user wrote rather than {@code PT2S}. Not the
 * core's {@code Durations}, which writes {@code 1m30s} for log lines: Spring Boot binds
 * one unit only, so a value shown here must be one a user can write back ({@code 90s}).
 *
 * @author otel-export authors
 */
final class BootStyle {

	/**
	 * Spring's data units from the largest, with the suffix it reads
	 * ({@link org.springframework.util.unit.DataUnit} keeps its own to itself).
	 */
	private static final List<Map.Entry<String, DataSize>> DATA_UNITS = List.of(
			Map.entry("TB", DataSize.ofTerabytes(1)), Map.entry("GB", DataSize.ofGigabytes(1)),
			Map.entry("MB", DataSize.ofMegabytes(1)), Map.entry("KB", DataSize.ofKilobytes(1)));

	private static final List<ChronoUnit> UNITS = List.of(ChronoUnit.DAYS, ChronoUnit.HOURS, ChronoUnit.MINUTES,
			ChronoUnit.SECONDS, ChronoUnit.MILLIS, ChronoUnit.MICROS, ChronoUnit.NANOS);

	private BootStyle() {
	}

	/**
	 * Write a duration in the largest unit that divides it.
	 * @param duration the duration, may be {@code null}
	 * @return the duration, for example {@code 2s}, or {@code null}
	 */
	static String duration(Duration duration) {
		if (duration == null) {
			return null;
		}
		if (duration.isZero()) {
			return "0s";
		}
		for (ChronoUnit unit : UNITS) {
			if (isMultipleOf(duration, unit.getDuration())) {
				try {
					return DurationStyle.SIMPLE.print(duration, unit);
				}
				catch (ArithmeticException ex) {
					// too many of the smaller units for a long: no shorter form exists
					return duration.toString();
				}
			}
		}
		return duration.toString();
	}

	/**
	 * Write a data size in the largest unit that divides it.
	 * @param size the size, may be {@code null}
	 * @return the size, for example {@code 64MB}, or {@code null}
	 */
	static String dataSize(DataSize size) {
		if (size == null) {
			return null;
		}
		long bytes = size.toBytes();
		if (bytes != 0) {
			for (Map.Entry<String, DataSize> unit : DATA_UNITS) {
				if (bytes % unit.getValue().toBytes() == 0) {
					return (bytes / unit.getValue().toBytes()) + unit.getKey();
				}
			}
		}
		return bytes + "B";
	}

	/**
	 * Write a value as users write it: durations as {@link #duration(Duration)}, data
	 * sizes as {@link #dataSize(DataSize)}, enums by their {@code toString()} (the OTLP
	 * names), everything else unchanged.
	 * @param value the value, may be {@code null}
	 * @return the value to show
	 */
	static Object value(Object value) {
		if (value instanceof Duration duration) {
			return duration(duration);
		}
		if (value instanceof DataSize size) {
			return dataSize(size);
		}
		if (value instanceof Enum<?> constant) {
			return constant.toString();
		}
		return value;
	}

	private static boolean isMultipleOf(Duration duration, Duration unit) {
		if (unit.getSeconds() > 0) {
			return duration.getNano() == 0 && duration.getSeconds() % unit.getSeconds() == 0;
		}
		return duration.getNano() % unit.getNano() == 0;
	}

}
