package io.github.otelexport.export;

import java.util.EnumSet;
import java.util.Set;

import io.github.otelexport.export.transport.OtlpPartialSuccess;
import io.github.otelexport.stats.ExportErrorCategory;
import io.github.otelexport.stats.ExportFailure;

/**
 * How one attempt of the {@link ExportEngine} ended: exported, exported in part, or its
 * classified failure and the exception behind it.
 *
 * @param failure the failure, {@code null} when the request was accepted
 * @param cause the exception when no answer came, else {@code null}
 * @param partialSuccess what an accepted request's answer said it rejected
 * @author otel-export authors
 */
record Attempt(ExportFailure failure, Throwable cause, OtlpPartialSuccess partialSuccess) {

	private static final Set<ExportErrorCategory> NOT_SENT = EnumSet.of(ExportErrorCategory.CONNECTION_REFUSED,
			ExportErrorCategory.UNKNOWN_HOST, ExportErrorCategory.TLS, ExportErrorCategory.INVALID_ENDPOINT);

	static final Attempt SUCCESS = new Attempt(null, null, OtlpPartialSuccess.NONE);

	/**
	 * No attempt: the thread was interrupted before or while waiting for an answer.
	 */
	static final Attempt INTERRUPTED = new Attempt(null, null, OtlpPartialSuccess.NONE);

	Attempt(ExportFailure failure, Throwable cause) {
		this(failure, cause, OtlpPartialSuccess.NONE);
	}

	/**
	 * Whether the attempt ended without an answer after its request may have left: a
	 * timeout or a connection lost on the way, not a refused connection, an unknown host
	 * or a failed handshake.
	 */
	boolean abandoned() {
		return this.failure != null
				&& (this.cause != null || this.failure.category() == ExportErrorCategory.DEADLINE_EXCEEDED)
				&& !NOT_SENT.contains(this.failure.category());
	}

}
