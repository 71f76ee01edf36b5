package io.github.otelexport.export.transport;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Collects a JDK HttpClient response body up to a limit. Past the limit it stops reading
 * (the client then closes the connection) and completes with what it has, marked as cut.
 * {@link #abort(Throwable)} ends it from outside, when the attempt's deadline passes, as
 * the JDK's own request timeout does not cover the body.
 * <p>
 * It never blocks: the client's threads only copy bytes into it.
 *
 * @author otel-export authors
 */
final class CappedBodySubscriber implements HttpResponse.BodySubscriber<CappedBodySubscriber.Body> {

	private static final int INITIAL_CAPACITY = 8 * 1024;

	private static final Flow.Subscription CANCELLED = new Flow.Subscription() {

		@Override
		public void request(long n) {
		}

		@Override
		public void cancel() {
		}

	};

	private final int limit;

	private final CompletableFuture<Body> body = new CompletableFuture<>();

	private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();

	private byte[] bytes;

	private int size;

	CappedBodySubscriber(int limit) {
		this.limit = limit;
		this.bytes = new byte[Math.min(limit, INITIAL_CAPACITY)];
	}

	@Override
	public void onSubscribe(Flow.Subscription subscription) {
		if (!this.subscription.compareAndSet(null, subscription)) {
			// aborted before the body started, or a second subscription
			subscription.cancel();
			return;
		}
		subscription.request(1);
	}

	@Override
	public void onNext(List<ByteBuffer> buffers) {
		if (this.body.isDone()) {
			return;
		}
		for (ByteBuffer buffer : buffers) {
			if (!append(buffer)) {
				this.body.complete(new Body(Arrays.copyOf(this.bytes, this.size), true));
				cancel();
				return;
			}
		}
		this.subscription.get().request(1);
	}

	@Override
	public void onError(Throwable failure) {
		this.body.completeExceptionally(failure);
	}

	@Override
	public void onComplete() {
		this.body.complete(new Body(Arrays.copyOf(this.bytes, this.size), false));
	}

	@Override
	public CompletionStage<Body> getBody() {
		return this.body;
	}

	/**
	 * Stop reading and fail the body, unless it is complete already.
	 * @param failure why
	 */
	void abort(Throwable failure) {
		if (this.body.completeExceptionally(failure)) {
			cancel();
		}
	}

	private void cancel() {
		Flow.Subscription current = this.subscription.getAndSet(CANCELLED);
		if (current != null) {
			current.cancel();
		}
	}

	/**
	 * Copy a buffer in, up to the limit.
	 * @return {@code false} if the buffer did not fit whole
	 */
	private boolean append(ByteBuffer buffer) {
		int wanted = buffer.remaining();
		int fits = Math.min(wanted, this.limit - this.size);
		if (this.size + fits > this.bytes.length) {
			this.bytes = Arrays.copyOf(this.bytes,
					(int) Math.min(this.limit, Math.max(this.size + (long) fits, 2L * this.bytes.length)));
		}
		buffer.get(this.bytes, this.size, fits);
		this.size += fits;
		return fits == wanted;
	}

	/**
	 * A body as far as it was read.
	 *
	 * @param bytes the bytes read
	 * @param cut whether more followed that was not read
	 */
	record Body(byte[] bytes, boolean cut) {
	}

}
