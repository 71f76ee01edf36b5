package io.github.otelexport.autoconfigure;

import java.time.Duration;

/**
 * The ranges every {@code otel.export.*} number and duration must fall in, checked once
 * while the settings are resolved; a value outside its range throws
 * {@link InvalidOtelExportConfigurationException} naming the property, the value (as the
 * user writes it) and the range.
 * <p>
 * Every duration lies between {@link #MIN_DURATION} and {@link #MAX_DURATION}: the code
 * converts durations to nanoseconds and adds them to clock readings, which overflows
 * beyond about 292 years, and the SDK's senders take whole milliseconds (OkHttp rejects a
 * timeout below 1ms, and above about 24 days). A day is far beyond any sensible timeout,
 * delay or interval and far below every limit, so one range serves every duration.
 *
 * @author otel-export authors
 */
final class ConfigurationChecks {

	/**
	 * The shortest duration: the SDK's senders count whole milliseconds.
	 */
	static final Duration MIN_DURATION = Duration.ofMillis(1);

	/**
	 * The longest duration.
	 */
	static final Duration MAX_DURATION = Duration.ofDays(1);

	private ConfigurationChecks() {
	}

	/**
	 * Check a duration that must be at least {@link #MIN_DURATION}.
	 * @param property the property
	 * @param value the value
	 * @param example a value to suggest, usually the default
	 * @return the value
	 */
	static Duration duration(String property, Duration value, Duration example) {
		return duration(property, value, MIN_DURATION, example);
	}

	/**
	 * Check a duration that may be zero.
	 * @param property the property
	 * @param value the value
	 * @param example a value to suggest, usually the default
	 * @return the value
	 */
	static Duration durationOrZero(String property, Duration value, Duration example) {
		return duration(property, value, Duration.ZERO, example);
	}

	private static Duration duration(String property, Duration value, Duration min, Duration example) {
		if (value.compareTo(min) < 0 || value.compareTo(MAX_DURATION) > 0) {
			String range = "between " + BootStyle.duration(min) + " and " + BootStyle.duration(MAX_DURATION);
			String reason = (value.isNegative() || (value.isZero() && !min.isZero())) ? "the duration must be positive"
					: "the duration is out of range";
			throw new InvalidOtelExportConfigurationException(property, BootStyle.duration(value),
					reason + " (" + range + ")", "Set " + property + " to a duration " + range + ", for example "
							+ BootStyle.duration(example) + ".");
		}
		return value;
	}

	/**
	 * Check a whole number.
	 * @param property the property
	 * @param value the value
	 * @param min the smallest value allowed
	 * @param max the largest value allowed
	 * @param example a value to suggest, usually the default
	 * @return the value
	 */
	static int number(String property, int value, int min, int max, int example) {
		if (value < min || value > max) {
			String range = (max == Integer.MAX_VALUE) ? min + " or more" : "between " + min + " and " + max;
			throw new InvalidOtelExportConfigurationException(property, String.valueOf(value),
					"the value must be " + range,
					"Set " + property + " to a whole number " + range + ", for example " + example + ".");
		}
		return value;
	}

	/**
	 * Check a number that must be finite.
	 * @param property the property
	 * @param value the value
	 * @param min the smallest value allowed
	 * @param max the largest value allowed, {@link Double#POSITIVE_INFINITY} for none
	 * @param example a value to suggest, usually the default
	 * @return the value
	 */
	static double number(String property, double value, double min, double max, double example) {
		if (!Double.isFinite(value) || value < min || value > max) {
			String range = Double.isInfinite(max) ? "a finite number of at least " + min
					: "a number between " + min + " and " + max;
			throw new InvalidOtelExportConfigurationException(property, String.valueOf(value),
					"the value must be " + range,
					"Set " + property + " to " + range + ", for example " + example + ".");
		}
		return value;
	}

}
