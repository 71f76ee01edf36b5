package io.github.otelexport.stats;

/**
 * What an exporter is for: the primary destination, or the fallback that receives batches
 * while the primary keeps failing. Each role knows the prefix of its configuration
 * properties, so that messages name the property of the destination they are about.
 *
 * @author otel-export authors
 */
public enum DestinationRole {

	/**
	 * The exporter that receives batches while the circuit is closed.
	 */
	PRIMARY("primary", "otel.export."),

	/**
	 * The exporter that receives batches while the circuit is open.
	 */
	FALLBACK("fallback", "otel.export.fallback.");

	private final String value;

	private final String propertyPrefix;

	DestinationRole(String value, String propertyPrefix) {
		this.value = value;
		this.propertyPrefix = propertyPrefix;
	}

	/**
	 * Return the role's name as statistics, meters and the endpoint show it.
	 * @return {@code primary} or {@code fallback}
	 */
	public String value() {
		return this.value;
	}

	/**
	 * Return the prefix of this destination's properties.
	 * @return {@code otel.export.} or {@code otel.export.fallback.}
	 */
	public String propertyPrefix() {
		return this.propertyPrefix;
	}

	/**
	 * Return the full name of one of this destination's properties.
	 * @param key the key under the destination, for example {@code endpoint} or
	 * {@code tls.ca-file}
	 * @return the property name, for example {@code otel.export.fallback.endpoint}
	 */
	public String property(String key) {
		return this.propertyPrefix + key;
	}

	@Override
	public String toString() {
		return this.value;
	}

}
