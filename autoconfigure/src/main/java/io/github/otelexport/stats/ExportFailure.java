package io.github.otelexport.stats;

import java.time.Duration;

/**
 * The classified outcome of one failed export attempt.
 *
 * @param category what went wrong
 * @param retryable whether the OTLP specification allows the attempt to be retried
 * @param message a one-line description of the evidence, free of credentials
 * @param exceptionType the class name of the underlying exception, or {@code null}
 * @param retryAfter the delay the backend asked for (HTTP {@code Retry-After}, gRPC
 * {@code RetryInfo}), or {@code null}
 * @author otel-export authors
 */
public record ExportFailure(ExportErrorCategory category, boolean retryable, String message, String exceptionType,
		Duration retryAfter) {

}
