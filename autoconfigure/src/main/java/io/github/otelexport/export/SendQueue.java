package io.github.otelexport.export;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import io.github.otelexport.stats.ExportSnapshot;
import io.opentelemetry.sdk.common.CompletableResultCode;

/**
 * The buffer between batching and sending: encoded batches, oldest first, bounded by the
 * bytes of their requests. Senders take batches from it; a batch a sender holds is busy
 * until the sender is done with it. Full, it refuses the newest batch (the OpenTelemetry
 * Collector's exporter queue does the same): the batches already waiting are older and
 * nearer their turn. It knows when each waiting batch entered, so that a backlog shows as
 * the age of the oldest.
 *
 * @param <T> the batch type
 * @author otel-export authors
 */
final class SendQueue<T> {

	private final long maxBytes;

	private final LongSupplier ticker;

	private final ArrayDeque<Entry<T>> waiting = new ArrayDeque<>();

	private final List<CompletableResultCode> idleWaiters = new ArrayList<>();

	private long bytes;

	private long spans;

	private int busy;

	private boolean closed;

	/**
	 * Create a queue.
	 * @param maxBytes the most request bytes it holds
	 * @param ticker the nanosecond ticker that dates the batches
	 */
	SendQueue(long maxBytes, LongSupplier ticker) {
		this.maxBytes = maxBytes;
		this.ticker = ticker;
	}

	/**
	 * Add a batch unless that would exceed the limit or the queue is closed.
	 * @param batch the batch
	 * @param size its request's bytes
	 * @param spans its spans
	 * @return whether it was added
	 */
	synchronized boolean offer(T batch, int size, int spans) {
		if (this.closed || this.bytes + size > this.maxBytes) {
			return false;
		}
		this.waiting.addLast(new Entry<>(batch, size, spans, this.ticker.getAsLong()));
		this.bytes += size;
		this.spans += spans;
		notifyAll();
		return true;
	}

	/**
	 * Whether a batch of the given size would be refused now.
	 * @param size the request's bytes
	 * @return {@code true} when it would not fit, or the queue is closed
	 */
	synchronized boolean refuses(int size) {
		return this.closed || this.bytes + size > this.maxBytes;
	}

	/**
	 * Take the oldest batch, waiting for one; it is busy until {@link #done()}.
	 * @return the batch, or {@code null} once the queue is closed
	 * @throws InterruptedException if the thread is interrupted while it waits
	 */
	synchronized T take() throws InterruptedException {
		while (this.waiting.isEmpty() && !this.closed) {
			wait();
		}
		Entry<T> entry = this.waiting.pollFirst();
		if (entry == null) {
			return null;
		}
		this.bytes -= entry.size();
		this.spans -= entry.spans();
		this.busy++;
		return entry.batch();
	}

	/**
	 * Say that a sender is done with the batch it took.
	 */
	void done() {
		List<CompletableResultCode> idle;
		synchronized (this) {
			this.busy--;
			idle = idleWaiters();
		}
		idle.forEach(CompletableResultCode::succeed);
	}

	/**
	 * Return a result that completes once no batch waits and none is busy.
	 * @return the result, completed already when the queue is idle
	 */
	CompletableResultCode whenIdle() {
		CompletableResultCode result = new CompletableResultCode();
		List<CompletableResultCode> idle;
		synchronized (this) {
			this.idleWaiters.add(result);
			idle = idleWaiters();
		}
		idle.forEach(CompletableResultCode::succeed);
		return result;
	}

	/**
	 * Refuse batches from now on and hand back the ones still waiting; senders then get
	 * {@code null} from {@link #take()}.
	 * @return the batches that were waiting, oldest first
	 */
	List<T> close() {
		List<T> left;
		List<CompletableResultCode> idle;
		synchronized (this) {
			this.closed = true;
			left = new ArrayList<>(this.waiting.size());
			this.waiting.forEach((entry) -> left.add(entry.batch()));
			this.waiting.clear();
			this.bytes = 0;
			this.spans = 0;
			notifyAll();
			idle = idleWaiters();
		}
		idle.forEach(CompletableResultCode::succeed);
		return left;
	}

	/**
	 * Return what waits in the queue now; the drain rate is left to the statistics, which
	 * count the exports.
	 * @return the bytes, limit, batches, spans and the oldest batch's age
	 */
	synchronized ExportSnapshot.BufferSnapshot snapshot() {
		Entry<T> oldest = this.waiting.peekFirst();
		Duration oldestAge = (oldest != null)
				? Duration.ofNanos(Math.max(0, this.ticker.getAsLong() - oldest.entered())) : Duration.ZERO;
		return new ExportSnapshot.BufferSnapshot(this.bytes, this.maxBytes, this.waiting.size(), this.spans, oldestAge,
				0);
	}

	/**
	 * Hand over the waiters to complete when the queue is idle, and forget them. They are
	 * completed outside the lock: what they run (a shutdown's stop) may call back.
	 */
	private List<CompletableResultCode> idleWaiters() {
		if (!this.waiting.isEmpty() || this.busy > 0 || this.idleWaiters.isEmpty()) {
			return List.of();
		}
		List<CompletableResultCode> idle = new ArrayList<>(this.idleWaiters);
		this.idleWaiters.clear();
		return idle;
	}

	/**
	 * A waiting batch, with when it entered (ticker nanos).
	 */
	private record Entry<T>(T batch, int size, int spans, long entered) {

	}

}
