package io.github.otelexport.testkit;

import java.util.Map;

/**
 * One request seen by an {@link OtlpReceiver}, whether it was accepted or not.
 *
 * @param protocol the transport the request arrived on
 * @param headers the request headers, names lower-cased, repeated values joined with
 * {@code ","}
 * @param gzip whether the body was gzip-compressed ({@code grpc-encoding: gzip} or
 * {@code Content-Encoding: gzip})
 * @param spanCount the number of spans in the request, or 0 when the body was not decoded
 * @param accepted whether the receiver answered with success (including partial success)
 * @author otel-export authors
 */
public record ReceivedRequest(Protocol protocol, Map<String, String> headers, boolean gzip, int spanCount,
		boolean accepted) {

	public ReceivedRequest {
		headers = Map.copyOf(headers);
	}

	/**
	 * Return the value of a header.
	 * @param name the header name, in any case
	 * @return the value, or {@code null} when the header was absent
	 */
	public String header(String name) {
		return this.headers.get(name.toLowerCase(java.util.Locale.ROOT));
	}

}
