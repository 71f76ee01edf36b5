package io.github.otelexport.testkit;

/**
 * The OTLP transport a request arrived on.
 *
 * @author otel-export authors
 */
public enum Protocol {

	/** OTLP/gRPC ({@code TraceService/Export}, {@code LogsService/Export}). */
	GRPC,

	/**
	 * OTLP/HTTP with a protobuf body ({@code POST /v1/traces}, {@code POST /v1/logs}).
	 */
	HTTP

}
