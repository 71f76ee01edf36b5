package io.github.otelexport.export.transport;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The attempts a transport has not answered yet, so that closing it completes every one
 * of them instead of leaving a caller waiting.
 *
 * @author otel-export authors
 */
final class InFlight {

	private final Set<CompletableFuture<OtlpResponse>> attempts = ConcurrentHashMap.newKeySet();

	private volatile boolean closed;

	/**
	 * Start tracking a new attempt.
	 * @return the attempt's result, or one already failed when the transport is closed
	 */
	CompletableFuture<OtlpResponse> start() {
		CompletableFuture<OtlpResponse> result = new CompletableFuture<>();
		if (this.closed) {
			result.completeExceptionally(new IllegalStateException("The OTLP transport is closed"));
			return result;
		}
		this.attempts.add(result);
		result.whenComplete((response, failure) -> this.attempts.remove(result));
		if (this.closed) {
			// closed while this attempt was being added
			result.completeExceptionally(closedError());
		}
		return result;
	}

	boolean isClosed() {
		return this.closed;
	}

	/**
	 * Fail every open attempt; attempts started from now on fail at once.
	 */
	void close() {
		this.closed = true;
		IOException closed = closedError();
		this.attempts.forEach((attempt) -> attempt.completeExceptionally(closed));
	}

	private static IOException closedError() {
		return new IOException("The OTLP transport was closed before the response arrived");
	}

}
