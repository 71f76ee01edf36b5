package io.github.otelexport.export;

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

	private final SpanExporter exporter;

	private final BatchSettings settings;

	private final BatchIntake<ReadableSpan, SpanData> intake;

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
		this.exporter = exporter;
		this.settings = settings;
		this.intake = new BatchIntake<>(
				new BatchWorker.Exporter<>(exporter::export, exporter::shutdown, "span exporter", "spans"),
				ReadableSpan::toSpanData, settings, ticker, statistics, THREAD_NAME);
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
		this.intake.accept(span);
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
		return this.intake.forceFlush();
	}

	/**
	 * Export what is queued, then shut the exporter down and end the thread. Spans that
	 * end afterwards are counted as {@link DropReason#SHUTDOWN}. Calling it again returns
	 * the first call's result.
	 * @return a result that completes when the exporter's shutdown does
	 */
	@Override
	public CompletableResultCode shutdown() {
		return this.intake.shutdown();
	}

	/**
	 * Return how many spans wait in the queue.
	 * @return the queue size
	 */
	int queueSize() {
		return this.intake.queueSize();
	}

	@Override
	public String toString() {
		return "BatchingSpanProcessor{exporter=" + this.exporter + ", settings=" + this.settings + "}";
	}

}
