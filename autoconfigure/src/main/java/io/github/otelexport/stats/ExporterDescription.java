package io.github.otelexport.stats;

import io.github.otelexport.export.transport.Endpoints;
import io.github.otelexport.export.transport.OtlpProtocol;

/**
 * What an exporter is, for statistics and log lines: its role, its endpoint without
 * credentials, its protocol, and where its headers are configured, for hints.
 *
 * @param role the destination the exporter sends to
 * @param endpoint the endpoint, sanitized on construction
 * @param protocol the protocol it speaks
 * @param headersProperty the property or environment variable that holds the exporter's
 * headers (see {@link io.github.otelexport.export.ExporterSettings#headersProperty()})
 * @author otel-export authors
 */
public record ExporterDescription(DestinationRole role, String endpoint, OtlpProtocol protocol,
		String headersProperty) {

	/**
	 * Create a description, removing credentials and query from the endpoint.
	 * @param role the role
	 * @param endpoint the endpoint
	 * @param protocol the protocol
	 * @param headersProperty where the headers are configured
	 */
	public ExporterDescription {
		if (role == null) {
			throw new IllegalArgumentException("role must not be null");
		}
		if (headersProperty == null) {
			throw new IllegalArgumentException("headersProperty must not be null");
		}
		endpoint = Endpoints.sanitize(endpoint);
	}

	/**
	 * Create a description of an exporter whose headers are its role's own
	 * ({@code otel.export.headers} or {@code otel.export.fallback.headers}).
	 * @param role the role
	 * @param endpoint the endpoint
	 * @param protocol the protocol
	 */
	public ExporterDescription(DestinationRole role, String endpoint, OtlpProtocol protocol) {
		this(role, endpoint, protocol, (role != null) ? role.property("headers") : null);
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
