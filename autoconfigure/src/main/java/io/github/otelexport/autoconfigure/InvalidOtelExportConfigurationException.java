package io.github.otelexport.autoconfigure;

/**
 * Thrown at startup when an {@code otel.export.*} setting (or an
 * {@code OTEL_EXPORTER_OTLP_*} environment variable used in its place) cannot work. The
 * value it carries is already free of credentials.
 *
 * @author otel-export authors
 */
public final class InvalidOtelExportConfigurationException extends RuntimeException {

	private final String property;

	private final String value;

	private final String reason;

	private final String action;

	/**
	 * Create a new instance.
	 * @param property the property (or environment variable) name
	 * @param value the value seen, free of credentials
	 * @param reason why the value cannot work
	 * @param action what to write instead
	 */
	public InvalidOtelExportConfigurationException(String property, String value, String reason, String action) {
		super("Invalid value '" + value + "' for " + property + ": " + reason);
		this.property = property;
		this.value = value;
		this.reason = reason;
		this.action = action;
	}

	/**
	 * Return the name of the property or environment variable.
	 * @return the property name
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * Return the value seen, free of credentials.
	 * @return the value
	 */
	public String getValue() {
		return this.value;
	}

	/**
	 * Return why the value cannot work.
	 * @return the reason
	 */
	public String getReason() {
		return this.reason;
	}

	/**
	 * Return what to write instead.
	 * @return the action
	 */
	public String getAction() {
		return this.action;
	}

}
