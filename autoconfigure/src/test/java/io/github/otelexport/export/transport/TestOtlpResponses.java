package io.github.otelexport.export.transport;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Server answers as a transport returns them, for the tests of what reads them (the
 * classifier, the exporter) outside this package.
 *
 * @author otel-export authors
 */
public final class TestOtlpResponses {

	private TestOtlpResponses() {
	}

	/**
	 * An http/protobuf answer with an empty body.
	 * @param status the HTTP status
	 * @return the response
	 */
	public static OtlpResponse http(int status) {
		return http(status, "", Map.of(), new byte[0]);
	}

	/**
	 * An http/protobuf answer.
	 * @param status the HTTP status
	 * @param message the error text read from the body
	 * @param headers the response headers
	 * @param body the body
	 * @return the response
	 */
	public static OtlpResponse http(int status, String message, Map<String, List<String>> headers, byte[] body) {
		return OtlpResponse.http(status).message(message).headers(headers).body(body, false).build();
	}

	/**
	 * An http/protobuf answer that asks for a delay before the next attempt.
	 * @param status the HTTP status
	 * @param retryAfter the delay, as read from {@code Retry-After}
	 * @return the response
	 */
	public static OtlpResponse http(int status, Duration retryAfter) {
		return OtlpResponse.http(status).retryAfter(retryAfter).build();
	}

	/**
	 * A gRPC answer with a status.
	 * @param code the gRPC status code
	 * @param message the {@code grpc-message}
	 * @param retryDelay the {@code RetryInfo} delay, or {@code null}
	 * @return the response
	 */
	public static OtlpResponse grpc(int code, String message, Duration retryDelay) {
		return OtlpResponse.grpc(200).grpcStatus(code).message(message).retryAfter(retryDelay).build();
	}

	/**
	 * A gRPC answer without a gRPC status, such as a proxy's error page.
	 * @param httpStatus the HTTP status
	 * @param message the error text read from the body
	 * @param bodyCut whether the body was longer than the limit
	 * @return the response
	 */
	public static OtlpResponse grpcWithoutStatus(int httpStatus, String message, boolean bodyCut) {
		return OtlpResponse.grpc(httpStatus).message(message).body(new byte[0], bodyCut).build();
	}

}
