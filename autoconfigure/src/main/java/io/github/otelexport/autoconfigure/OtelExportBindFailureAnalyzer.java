package io.github.otelexport.autoconfigure;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.util.unit.DataSize;

/**
 * Explains an {@code otel.export.*} value that Spring Boot cannot convert to its type
 * (not a number, a duration or size too long to represent, an unknown protocol) the way
 * {@link OtelExportConfigurationFailureAnalyzer} explains the values it can convert:
 * property, value and what to write instead, with the range the property takes
 * ({@link ConfigurationChecks}). Ordered before Spring Boot's own analysis of binding
 * failures, which says only "Update your application's configuration".
 *
 * @author otel-export authors
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class OtelExportBindFailureAnalyzer extends AbstractFailureAnalyzer<BindException> {

	private static final String PREFIX = "otel.export.";

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
		ConfigurationProperty property = cause.getProperty();
		String name = cause.getName().toString();
		if (property == null || !name.startsWith(PREFIX)) {
			return null;
		}
		Class<?> type = cause.getTarget().getType().resolve(Object.class);
		String value = String.valueOf(property.getValue());
		Explanation explanation = explain(name, type, value);
		if (explanation == null) {
			return null;
		}
		String description = "Invalid otel-export configuration:%n%n    Property: %s%n    Value: '%s'%n    Origin: %s%n    Reason: %s"
			.formatted(name, value, property.getOrigin(), explanation.reason());
		return new FailureAnalysis(description, "Set " + name + " to " + explanation.expected() + ".", cause);
	}

	private static Explanation explain(String name, Class<?> type, String value) {
		if (type == Duration.class) {
			String expected = ConfigurationChecks.durationRange(name) + ", such as 500ms, 10s or 5m";
			return new Explanation("it is not " + expected, expected);
		}
		if (type == DataSize.class) {
			String expected = ConfigurationChecks.dataSizeRange(name) + ", such as 512KB, 64MB or 1GB";
			return new Explanation("it is not " + expected, expected);
		}
		if (type == int.class || type == Integer.class) {
			return explainWholeNumber(name, value);
		}
		if (type == double.class || type == Double.class) {
			String range = ConfigurationChecks.numberRange(name);
			return new Explanation("it is not a number", (range != null) ? range : "a number, such as 0.5");
		}
		if (type == boolean.class || type == Boolean.class) {
			return new Explanation("it is not true or false", "true or false");
		}
		if (type.isEnum()) {
			String expected = "one of "
					+ Arrays.stream(type.getEnumConstants())
						.map((constant) -> "'" + constant + "'")
						.collect(Collectors.joining(" or "))
					+ (value.equalsIgnoreCase("http/json") ? " (http/json is not supported)" : "");
			return new Explanation("it is not " + expected, expected);
		}
		return null;
	}

	/**
	 * A whole number that does not fit in an int is a whole number all the same: say
	 * which range the type takes, and which one the property takes.
	 */
	private static Explanation explainWholeNumber(String name, String value) {
		String range = ConfigurationChecks.numberRange(name);
		String expected = (range != null) ? range
				: "a whole number between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE;
		BigInteger number = ConfigurationChecks.wholeNumber(value);
		if (number == null) {
			return new Explanation("it is not a whole number", expected);
		}
		String limit = (number.signum() > 0) ? "too large: whole numbers here go up to " + Integer.MAX_VALUE
				: "too small: whole numbers here go down to " + Integer.MIN_VALUE;
		return new Explanation("the number is " + limit, expected);
	}

	private record Explanation(String reason, String expected) {

	}

}
