package io.github.otelexport.export;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

import io.github.otelexport.stats.ExportSnapshot;
import io.opentelemetry.sdk.common.CompletableResultCode;

/**
 * The buffer between batching and sending: encoded batches, oldest first, bounded by the
 * bytes of their requests. Senders take batches from it; a batch a sender holds is busy
 * until the sender is done with it, and its bytes stay reserved until the sender puts it
 * back or {@link #release(int) releases} them: the bytes are still in memory, and a batch
 * put back must find its room. Full, it refuses the newest batch (the OpenTelemetry
 * Collector's exporter queue does the same): the batches already waiting are older and
 * nearer their turn. It knows when each waiting batch entered, so that a backlog shows as
 * the age of the oldest.
 * <p>
 * A batch whose next attempt must wait (a backoff, a server's delay) comes back with the
 * time it is due, and waits here rather than holding a sender: senders take the due
 * retries first, the earliest due first (of those due at once the oldest), then the fresh
 * batches in order. When only retries not yet due wait, a sender waits through the
 * {@link Sleeper} until the earliest is due or something changes.
 *
 * @param <T> the batch type
 * @author otel-export authors
 */
final class SendQueue<T> {

	private final long maxBytes;

	private final LongSupplier ticker;

	private final Sleeper sleeper;

	private final ArrayDeque<Entry<T>> waiting = new ArrayDeque<>();

	/**
	 * Batches back from an attempt, waiting to be due: the earliest due first, and of
	 * those due at once the oldest (every batch held back by its destination is due when
	 * the destination may be tried again: the batches whose attempts began first finish
	 * them first, as they would holding a sender).
	 */
	private final PriorityQueue<Entry<T>> retries = new PriorityQueue<>(SendQueue::compareDue);

	private long requeued;

	/**
	 * Senders waiting for a retry to be due, whom a change must nudge.
	 */
	private int sleeping;

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
		this(maxBytes, ticker, Sleeper.wakeable());
	}

	/**
	 * Create a queue.
	 * @param maxBytes the most request bytes it holds
	 * @param ticker the nanosecond ticker that dates the batches
	 * @param sleeper how a sender waits for a retry to be due
	 */
	SendQueue(long maxBytes, LongSupplier ticker, Sleeper sleeper) {
		this.maxBytes = maxBytes;
		this.ticker = ticker;
		this.sleeper = sleeper;
	}

	/**
	 * Add a batch unless that would exceed the limit or the queue is closed.
	 * @param batch the batch
	 * @param size its request's bytes
	 * @param spans its spans
	 * @return whether it was added
	 */
	boolean offer(T batch, int size, int spans) {
		synchronized (this) {
			if (this.closed || this.bytes + size > this.maxBytes) {
				return false;
			}
			long now = this.ticker.getAsLong();
			this.waiting.addLast(new Entry<>(batch, size, spans, now, now, false, 0));
			this.bytes += size;
			this.spans += spans;
		}
		changed();
		return true;
	}

	/**
	 * Put back a batch a sender took, to be taken again once it is due. Its bytes were
	 * reserved since it was taken, so it never lifts the buffer over its limit.
	 * @param batch the batch
	 * @param size the bytes it reserves: those it was offered with, or those
	 * {@link #reserve(int) reserved} since
	 * @param spans its spans
	 * @param entered when it first entered (ticker nanos), for the oldest age
	 * @param due when it is due (ticker nanos)
	 * @param hastenable whether {@link #hasten()} makes it due at once
	 * @return whether it was put back: {@code false} once the queue is closed
	 */
	boolean requeue(T batch, int size, int spans, long entered, long due, boolean hastenable) {
		synchronized (this) {
			if (this.closed) {
				return false;
			}
			this.retries.add(new Entry<>(batch, size, spans, entered, due, hastenable, this.requeued++));
			this.spans += spans;
		}
		changed();
		return true;
	}

	/**
	 * Reserve room for the bytes of a batch a sender holds whose bytes were on disk only.
	 * @param size the bytes
	 * @return whether they fit; if not, nothing is reserved
	 */
	synchronized boolean reserve(int size) {
		if (this.closed || this.bytes + size > this.maxBytes) {
			return false;
		}
		this.bytes += size;
		return true;
	}

	/**
	 * Free the bytes a taken batch reserved: it was exported or dropped, or it is kept
	 * elsewhere.
	 * @param size the bytes
	 */
	void release(int size) {
		if (size == 0) {
			return;
		}
		synchronized (this) {
			this.bytes -= size;
		}
		changed();
	}

	/**
	 * Make the retries waiting out a backoff due now: their destination answers again.
	 * Those waiting for a delay a server asked for, or for their next round, keep it.
	 * @param which the retries the answer concerns (those of its signal)
	 */
	void hasten(Predicate<? super T> which) {
		synchronized (this) {
			long now = this.ticker.getAsLong();
			List<Entry<T>> entries = new ArrayList<>(this.retries);
			this.retries.clear();
			entries.forEach((entry) -> this.retries
				.add((entry.hastenable() && entry.due() - now > 0 && which.test(entry.batch())) ? entry.dueAt(now)
						: entry));
		}
		changed();
	}

	/**
	 * Wake the senders waiting for a batch: those without one to wait for, and those
	 * waiting for a retry's due time. The sleeper's nudge comes after the change, which a
	 * sender that read the nudges before it cannot miss.
	 */
	private void changed() {
		boolean nudge;
		synchronized (this) {
			notifyAll();
			nudge = this.sleeping > 0;
		}
		if (nudge) {
			this.sleeper.nudge();
		}
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
	 * Take the next batch, waiting for one: the due retry that has been due longest, else
	 * the oldest fresh batch. It is busy until {@link #done()}, and its bytes reserved
	 * until it is put back or they are released.
	 * @return the batch, or {@code null} once the queue is closed
	 * @throws InterruptedException if the thread is interrupted while it waits
	 */
	T take() throws InterruptedException {
		while (true) {
			long delay;
			long nudgesSeen;
			synchronized (this) {
				long now = this.ticker.getAsLong();
				Entry<T> entry = next(now);
				if (entry != null) {
					this.spans -= entry.spans();
					this.busy++;
					return entry.batch();
				}
				if (this.closed) {
					return null;
				}
				if (this.retries.isEmpty()) {
					wait();
					continue;
				}
				delay = earliestDue() - now;
				nudgesSeen = this.sleeper.nudges();
				this.sleeping++;
			}
			boolean slept;
			try {
				slept = this.sleeper.sleep(Duration.ofNanos(delay), nudgesSeen);
			}
			finally {
				synchronized (this) {
					this.sleeping--;
				}
			}
			if (!slept) {
				awaitClose();
			}
		}
	}

	/**
	 * Woken for good, the sleeper waits no more: the close that follows ends the wait.
	 */
	private synchronized void awaitClose() throws InterruptedException {
		while (!this.closed) {
			wait();
		}
	}

	/**
	 * Remove and return the retry due longest, else the oldest fresh batch, or
	 * {@code null}.
	 */
	private Entry<T> next(long now) {
		Entry<T> retry = this.retries.peek();
		if (retry != null && retry.due() - now <= 0) {
			return this.retries.poll();
		}
		return this.waiting.pollFirst();
	}

	private long earliestDue() {
		return this.retries.element().due();
	}

	/**
	 * Order by due time (ticker nanos, compared by their difference as they may wrap),
	 * then by when they first entered, then by when they were put back.
	 */
	private static int compareDue(Entry<?> a, Entry<?> b) {
		int byDue = Long.signum(a.due() - b.due());
		if (byDue != 0) {
			return byDue;
		}
		int byAge = Long.signum(a.entered() - b.entered());
		return (byAge != 0) ? byAge : Long.compare(a.order(), b.order());
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
	 * {@code null} from {@link #take()}. The bytes of the batches senders hold stay
	 * reserved until released.
	 * @return the batches that were waiting, retries included, oldest first
	 */
	List<T> close() {
		List<T> left;
		List<CompletableResultCode> idle;
		synchronized (this) {
			this.closed = true;
			List<Entry<T>> entries = new ArrayList<>(this.retries);
			entries.addAll(this.waiting);
			entries.sort((a, b) -> Long.signum(a.entered() - b.entered()));
			left = new ArrayList<>(entries.size());
			entries.forEach((entry) -> left.add(entry.batch()));
			entries.forEach((entry) -> this.bytes -= entry.size());
			this.retries.clear();
			this.waiting.clear();
			this.spans = 0;
			idle = idleWaiters();
		}
		changed();
		idle.forEach(CompletableResultCode::succeed);
		return left;
	}

	/**
	 * Return what waits in the queue now; the drain rate is left to the statistics, which
	 * count the exports.
	 * @return the bytes (those the senders' batches reserve included), limit, batches,
	 * spans and the oldest batch's age
	 */
	synchronized ExportSnapshot.BufferSnapshot snapshot() {
		Entry<T> oldest = this.waiting.peekFirst();
		for (Entry<T> retry : this.retries) {
			if (oldest == null || retry.entered() - oldest.entered() < 0) {
				oldest = retry;
			}
		}
		Duration oldestAge = (oldest != null)
				? Duration.ofNanos(Math.max(0, this.ticker.getAsLong() - oldest.entered())) : Duration.ZERO;
		return new ExportSnapshot.BufferSnapshot(this.bytes, this.maxBytes, this.waiting.size() + this.retries.size(),
				this.spans, oldestAge, 0);
	}

	/**
	 * Hand over the waiters to complete when the queue is idle, and forget them. They are
	 * completed outside the lock: what they run (a shutdown's stop) may call back.
	 */
	private List<CompletableResultCode> idleWaiters() {
		if (!this.waiting.isEmpty() || !this.retries.isEmpty() || this.busy > 0 || this.idleWaiters.isEmpty()) {
			return List.of();
		}
		List<CompletableResultCode> idle = new ArrayList<>(this.idleWaiters);
		this.idleWaiters.clear();
		return idle;
	}

	/**
	 * A waiting batch, with when it entered and when it is due (ticker nanos), whether a
	 * recovering destination makes it due at once, and for a retry, when it was put back.
	 */
	private record Entry<T>(T batch, int size, int spans, long entered, long due, boolean hastenable, long order) {

		Entry<T> dueAt(long now) {
			return new Entry<>(this.batch, this.size, this.spans, this.entered, now, this.hastenable, this.order);
		}

	}

}
