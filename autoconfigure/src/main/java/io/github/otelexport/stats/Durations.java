package io.github.otelexport.stats;

import java.time.Duration;

/**
 * Writes durations for people, in log lines and health reasons: the units Spring Boot
 * users write ({@code 2s}, {@code 5m}, {@code 250ms}), combined where one does not divide
 * the value ({@code 1m30s}).
 *
 * @author otel-export authors
 */
public final class Durations {

	private Durations() {
	}

	/**
	 * Write a duration exactly: hours, minutes and seconds when it is whole seconds
	 * ({@code 30s}, {@code 1m30s}, {@code 2h}), else in the largest unit below a second
	 * that divides it ({@code 1500ms}, {@code 250us}).
	 * @param duration the duration
	 * @return the duration as written, {@code 0s} for zero
	 */
	public static String format(Duration duration) {
		if (duration.isNegative()) {
			return "-" + format(duration.negated());
		}
		if (duration.isZero()) {
			return "0s";
		}
		if (duration.getNano() == 0) {
			long seconds = duration.getSeconds();
			StringBuilder text = new StringBuilder();
			append(text, seconds / 3600, "h");
			append(text, seconds % 3600 / 60, "m");
			append(text, seconds % 60, "s");
			return text.toString();
		}
		if (duration.getNano() % 1_000_000 == 0) {
			return duration.toMillis() + "ms";
		}
		long nanos = duration.toNanos();
		return (nanos % 1_000 == 0) ? (nanos / 1_000) + "us" : nanos + "ns";
	}

	/**
	 * Write how long something has lasted: in whole seconds from one second on
	 * ({@code 4m59s}), as a fraction of a second would only be noise there, else in
	 * milliseconds ({@code 250ms}).
	 * @param duration the duration
	 * @return the duration as written, {@code 0s} for zero
	 */
	public static String elapsed(Duration duration) {
		if (duration.getSeconds() == 0 && !duration.isZero()) {
			return duration.toMillis() + "ms";
		}
		return format(Duration.ofSeconds(duration.getSeconds()));
	}

	/**
	 * Write how long something has lasted, measured by a nanosecond ticker.
	 * @param nanos the difference of two ticker readings
	 * @return the duration as {@link #elapsed(Duration)} writes it
	 */
	public static String elapsed(long nanos) {
		return elapsed(Duration.ofNanos(nanos));
	}

	private static void append(StringBuilder text, long amount, String unit) {
		if (amount != 0) {
			text.append(amount).append(unit);
		}
	}

}
