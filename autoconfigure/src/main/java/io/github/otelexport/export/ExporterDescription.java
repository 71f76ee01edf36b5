package io.github.otelexport.export;

/**
 * What an exporter is, for statistics and log lines: its role, its endpoint without
 * credentials and its protocol.
 *
 * @param role the destination the exporter sends to
 * @param endpoint the endpoint, sanitized on construction
 * @param protocol the protocol it speaks
 * @author otel-export authors
 */
public record ExporterDescription(DestinationRole role, String endpoint, OtlpProtocol protocol) {

	/**
	 * Create a description, removing credentials and query from the endpoint.
	 * @param role the role
	 * @param endpoint the endpoint
	 * @param protocol the protocol
	 */
	public ExporterDescription {
		if (role == null) {
			throw new IllegalArgumentException("role must not be null");
		}
		endpoint = Endpoints.sanitize(endpoint);
	}

	/**
	 * Describe the primary exporter.
	 * @param endpoint the endpoint
	 * @param protocol the protocol
	 * @return the description
	 */
	public static ExporterDescription primary(String endpoint, OtlpProtocol protocol) {
		return new ExporterDescription(DestinationRole.PRIMARY, endpoint, protocol);
	}

	/**
	 * Describe the fallback exporter.
	 * @param endpoint the endpoint
	 * @param protocol the protocol
	 * @return the description
	 */
	public static ExporterDescription fallback(String endpoint, OtlpProtocol protocol) {
		return new ExporterDescription(DestinationRole.FALLBACK, endpoint, protocol);
	}

	@Override
	public String toString() {
		return this.role + " " + this.protocol + " exporter " + this.endpoint + " (" + this.role.property("endpoint")
				+ ")";
	}

}
