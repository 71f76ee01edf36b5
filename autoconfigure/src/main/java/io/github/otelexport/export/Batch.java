package io.github.otelexport.export;

import io.github.otelexport.export.store.DiskRecord;
import io.github.otelexport.export.transport.Signal;

/**
 * One call's items, of one signal, encoded once as the request every attempt sends, and
 * whether they have reached their bucket in the statistics yet.
 *
 * @author otel-export authors
 */
final class Batch {

	final Signal signal;

	/**
	 * The request's bytes; {@code null} while only the disk buffer holds them.
	 */
	byte[] request;

	/**
	 * Where the disk buffer keeps the batch, or {@code null}.
	 */
	DiskRecord record;

	/**
	 * The bytes the memory buffer holds for it, until it is exported, dropped or kept on
	 * disk only: also while a sender holds it, so that it always has its room to come
	 * back to.
	 */
	int reserved;

	/**
	 * When its retry budget ends (ticker nanos).
	 */
	long deadline;

	final int count;

	boolean accounted;

	/**
	 * Attempts of the rounds before this one on each destination, for the backoff.
	 */
	int attemptsBefore;

	/**
	 * Attempts abandoned without an answer: each may have left a copy at a backend.
	 */
	int abandonedAttempts;

	/**
	 * Where its attempts stand while it waits in the buffer.
	 */
	final RetryState retry = new RetryState();

	Batch(Signal signal, int count) {
		this.signal = signal;
		this.count = count;
	}

}
