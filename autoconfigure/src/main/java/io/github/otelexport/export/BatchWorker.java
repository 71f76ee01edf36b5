package io.github.otelexport.export;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.github.otelexport.stats.Durations;
import io.opentelemetry.sdk.common.CompletableResultCode;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;

/**
 * The queue of a batching processor ({@link BatchingSpanProcessor},
 * {@link BatchingLogRecordProcessor}) and the one thread that empties it: it cuts batches
 * of {@code maxExportBatchSize} items, or what is there once {@code scheduleDelay} has
 * passed, and hands each to the exporter, waiting at most {@code exportTimeout} for its
 * result. The signalling is the SDK {@code BatchSpanProcessor}'s: the thread says how
 * many items it still needs before it waits, and the application thread whose item
 * reaches that number wakes it through a one-slot queue, so that most items cost no
 * signal at all.
 *
 * @param <I> what the application hands over (a span that ended, a log record emitted)
 * @param <D> the immutable data an exporter takes
 * @author otel-export authors
 */
final class BatchWorker<I, D> implements Runnable {

	private static final Logger logger = Logger.getLogger(BatchWorker.class.getName());

	private static final int LOG_LINES_PER_MINUTE = 5;

	private static final long MIN_SCHEDULE_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	private final Exporter<D> exporter;

	private final int maxExportBatchSize;

	private final int maxQueueSize;

	private final long scheduleDelayNanos;

	private final Duration exportTimeout;

	private final LongSupplier ticker;

	private final LongConsumer onLeftOver;

	private final ThrottledLogger log;

	/**
	 * JCTools' queue for many producers and one consumer, as the SDK's batch processor
	 * uses: an offer is one compare-and-set, never a lock.
	 */
	private final MpscAtomicArrayQueue<I> queue;

	/**
	 * The spans queued, counted apart from the queue: reading it is cheaper than the
	 * queue's own size.
	 */
	private final AtomicInteger queueSize = new AtomicInteger();

	/**
	 * How many more spans the worker waits for before it exports;
	 * {@link Integer#MAX_VALUE} while it does not wait, so that no application thread
	 * signals then.
	 */
	private final AtomicInteger spansNeeded = new AtomicInteger(Integer.MAX_VALUE);

	/**
	 * Wakes the waiting worker; one slot, so a signal given while it does not wait is
	 * kept for its next wait, never lost and never piling up.
	 */
	private final BlockingQueue<Boolean> signal = new ArrayBlockingQueue<>(1);

	/**
	 * The flush asked for and not yet taken by the worker; every caller that finds it
	 * here shares it, as the spans each of them queued before will be in it.
	 */
	private final AtomicReference<CompletableResultCode> flushRequested = new AtomicReference<>();

	private volatile boolean stopping;

	/**
	 * Set once the worker takes no more items (its last batch went out, or it failed):
	 * from then on whoever finds items in the queue counts them as left over.
	 */
	private volatile boolean closed;

	/**
	 * Keeps the queue to one consumer at a time once it is closed: the worker and any
	 * application thread whose item came too late.
	 */
	private final Object leftOverLock = new Object();

	private final CompletableResultCode stopped = new CompletableResultCode();

	private List<D> batch;

	private final MessagePassingQueue.Consumer<I> toBatch;

	private long nextExportTime;

	BatchWorker(Exporter<D> exporter, Function<I, D> toData, BatchSettings settings, LongSupplier ticker,
			LongConsumer onLeftOver) {
		this.exporter = exporter;
		this.toBatch = (item) -> this.batch.add(toData.apply(item));
		this.maxExportBatchSize = settings.maxExportBatchSize();
		this.maxQueueSize = settings.maxQueueSize();
		// a delay of zero would keep the worker spinning while nothing is queued
		this.scheduleDelayNanos = Math.max(MIN_SCHEDULE_DELAY_NANOS, settings.scheduleDelay().toNanos());
		this.exportTimeout = settings.exportTimeout();
		this.ticker = ticker;
		this.onLeftOver = onLeftOver;
		this.log = new ThrottledLogger(logger, LOG_LINES_PER_MINUTE, ticker);
		// its capacity is a power of two, at least 2; the threshold of each offer keeps
		// the queue to maxQueueSize exactly
		this.queue = new MpscAtomicArrayQueue<>(Math.max(2, this.maxQueueSize));
		this.batch = new ArrayList<>(this.maxExportBatchSize);
	}

	/**
	 * Queue an item, on the thread that hands it over: no lock, no allocation, no clock.
	 * @param item the span or log record
	 * @return {@code false} if the queue is full
	 */
	boolean add(I item) {
		if (!this.queue.offerIfBelowThreshold(item, this.maxQueueSize)) {
			return false;
		}
		if (this.queueSize.incrementAndGet() >= this.spansNeeded.get()) {
			this.signal.offer(Boolean.TRUE);
		}
		if (this.closed) {
			// the worker has gone: whichever of us sees the item counts it
			countLeftOver();
		}
		return true;
	}

	int queueSize() {
		return this.queueSize.get();
	}

	/**
	 * Ask for every item queued now to be exported.
	 * @return a result that completes once they were handed to the exporter
	 */
	CompletableResultCode flush() {
		while (true) {
			if (this.closed) {
				return this.stopped;
			}
			CompletableResultCode pending = this.flushRequested.get();
			if (pending != null) {
				// not taken yet: the worker reads the queue's size after it takes it
				return pending;
			}
			CompletableResultCode flush = new CompletableResultCode();
			if (this.flushRequested.compareAndSet(null, flush)) {
				this.signal.offer(Boolean.TRUE);
				if (this.closed && this.flushRequested.compareAndSet(flush, null)) {
					// the worker closed meanwhile and will not take it
					return this.stopped;
				}
				return flush;
			}
		}
	}

	/**
	 * Export what is queued, shut the exporter down and end the thread.
	 * @return the result of {@link #stopped()}
	 */
	CompletableResultCode stop() {
		this.stopping = true;
		this.signal.offer(Boolean.TRUE);
		return this.stopped;
	}

	/**
	 * Return a result that completes when the exporter's shutdown does, after the last
	 * batch; it fails if the shutdown failed.
	 * @return the result
	 */
	CompletableResultCode stopped() {
		return this.stopped;
	}

	@Override
	public void run() {
		try {
			work();
		}
		catch (RuntimeException | Error ex) {
			// a bug of ours or an exhausted JVM: what it held must not stay in flight,
			// nor
			// a flush or a shutdown wait for a thread that has gone
			this.log.log(Level.SEVERE, "The batching thread of the " + this.exporter.name()
					+ " failed; what is handed over from now on is counted as dropped (shutdown)", ex);
			if (!this.batch.isEmpty()) {
				this.onLeftOver.accept(this.batch.size());
				this.batch.clear();
			}
			close();
			CompletableResultCode flush = this.flushRequested.getAndSet(null);
			if (flush != null) {
				flush.fail();
			}
			this.stopped.fail();
			throw ex;
		}
	}

	private void work() {
		this.nextExportTime = this.ticker.getAsLong() + this.scheduleDelayNanos;
		while (!this.stopping) {
			CompletableResultCode flush = this.flushRequested.getAndSet(null);
			if (flush != null) {
				// the queue's own size counts every offer made so far, also one whose
				// span is still being stored: the flush waits for exactly those
				exportQueued(this.queue.size());
				flush.succeed();
			}
			drain(this.maxExportBatchSize - this.batch.size());
			if (this.batch.size() >= this.maxExportBatchSize || this.ticker.getAsLong() >= this.nextExportTime) {
				exportBatch();
				this.nextExportTime = this.ticker.getAsLong() + this.scheduleDelayNanos;
			}
			if (this.queue.isEmpty() && !this.stopping) {
				await(this.nextExportTime - this.ticker.getAsLong());
			}
		}
		finish();
	}

	private void await(long nanos) {
		if (nanos <= 0) {
			return;
		}
		this.spansNeeded.set(this.maxExportBatchSize - this.batch.size());
		try {
			this.signal.poll(nanos, TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			// the thread is ours and stop() ends it; an interrupt only ends this wait
		}
		finally {
			this.spansNeeded.set(Integer.MAX_VALUE);
		}
	}

	private void finish() {
		exportQueued(this.queue.size());
		// a span whose thread found the processor open just before the stop may arrive
		// after the last batch: it is counted, not exported
		close();
		CompletableResultCode flush = this.flushRequested.getAndSet(null);
		if (flush != null) {
			flush.succeed();
		}
		CompletableResultCode shutdown;
		try {
			shutdown = this.exporter.shutdown().get();
		}
		catch (RuntimeException ex) {
			this.log.log(Level.WARNING, "The " + this.exporter.name() + " failed to shut down", ex);
			shutdown = CompletableResultCode.ofFailure();
		}
		CompletableResultCode exporterShutdown = shutdown;
		exporterShutdown.whenComplete(() -> {
			if (exporterShutdown.isSuccess()) {
				this.stopped.succeed();
			}
			else {
				this.stopped.fail();
			}
		});
	}

	/**
	 * Export the given number of queued spans and what the current batch holds. Unlike a
	 * drain, a poll waits for a span whose producer has taken its slot and not yet stored
	 * it, so none of them is passed over.
	 */
	private void exportQueued(int items) {
		for (int i = 0; i < items; i++) {
			I item = this.queue.poll();
			if (item == null) {
				break;
			}
			this.queueSize.decrementAndGet();
			this.toBatch.accept(item);
			if (this.batch.size() >= this.maxExportBatchSize) {
				exportBatch();
			}
		}
		exportBatch();
	}

	/**
	 * Take no more spans: what the queue still holds, and any span that arrives later, is
	 * counted as left over.
	 */
	private void close() {
		this.closed = true;
		countLeftOver();
	}

	private void countLeftOver() {
		synchronized (this.leftOverLock) {
			int spans = 0;
			while (this.queue.poll() != null) {
				spans++;
			}
			if (spans > 0) {
				this.queueSize.addAndGet(-spans);
				this.onLeftOver.accept(spans);
			}
		}
	}

	private int drain(int limit) {
		int drained = this.queue.drain(this.toBatch, limit);
		this.queueSize.addAndGet(-drained);
		return drained;
	}

	private void exportBatch() {
		if (this.batch.isEmpty()) {
			return;
		}
		// a new list: an exporter that outlives its timeout may still read the last one
		List<D> items = this.batch;
		this.batch = new ArrayList<>(this.maxExportBatchSize);
		try {
			CompletableResultCode result = this.exporter.export().apply(Collections.unmodifiableList(items));
			if (!result.join(this.exportTimeout.toNanos(), TimeUnit.NANOSECONDS).isDone()) {
				this.log.log(Level.WARNING,
						"A batch of " + items.size() + " " + this.exporter.items() + " was not exported within "
								+ Durations.format(this.exportTimeout) + "; the next batch goes on",
						null);
			}
		}
		catch (VirtualMachineError ex) {
			throw ex;
		}
		catch (Throwable ex) {
			// the exporter's failure must not end the only thread that empties the queue
			this.log.log(Level.WARNING, "The " + this.exporter.name() + " failed; the next batch goes on", ex);
		}
	}

	/**
	 * What the worker hands its batches to.
	 *
	 * @param <D> the data it takes
	 * @param export exports one batch
	 * @param shutdown shuts the exporter down
	 * @param name what log lines call the exporter ({@code span exporter})
	 * @param items what log lines call its items ({@code spans})
	 */
	record Exporter<D>(Function<List<D>, CompletableResultCode> export, Supplier<CompletableResultCode> shutdown,
			String name, String items) {

	}

}
