package io.github.otelexport.export.transport;

/**
 * What an OTLP request carries: each signal has its own service, gRPC method and
 * http/protobuf path, and its own counting.
 *
 * @author otel-export authors
 */
public enum Signal {

	/** Spans, in an {@code ExportTraceServiceRequest}. */
	TRACES("/opentelemetry.proto.collector.trace.v1.TraceService/Export", "/v1/traces", "span", "spans"),

	/** Log records, in an {@code ExportLogsServiceRequest}. */
	LOGS("/opentelemetry.proto.collector.logs.v1.LogsService/Export", "/v1/logs", "log record", "log records");

	private final String grpcMethodPath;

	private final String httpPath;

	private final String item;

	private final String items;

	Signal(String grpcMethodPath, String httpPath, String item, String items) {
		this.grpcMethodPath = grpcMethodPath;
		this.httpPath = httpPath;
		this.item = item;
		this.items = items;
	}

	/**
	 * Return the path of the signal's gRPC {@code Export} method.
	 * @return the path
	 */
	public String grpcMethodPath() {
		return this.grpcMethodPath;
	}

	/**
	 * Return the path an http/protobuf endpoint of the signal ends in by convention.
	 * @return {@code /v1/traces} or {@code /v1/logs}
	 */
	public String httpPath() {
		return this.httpPath;
	}

	/**
	 * Return one item of the signal, as log lines name it.
	 * @return {@code span} or {@code log record}
	 */
	public String item() {
		return this.item;
	}

	/**
	 * Return what a request of the signal holds, as log lines name it.
	 * @return {@code spans} or {@code log records}
	 */
	public String items() {
		return this.items;
	}

}
