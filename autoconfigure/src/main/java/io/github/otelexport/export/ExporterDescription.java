package io.github.otelexport.export;

/**
 * What an exporter is, for statistics and log lines: its role, its endpoint without
 * credentials and its protocol.
 *
 * @param role {@code primary} or {@code fallback}
 * @param endpoint the endpoint, sanitized on construction
 * @param protocol {@code grpc} or {@code http/protobuf}
 * @author otel-export authors
 */
public record ExporterDescription(String role, String endpoint, String protocol) {

	/**
	 * The role of the exporter that receives batches while the circuit is closed.
	 */
	public static final String PRIMARY = "primary";

	/**
	 * The role of the exporter that receives batches while the circuit is open.
	 */
	public static final String FALLBACK = "fallback";

	/**
	 * The prefix of the properties that configure the primary.
	 */
	static final String PRIMARY_PROPERTIES = "otel.export.";

	/**
	 * The prefix of the properties that configure the fallback.
	 */
	static final String FALLBACK_PROPERTIES = "otel.export.fallback.";

	/**
	 * Create a description, removing credentials and query from the endpoint.
	 * @param role the role
	 * @param endpoint the endpoint
	 * @param protocol the protocol
	 */
	public ExporterDescription {
		if (role == null || role.isBlank()) {
			throw new IllegalArgumentException("role must not be empty");
		}
		endpoint = Endpoints.sanitize(endpoint);
	}

	/**
	 * Describe the primary exporter.
	 * @param endpoint the endpoint
	 * @param protocol the protocol
	 * @return the description
	 */
	public static ExporterDescription primary(String endpoint, String protocol) {
		return new ExporterDescription(PRIMARY, endpoint, protocol);
	}

	/**
	 * Describe the fallback exporter.
	 * @param endpoint the endpoint
	 * @param protocol the protocol
	 * @return the description
	 */
	public static ExporterDescription fallback(String endpoint, String protocol) {
		return new ExporterDescription(FALLBACK, endpoint, protocol);
	}

	/**
	 * Return the prefix of the properties that configure the exporter of a role, so that
	 * a hint or a log line about the fallback names {@code otel.export.fallback.*}.
	 * @param role {@code primary} or {@code fallback}
	 * @return {@code otel.export.} or {@code otel.export.fallback.}
	 */
	static String propertyPrefix(String role) {
		return FALLBACK.equals(role) ? FALLBACK_PROPERTIES : PRIMARY_PROPERTIES;
	}

	@Override
	public String toString() {
		return this.role + " " + this.protocol + " exporter " + this.endpoint + " (" + propertyPrefix(this.role)
				+ "endpoint)";
	}

}
