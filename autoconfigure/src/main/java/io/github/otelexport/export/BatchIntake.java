package io.github.otelexport.export;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongSupplier;

import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportRecorder;
import io.opentelemetry.sdk.common.CompletableResultCode;

/**
 * What the pipeline's two processors share: the counting of every item handed over
 * (received, then queued or dropped as {@code queue_full}, {@code shutdown} or
 * {@code filtered}), the {@link BatchWorker} and its thread, and the flush and shutdown
 * around it. The processors only say which items they take.
 *
 * @param <I> what the application hands over (a span that ended, a log record emitted)
 * @param <D> what the exporter receives
 * @author otel-export authors
 */
final class BatchIntake<I, D> {

	private final ExportRecorder statistics;

	private final BatchWorker<I, D> worker;

	private final AtomicBoolean shutdown = new AtomicBoolean();

	/**
	 * Create the intake and start its worker's thread.
	 * @param exporter what receives the batches
	 * @param toData turns an item into what the exporter receives, on the worker
	 * @param settings the batch settings
	 * @param ticker the nanosecond ticker that times the batches
	 * @param statistics where items received and dropped are counted
	 * @param threadName the name of the worker's thread
	 */
	BatchIntake(BatchWorker.Exporter<D> exporter, Function<I, D> toData, BatchSettings settings, LongSupplier ticker,
			ExportRecorder statistics, String threadName) {
		this.statistics = statistics;
		this.worker = new BatchWorker<>(exporter, toData, settings, ticker,
				(items) -> statistics.recordDropped(DropReason.SHUTDOWN, items));
		Thread thread = new Thread(this.worker, threadName);
		thread.setDaemon(true);
		thread.start();
	}

	/**
	 * Count an item handed over and queue it, or count why it is dropped; on the
	 * application's thread, so no lock, no clock and no allocation.
	 * @param item the item
	 */
	void accept(I item) {
		this.statistics.recordReceived(1);
		if (this.shutdown.get()) {
			this.statistics.recordDropped(DropReason.SHUTDOWN, 1);
		}
		else if (!this.worker.add(item)) {
			this.statistics.recordDropped(DropReason.QUEUE_FULL, 1);
		}
	}

	/**
	 * Count an item handed over that is not to be exported.
	 */
	void filter() {
		this.statistics.recordReceived(1);
		this.statistics.recordDropped(DropReason.FILTERED, 1);
	}

	/**
	 * Export every item queued now.
	 * @return a result that completes once they were handed to the exporter (after a
	 * shutdown, the shutdown's result)
	 */
	CompletableResultCode forceFlush() {
		CompletableResultCode flush = this.worker.flush();
		// a flush asked for after the last batch would wait for a thread that has ended
		return this.shutdown.get() ? this.worker.stopped() : flush;
	}

	/**
	 * Export what is queued, then shut the exporter down and end the thread; items handed
	 * over afterwards are counted as {@link DropReason#SHUTDOWN}. Calling it again
	 * returns the first call's result.
	 * @return a result that completes when the exporter's shutdown does
	 */
	CompletableResultCode shutdown() {
		if (this.shutdown.compareAndSet(false, true)) {
			return this.worker.stop();
		}
		return this.worker.stopped();
	}

	int queueSize() {
		return this.worker.queueSize();
	}

}
