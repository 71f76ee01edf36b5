package io.github.otelexport.actuate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.otelexport.export.Endpoints;

/**
 * The effective configuration of one export destination, safe to show: header values are
 * masked and URL credentials removed.
 *
 * @param role {@code primary} or {@code fallback}
 * @param protocol {@code grpc} or {@code http/protobuf}
 * @param endpoint the endpoint without credentials
 * @param headers header names with masked values
 * @param timeout the export timeout, ISO-8601
 * @param connectTimeout the connect timeout, ISO-8601
 * @param compression {@code none} or {@code gzip}
 * @param tls whether custom TLS (CA, client certificate or SSL bundle) is configured
 * @author otel-export authors
 */
public record DestinationDescriptor(String role, String protocol, String endpoint, Map<String, String> headers,
		String timeout, String connectTimeout, String compression, boolean tls) {

	/**
	 * What every header value is shown as.
	 */
	public static final String MASK = "******";

	/**
	 * Create a descriptor, masking header values and removing URL credentials.
	 * @param role {@code primary} or {@code fallback}
	 * @param protocol the protocol
	 * @param endpoint the endpoint URL as configured
	 * @param headers the configured headers; only their names are kept
	 * @param timeout the export timeout
	 * @param connectTimeout the connect timeout
	 * @param compression the compression
	 * @param tls whether custom TLS is configured
	 * @return the descriptor
	 */
	public static DestinationDescriptor of(String role, String protocol, String endpoint, Map<String, String> headers,
			Duration timeout, Duration connectTimeout, String compression, boolean tls) {
		Map<String, String> masked = new LinkedHashMap<>();
		if (headers != null) {
			headers.keySet().forEach((name) -> masked.put(name, MASK));
		}
		return new DestinationDescriptor(role, protocol, Endpoints.sanitize(endpoint), masked, string(timeout),
				string(connectTimeout), compression, tls);
	}

	private static String string(Duration duration) {
		return (duration != null) ? duration.toString() : null;
	}

}
