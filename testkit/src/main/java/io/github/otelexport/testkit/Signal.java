package io.github.otelexport.testkit;

/**
 * The OTLP signal a request carries. Both are served on the same two ports, with the same
 * faults.
 *
 * @author otel-export authors
 */
public enum Signal {

	/**
	 * Spans: {@code TraceService/Export} over gRPC, {@code POST /v1/traces} over HTTP.
	 */
	TRACES("/v1/traces"),

	/**
	 * Log records: {@code LogsService/Export} over gRPC, {@code POST /v1/logs} over HTTP.
	 */
	LOGS("/v1/logs");

	private final String httpPath;

	Signal(String httpPath) {
		this.httpPath = httpPath;
	}

	String httpPath() {
		return this.httpPath;
	}

	/**
	 * Return the signal served at an OTLP/HTTP path.
	 * @param path the request path, without query
	 * @return the signal, or {@code null} when the path serves none
	 */
	static Signal forHttpPath(String path) {
		for (Signal signal : values()) {
			if (signal.httpPath.equals(path)) {
				return signal;
			}
		}
		return null;
	}

}
