package io.github.otelexport.autoconfigure;

import java.time.Duration;
import java.util.Map;

/**
 * The fully resolved settings of one OTLP destination.
 *
 * @param role {@code primary} or {@code fallback}
 * @param protocol {@code grpc} or {@code http/protobuf}
 * @param endpoint the endpoint URL
 * @param headers headers sent with every request
 * @param timeout longest wait for one export attempt
 * @param connectTimeout longest wait to open a connection
 * @param compression {@code none} or {@code gzip}
 * @param tls TLS trust and client identity
 * @author otel-export authors
 */
public record ExporterSettings(String role, String protocol, String endpoint, Map<String, String> headers,
		Duration timeout, Duration connectTimeout, String compression, TlsSettings tls) {

	@Override
	public String toString() {
		return "ExporterSettings{role=" + this.role + ", protocol=" + this.protocol + ", endpoint=" + this.endpoint
				+ ", headers=" + this.headers.keySet() + ", timeout=" + this.timeout + ", connectTimeout="
				+ this.connectTimeout + ", compression=" + this.compression + "}";
	}

}
