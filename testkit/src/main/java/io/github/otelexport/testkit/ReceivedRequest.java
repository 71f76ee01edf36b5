package io.github.otelexport.testkit;

import java.util.Locale;
import java.util.Map;

/**
 * One request seen by an {@link OtlpReceiver}, whether it was accepted or not.
 *
 * @param signal the signal the request was sent for, or {@code null} for an HTTP request
 * to a path that serves none
 * @param protocol the transport the request arrived on
 * @param headers the request headers, names lower-cased, repeated values joined with
 * {@code ","}
 * @param gzip whether the body was gzip-compressed ({@code grpc-encoding: gzip} or
 * {@code Content-Encoding: gzip})
 * @param itemCount the number of spans or log records in the request, or 0 when the body
 * was not decoded
 * @param accepted whether the receiver answered with success (including partial success)
 * @author otel-export authors
 */
public record ReceivedRequest(Signal signal, Protocol protocol, Map<String, String> headers, boolean gzip,
		int itemCount, boolean accepted) {

	public ReceivedRequest {
		headers = Map.copyOf(headers);
	}

	/**
	 * Return the number of spans in the request.
	 * @return the {@linkplain #itemCount() item count} of a {@link Signal#TRACES}
	 * request, 0 for any other
	 */
	public int spanCount() {
		return (this.signal == Signal.TRACES) ? this.itemCount : 0;
	}

	/**
	 * Return the number of log records in the request.
	 * @return the {@linkplain #itemCount() item count} of a {@link Signal#LOGS} request,
	 * 0 for any other
	 */
	public int logRecordCount() {
		return (this.signal == Signal.LOGS) ? this.itemCount : 0;
	}

	/**
	 * Return the value of a header.
	 * @param name the header name, in any case
	 * @return the value, or {@code null} when the header was absent
	 */
	public String header(String name) {
		return this.headers.get(name.toLowerCase(Locale.ROOT));
	}

}
