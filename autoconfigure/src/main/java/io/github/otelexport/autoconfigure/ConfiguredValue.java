package io.github.otelexport.autoconfigure;

/**
 * A configuration value together with where it came from (a property name or an
 * environment variable name), so that errors can name their source.
 *
 * @param <T> the value type
 * @param value the value
 * @param origin the property or environment variable name
 * @author otel-export authors
 */
record ConfiguredValue<T>(T value, String origin) {

}
