package io.github.otelexport.autoconfigure;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.springframework.util.unit.DataSize;

/**
 * The range of every {@code otel.export.*} number, duration and data size, defined once
 * here and read by the resolver, which checks each value, and by
 * {@link OtelExportBindFailureAnalyzer}, which explains a value that could not even be
 * converted. A value outside its range throws
 * {@link InvalidOtelExportConfigurationException} naming the property, the value (as the
 * user writes it) and the range. The ranges users see are listed in docs/configuration.md
 * ("Checked at startup"), and why they are what they are in docs/ARCHITECTURE.md
 * ("Configuration decisions").
 *
 * @author otel-export authors
 */
final class ConfigurationChecks {

	/**
	 * The shortest duration: the SDK's senders count whole milliseconds.
	 */
	static final Duration MIN_DURATION = Duration.ofMillis(1);

	/**
	 * The longest duration: far below where nanoseconds added to a clock reading
	 * overflow.
	 */
	static final Duration MAX_DURATION = Duration.ofDays(1);

	/**
	 * The most spans the batch processor may queue: it allocates its queue up front.
	 */
	static final int MAX_QUEUE_SIZE = 1_000_000;

	/**
	 * The most recent errors kept, each with a message of up to a few KiB.
	 */
	static final int MAX_RECENT_ERRORS = 1_000;

	/**
	 * The most sender threads, each a thread of its own with one batch in flight: far
	 * more than one application needs (the OpenTelemetry Collector's exporter queue has
	 * 10 consumers by default).
	 */
	static final int MAX_CONCURRENCY = 64;

	/**
	 * The smallest size but 0: one span with its resource already takes hundreds of bytes
	 * of an export request, so a smaller buffer would drop almost every batch.
	 */
	static final DataSize MIN_DATA_SIZE = DataSize.ofKilobytes(1);

	/**
	 * The largest size: far beyond what a buffer in the heap should hold.
	 */
	static final DataSize MAX_DATA_SIZE = DataSize.ofGigabytes(16);

	private static final String PREFIX = "otel.export.";

	/**
	 * The sizes that may be zero, and what zero does; every other one starts at
	 * {@link #MIN_DATA_SIZE}.
	 */
	private static final Map<String, String> ZERO_DATA_SIZES = Map.of(PREFIX + "buffer.memory.max-size",
			"turns the buffer off");

	/**
	 * The durations that may be zero; every other one starts at {@link #MIN_DURATION}.
	 */
	private static final Set<String> ZERO_DURATIONS = Set.of(PREFIX + "health.grace-period");

	private static final Map<String, NumberRange> NUMBER_RANGES = Stream
		.of(whole("retry.max-attempts", 1, Integer.MAX_VALUE),
				whole("fallback.failure-threshold", 1, Integer.MAX_VALUE),
				// also at most batch.max-queue-size: the resolver checks the two together
				whole("batch.max-export-batch-size", 1, MAX_QUEUE_SIZE),
				whole("batch.max-queue-size", 1, MAX_QUEUE_SIZE), whole("sending.concurrency", 1, MAX_CONCURRENCY),
				whole("diagnostics.recent-errors", 1, MAX_RECENT_ERRORS),
				whole("debug.sampling-initial", 0, Integer.MAX_VALUE),
				whole("debug.sampling-thereafter", 1, Integer.MAX_VALUE),
				decimal("retry.multiplier", 1.0, Double.POSITIVE_INFINITY), decimal("retry.jitter", 0.0, 1.0))
		.collect(Collectors.toUnmodifiableMap(NumberRange::property, Function.identity()));

	private ConfigurationChecks() {
	}

	/**
	 * Check a duration against its property's range.
	 * @param property the property
	 * @param value the value
	 * @param example a value to suggest, usually the default
	 * @return the value
	 */
	static Duration duration(String property, Duration value, Duration example) {
		Duration min = minDuration(property);
		if (value.compareTo(min) < 0 || value.compareTo(MAX_DURATION) > 0) {
			String reason = (value.isNegative() || (value.isZero() && !min.isZero())) ? "the duration must be positive"
					: "the duration is out of range";
			throw new InvalidOtelExportConfigurationException(property, BootStyle.duration(value),
					reason + " (" + durationRange(min) + ")", "Set " + property + " to a duration " + durationRange(min)
							+ ", for example " + BootStyle.duration(example) + ".");
		}
		return value;
	}

	/**
	 * Describe the durations a property takes.
	 * @param property the property
	 * @return for example {@code a duration between 1ms and 1d}
	 */
	static String durationRange(String property) {
		return "a duration " + durationRange(minDuration(property));
	}

	/**
	 * Check a data size against its property's range.
	 * @param property the property
	 * @param value the value
	 * @param example a value to suggest, usually the default
	 * @return the value
	 */
	static DataSize dataSize(String property, DataSize value, DataSize example) {
		long bytes = value.toBytes();
		if (bytes == 0 && ZERO_DATA_SIZES.containsKey(property)) {
			return value;
		}
		if (bytes < MIN_DATA_SIZE.toBytes() || bytes > MAX_DATA_SIZE.toBytes()) {
			String reason = (bytes < 0) ? "the size must not be negative" : (bytes < MIN_DATA_SIZE.toBytes())
					? "the size is too small to hold an export request" : "the size is out of range";
			throw new InvalidOtelExportConfigurationException(property, BootStyle.dataSize(value),
					reason + " (" + dataSizeRange(property) + ")", "Set " + property + " to " + dataSizeRange(property)
							+ ", for example " + BootStyle.dataSize(example) + ".");
		}
		return value;
	}

	/**
	 * Describe the data sizes a property takes.
	 * @param property the property
	 * @return for example {@code a size between 1KB and 16GB, or 0 (turns the buffer
	 * off)}
	 */
	static String dataSizeRange(String property) {
		String zero = ZERO_DATA_SIZES.get(property);
		return "a size between " + BootStyle.dataSize(MIN_DATA_SIZE) + " and " + BootStyle.dataSize(MAX_DATA_SIZE)
				+ ((zero != null) ? ", or 0 (" + zero + ")" : "");
	}

	/**
	 * Read and check a duration given as a whole number of milliseconds, as the OTLP
	 * environment variables give it, against the range of every duration.
	 * @param name the variable's name
	 * @param value the value
	 * @param example a value to suggest
	 * @return the duration
	 */
	static Duration milliseconds(String name, String value, Duration example) {
		long min = MIN_DURATION.toMillis();
		long max = MAX_DURATION.toMillis();
		String action = "Set " + name + " to a whole number of milliseconds between " + min + " and " + max
				+ ", for example " + example.toMillis() + ".";
		BigInteger millis = wholeNumber(value);
		if (millis == null) {
			throw new InvalidOtelExportConfigurationException(name, value,
					"the value must be a whole number of milliseconds", action);
		}
		if (millis.compareTo(BigInteger.valueOf(min)) < 0 || millis.compareTo(BigInteger.valueOf(max)) > 0) {
			throw new InvalidOtelExportConfigurationException(name, value,
					"the duration is out of range (" + min + " to " + max + " milliseconds)", action);
		}
		return Duration.ofMillis(millis.longValueExact());
	}

	/**
	 * Check a whole number against its property's range.
	 * @param property the property
	 * @param value the value
	 * @param example a value to suggest, usually the default
	 * @return the value
	 */
	static int number(String property, int value, int example) {
		return (int) rangeOf(property).check(value, String.valueOf(value), example);
	}

	/**
	 * Check a number against its property's range; it must also be finite.
	 * @param property the property
	 * @param value the value
	 * @param example a value to suggest, usually the default
	 * @return the value
	 */
	static double number(String property, double value, double example) {
		return rangeOf(property).check(value, String.valueOf(value), example);
	}

	/**
	 * Describe the numbers a property takes.
	 * @param property the property
	 * @return for example {@code a whole number between 1 and 1000}, or {@code null} when
	 * the property is not a number with a range
	 */
	static String numberRange(String property) {
		NumberRange range = NUMBER_RANGES.get(property);
		return (range != null) ? range.describe() : null;
	}

	/**
	 * Read a whole number in decimal, however large.
	 * @param value the value
	 * @return the number, or {@code null} when the value is not a whole number
	 */
	static BigInteger wholeNumber(String value) {
		try {
			return new BigInteger(value.trim());
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private static NumberRange rangeOf(String property) {
		NumberRange range = NUMBER_RANGES.get(property);
		if (range == null) {
			throw new IllegalStateException("No range is defined for " + property);
		}
		return range;
	}

	private static Duration minDuration(String property) {
		return ZERO_DURATIONS.contains(property) ? Duration.ZERO : MIN_DURATION;
	}

	private static String durationRange(Duration min) {
		return "between " + BootStyle.duration(min) + " and " + BootStyle.duration(MAX_DURATION);
	}

	private static NumberRange whole(String key, int min, int max) {
		return new NumberRange(PREFIX + key, min, max, true);
	}

	private static NumberRange decimal(String key, double min, double max) {
		return new NumberRange(PREFIX + key, min, max, false);
	}

	/**
	 * The values a number property takes: whole numbers are ints, the others finite
	 * doubles.
	 */
	private record NumberRange(String property, double min, double max, boolean whole) {

		double check(double value, String shown, double example) {
			if (!Double.isFinite(value) || value < this.min || value > this.max) {
				throw new InvalidOtelExportConfigurationException(this.property, shown, "the value must be " + range(),
						"Set " + this.property + " to " + describe() + ", for example "
								+ (this.whole ? String.valueOf((long) example) : String.valueOf(example)) + ".");
			}
			return value;
		}

		String describe() {
			return this.whole ? "a whole number " + range() : range();
		}

		private String range() {
			if (this.whole) {
				return (this.max == Integer.MAX_VALUE) ? (long) this.min + " or more"
						: "between " + (long) this.min + " and " + (long) this.max;
			}
			return Double.isInfinite(this.max) ? "a finite number of at least " + this.min
					: "a number between " + this.min + " and " + this.max;
		}

	}

}
