package io.github.otelexport.export.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * Everything a server answered to one OTLP request, whichever the protocol: the HTTP
 * status, the gRPC status when the server sent one, the message, headers, trailers and
 * body, and what the transport read from them (a server-advised retry delay, a partial
 * success). Immutable. Every text from the backend is capped at 64 Ki characters, marked
 * when cut (cutting it for display comes after secrets are masked); the body at
 * {@value #MAX_BODY_BYTES} bytes.
 *
 * @author otel-export authors
 */
public final class OtlpResponse {

	/** The most body bytes read from a response; the rest is never read. */
	public static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

	private static final int GRPC_OK = 0;

	private final boolean grpc;

	private final int httpStatus;

	private final Integer grpcStatus;

	private final String message;

	private final Map<String, List<String>> headers;

	private final Map<String, List<String>> trailers;

	private final byte[] body;

	private final boolean bodyCut;

	private final Duration retryAfter;

	private final OtlpPartialSuccess partialSuccess;

	private OtlpResponse(Builder builder) {
		this.grpc = builder.grpc;
		this.httpStatus = builder.httpStatus;
		this.grpcStatus = builder.grpcStatus;
		this.message = BackendText.cap(builder.message);
		this.headers = builder.headers;
		this.trailers = builder.trailers;
		this.body = builder.body;
		this.bodyCut = builder.bodyCut;
		this.retryAfter = builder.retryAfter;
		this.partialSuccess = isSuccess() ? OtlpPartialSuccess.parse(this.body) : OtlpPartialSuccess.NONE;
	}

	/**
	 * Whether this is the answer to a gRPC call (else to an http/protobuf request).
	 * @return {@code true} for gRPC
	 */
	public boolean isGrpc() {
		return this.grpc;
	}

	/**
	 * Return the HTTP status; for gRPC the status of the HTTP/2 response, normally 200.
	 * @return the HTTP status
	 */
	public int httpStatus() {
		return this.httpStatus;
	}

	/**
	 * Return the gRPC status code, from the headers (a trailers-only response) or the
	 * trailers. Empty for http/protobuf, and for a gRPC response without one (something
	 * other than a gRPC server answered, or the body was cut before the trailers).
	 * @return the gRPC status code
	 */
	public OptionalInt grpcStatus() {
		return (this.grpcStatus != null) ? OptionalInt.of(this.grpcStatus) : OptionalInt.empty();
	}

	/**
	 * Whether the server accepted the request: gRPC status {@code OK}, or an HTTP 2xx for
	 * http/protobuf. Some items may still have been rejected: see
	 * {@link #partialSuccess()}.
	 * @return whether the request was accepted
	 */
	public boolean isSuccess() {
		if (this.grpc) {
			return this.grpcStatus != null && this.grpcStatus == GRPC_OK && this.httpStatus == 200;
		}
		return this.httpStatus >= 200 && this.httpStatus < 300;
	}

	/**
	 * Return what the server said about a failure: the {@code grpc-message}, or the
	 * message of an error body ({@code google.rpc.Status}, or text). Empty on success.
	 * @return the message, at most 64 Ki characters, marked when cut
	 */
	public String message() {
		return this.message;
	}

	/**
	 * Return the response headers.
	 * @return lower-case names to values (each at most 64 Ki characters, marked when cut)
	 */
	public Map<String, List<String>> headers() {
		return this.headers;
	}

	/**
	 * Return the first value of a header.
	 * @param name the header name, in any case
	 * @return the value
	 */
	public Optional<String> header(String name) {
		List<String> values = this.headers.get(name.toLowerCase(Locale.ROOT));
		return (values != null && !values.isEmpty()) ? Optional.of(values.get(0)) : Optional.empty();
	}

	/**
	 * Return the trailers; empty for http/protobuf and for a trailers-only gRPC response,
	 * whose status is in the headers.
	 * @return lower-case names to values (each at most 64 Ki characters, marked when cut)
	 */
	public Map<String, List<String>> trailers() {
		return this.trailers;
	}

	/**
	 * Return the body: the response message for gRPC (without its framing), the body for
	 * http/protobuf.
	 * @return a copy of the body, at most {@value #MAX_BODY_BYTES} bytes
	 */
	public byte[] body() {
		return this.body.clone();
	}

	/**
	 * Whether the body was longer than {@value #MAX_BODY_BYTES} bytes and only its start
	 * was read; the rest was never received.
	 * @return whether the body was cut
	 */
	public boolean isBodyCut() {
		return this.bodyCut;
	}

	/**
	 * Return the delay the server asked for before the next attempt: HTTP
	 * {@code Retry-After} (seconds or an HTTP-date), or a gRPC
	 * {@code google.rpc.RetryInfo} in {@code grpc-status-details-bin}. Whether to honour
	 * it is the caller's decision.
	 * @return the delay
	 */
	public Optional<Duration> retryAfter() {
		return Optional.ofNullable(this.retryAfter);
	}

	/**
	 * Return the partial success of an accepted request.
	 * @return the partial success, {@link OtlpPartialSuccess#NONE} when the request
	 * failed or the body says nothing readable
	 */
	public OtlpPartialSuccess partialSuccess() {
		return this.partialSuccess;
	}

	@Override
	public String toString() {
		// no message, headers or body: they may echo a secret the caller has not redacted
		return "OtlpResponse{" + (this.grpc ? "grpc" : "http/protobuf") + ", http=" + this.httpStatus
				+ ((this.grpcStatus != null) ? ", grpc-status=" + this.grpcStatus : "") + ", body=" + this.body.length
				+ (this.bodyCut ? " bytes (cut)" : " bytes")
				+ ((this.retryAfter != null) ? ", retryAfter=" + this.retryAfter : "") + "}";
	}

	static Builder http(int status) {
		return new Builder(false, status);
	}

	static Builder grpc(int httpStatus) {
		return new Builder(true, httpStatus);
	}

	/**
	 * Collects a response as a transport reads it.
	 */
	static final class Builder {

		private final boolean grpc;

		private final int httpStatus;

		private Integer grpcStatus;

		private String message = "";

		private Map<String, List<String>> headers = Map.of();

		private Map<String, List<String>> trailers = Map.of();

		private byte[] body = new byte[0];

		private boolean bodyCut;

		private Duration retryAfter;

		private Builder(boolean grpc, int httpStatus) {
			this.grpc = grpc;
			this.httpStatus = httpStatus;
		}

		Builder grpcStatus(Integer grpcStatus) {
			this.grpcStatus = grpcStatus;
			return this;
		}

		Builder message(String message) {
			this.message = (message != null) ? message : "";
			return this;
		}

		Builder headers(Map<String, List<String>> headers) {
			this.headers = capped(headers);
			return this;
		}

		Builder trailers(Map<String, List<String>> trailers) {
			this.trailers = capped(trailers);
			return this;
		}

		Builder body(byte[] body, boolean cut) {
			this.body = body;
			this.bodyCut = cut;
			return this;
		}

		Builder retryAfter(Duration retryAfter) {
			this.retryAfter = retryAfter;
			return this;
		}

		OtlpResponse build() {
			return new OtlpResponse(this);
		}

		private static Map<String, List<String>> capped(Map<String, List<String>> headers) {
			Map<String, List<String>> capped = new TreeMap<>();
			headers.forEach((name, values) -> {
				List<String> kept = capped.computeIfAbsent(name.toLowerCase(Locale.ROOT), (key) -> new ArrayList<>());
				values.forEach((value) -> kept.add(BackendText.cap(value)));
			});
			capped.replaceAll((name, values) -> List.copyOf(values));
			return Collections.unmodifiableMap(capped);
		}

	}

}
