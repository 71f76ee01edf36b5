package io.github.otelexport.export.transport;

/**
 * The OTLP transport an exporter speaks.
 *
 * @author otel-export authors
 */
public enum OtlpProtocol {

	/**
	 * OTLP over gRPC, usually on port 4317.
	 */
	GRPC("grpc", "http://localhost:4317"),

	/**
	 * OTLP over HTTP with protobuf bodies, usually on port 4318 with path
	 * {@code /v1/traces}.
	 */
	HTTP_PROTOBUF("http/protobuf", "http://localhost:4318/v1/traces");

	private final String value;

	private final String defaultEndpoint;

	OtlpProtocol(String value, String defaultEndpoint) {
		this.value = value;
		this.defaultEndpoint = defaultEndpoint;
	}

	/**
	 * Return the name the OTLP specification gives this protocol, as users write it.
	 * @return {@code grpc} or {@code http/protobuf}
	 */
	public String value() {
		return this.value;
	}

	/**
	 * Return the endpoint of a Collector on this machine for this protocol.
	 * @return the default endpoint
	 */
	public String defaultEndpoint() {
		return this.defaultEndpoint;
	}

	@Override
	public String toString() {
		return this.value;
	}

}
