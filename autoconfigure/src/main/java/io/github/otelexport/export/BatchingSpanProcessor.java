package io.github.otelexport.export;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportRecorder;
import io.github.otelexport.stats.ExportStatistics;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * The export pipeline's span processor: it queues the sampled spans that end and hands
 * them to the exporter in batches on a thread of its own ({@code otel-export-batcher}),
 * counting in the exporter's {@link ExportStatistics} every span it receives and every
 * span it drops, because the queue is full or because it was shut down. Built by
 * {@link ExportPipeline}.
 * <p>
 * It works as the SDK's {@code BatchSpanProcessor} does, on the same kind of lock-free
 * queue, so {@code span.end()} costs what it costs with the SDK and never blocks; the
 * SDK's processor drops spans without telling its exporter, which is why the pipeline has
 * its own.
 *
 * @author otel-export authors
 */
public final class BatchingSpanProcessor implements SpanProcessor {

	/**
	 * The name of the processor's thread.
	 */
	static final String THREAD_NAME = "otel-export-batcher";

	private final ExportRecorder statistics;

	private final SpanExporter exporter;

	private final BatchSettings settings;

	private final BatchWorker<ReadableSpan, SpanData> worker;

	private final AtomicBoolean shutdown = new AtomicBoolean();

	BatchingSpanProcessor(SpanExporter exporter, ExportRecorder statistics, BatchSettings settings) {
		this(exporter, statistics, settings, SystemTime.TICKER);
	}

	/**
	 * Create a processor and start its thread. Visible for testing.
	 * @param exporter the exporter that receives the batches
	 * @param statistics where spans received and dropped are counted
	 * @param settings the batch settings
	 * @param ticker the nanosecond ticker that times the batches
	 */
	BatchingSpanProcessor(SpanExporter exporter, ExportRecorder statistics, BatchSettings settings,
			LongSupplier ticker) {
		this.statistics = statistics;
		this.exporter = exporter;
		this.settings = settings;
		this.worker = new BatchWorker<>(
				new BatchWorker.Exporter<>(exporter::export, exporter::shutdown, "span exporter", "spans"),
				ReadableSpan::toSpanData, settings, ticker,
				(spans) -> statistics.recordDropped(DropReason.SHUTDOWN, spans));
		Thread thread = new Thread(this.worker, THREAD_NAME);
		thread.setDaemon(true);
		thread.start();
	}

	@Override
	public void onStart(Context parentContext, ReadWriteSpan span) {
	}

	@Override
	public boolean isStartRequired() {
		return false;
	}

	@Override
	public void onEnd(ReadableSpan span) {
		if (span == null || !span.getSpanContext().isSampled()) {
			return;
		}
		this.statistics.recordReceived(1);
		if (this.shutdown.get()) {
			this.statistics.recordDropped(DropReason.SHUTDOWN, 1);
		}
		else if (!this.worker.add(span)) {
			this.statistics.recordDropped(DropReason.QUEUE_FULL, 1);
		}
	}

	@Override
	public boolean isEndRequired() {
		return true;
	}

	/**
	 * Export every span queued now.
	 * @return a result that completes once they were handed to the exporter (after a
	 * shutdown, the shutdown's result)
	 */
	@Override
	public CompletableResultCode forceFlush() {
		CompletableResultCode flush = this.worker.flush();
		// a flush asked for after the last batch would wait for a thread that has ended
		return this.shutdown.get() ? this.worker.stopped() : flush;
	}

	/**
	 * Export what is queued, then shut the exporter down and end the thread. Spans that
	 * end afterwards are counted as {@link DropReason#SHUTDOWN}. Calling it again returns
	 * the first call's result.
	 * @return a result that completes when the exporter's shutdown does
	 */
	@Override
	public CompletableResultCode shutdown() {
		if (this.shutdown.compareAndSet(false, true)) {
			return this.worker.stop();
		}
		return this.worker.stopped();
	}

	/**
	 * Return how many spans wait in the queue.
	 * @return the queue size
	 */
	int queueSize() {
		return this.worker.queueSize();
	}

	@Override
	public String toString() {
		return "BatchingSpanProcessor{exporter=" + this.exporter + ", settings=" + this.settings + "}";
	}

}
