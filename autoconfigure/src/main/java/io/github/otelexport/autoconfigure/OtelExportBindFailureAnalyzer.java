package io.github.otelexport.autoconfigure;

import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Explains an {@code otel.export.*} value that Spring Boot cannot convert to its type
 * (not a number, a duration too long to represent, an unknown protocol) the way
 * {@link OtelExportConfigurationFailureAnalyzer} explains the values it can convert:
 * property, value and what to write instead, with the range every duration must fall in.
 * Ordered before Spring Boot's own analysis of binding failures, which says only "Update
 * your application's configuration".
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
		String expected = expected(type, value);
		if (expected == null) {
			return null;
		}
		String description = "Invalid otel-export configuration:%n%n    Property: %s%n    Value: '%s'%n    Origin: %s%n    Reason: it is not %s"
			.formatted(name, value, property.getOrigin(), expected);
		return new FailureAnalysis(description, "Set " + name + " to " + expected + ".", cause);
	}

	private static String expected(Class<?> type, String value) {
		if (type == Duration.class) {
			return "a duration between " + BootStyle.duration(ConfigurationChecks.MIN_DURATION) + " and "
					+ BootStyle.duration(ConfigurationChecks.MAX_DURATION) + ", such as 500ms, 10s or 5m";
		}
		if (type == int.class || type == Integer.class) {
			return "a whole number, such as 10";
		}
		if (type == double.class || type == Double.class) {
			return "a number, such as 0.5";
		}
		if (type == boolean.class || type == Boolean.class) {
			return "true or false";
		}
		if (type.isEnum()) {
			String values = Arrays.stream(type.getEnumConstants())
				.map((constant) -> "'" + constant + "'")
				.collect(Collectors.joining(" or "));
			return "one of " + values + (value.equalsIgnoreCase("http/json") ? " (http/json is not supported)" : "");
		}
		return null;
	}

}
