package io.github.otelexport.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.otelexport.export.transport.Endpoints;

/**
 * The configuration in effect for one export destination, safe to show: header values are
 * masked and URL credentials removed. Values are written as users write them in their
 * configuration ({@code 10s}, {@code http/protobuf}).
 *
 * @param role {@code primary} or {@code fallback}
 * @param protocol {@code grpc} or {@code http/protobuf}
 * @param endpoint the endpoint without credentials
 * @param headers header names with masked values
 * @param timeout the export timeout, for example {@code 10s}
 * @param connectTimeout the connect timeout, for example {@code 10s}
 * @param compression {@code none} or {@code gzip}
 * @param tls whether custom TLS (CA, client certificate, SSL bundle or
 * {@code insecure-skip-verify}) is configured
 * @param insecureSkipVerify whether the server's certificate chain goes unverified
 * @author otel-export authors
 */
public record DestinationDescriptor(String role, String protocol, String endpoint, Map<String, String> headers,
		String timeout, String connectTimeout, String compression, boolean tls, boolean insecureSkipVerify) {

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
	 * @param timeout the export timeout, as users write it
	 * @param connectTimeout the connect timeout, as users write it
	 * @param compression the compression
	 * @param tls whether custom TLS is configured
	 * @param insecureSkipVerify whether the server's certificate chain goes unverified
	 * @return the descriptor
	 */
	public static DestinationDescriptor of(String role, String protocol, String endpoint, Map<String, String> headers,
			String timeout, String connectTimeout, String compression, boolean tls, boolean insecureSkipVerify) {
		Map<String, String> masked = new LinkedHashMap<>();
		if (headers != null) {
			headers.keySet().forEach((name) -> masked.put(name, MASK));
		}
		return new DestinationDescriptor(role, protocol, Endpoints.sanitize(endpoint), masked, timeout, connectTimeout,
				compression, tls, insecureSkipVerify);
	}

}
