package io.github.otelexport.export;

import java.util.function.UnaryOperator;

import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportStatistics;
import io.opentelemetry.sdk.common.InternalTelemetryVersion;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * Builds the span processors of the export pipeline: the SDK's {@link BatchSpanProcessor}
 * (bounded queue, never blocks the application thread) around a
 * {@link ResilientSpanExporter}, and a counter beside it, with every span handed to the
 * pipeline, every span the full queue drops and the queue size visible in the exporter's
 * {@link ExportStatistics}.
 *
 * @author otel-export authors
 */
public final class ExportPipeline {

	private ExportPipeline() {
	}

	/**
	 * Create the pipeline as one span processor. Register it with the tracer provider;
	 * closing the tracer provider exports what is queued and shuts down the exporter.
	 * @param exporter the resilient exporter that receives the batches
	 * @param settings the batch settings
	 * @return the span processor
	 */
	public static SpanProcessor create(ResilientSpanExporter exporter, BatchSettings settings) {
		return SpanProcessor.composite(receivedCounter(exporter),
				batchSpanProcessor(exporter, UnaryOperator.identity(), settings));
	}

	/**
	 * Create the pipeline's batch processor, for frameworks that want the SDK's own type.
	 * Register {@link #receivedCounter(ResilientSpanExporter)} beside it.
	 * @param exporter the resilient exporter that receives the batches
	 * @param front wraps the resilient exporter in the exporters that see batches first,
	 * such as span filters; spans they do not hand on are counted as
	 * {@link DropReason#FILTERED}
	 * @param settings the batch settings
	 * @return the batch span processor
	 */
	public static BatchSpanProcessor batchSpanProcessor(ResilientSpanExporter exporter,
			UnaryOperator<SpanExporter> front, BatchSettings settings) {
		ExportStatistics statistics = exporter.statistics();
		BatchProcessorMeterProvider telemetry = new BatchProcessorMeterProvider(
				(spans) -> statistics.recordDropped(DropReason.QUEUE_FULL, spans));
		SpanExporter wrapped = front.apply(exporter);
		SpanExporter head = (wrapped != exporter) ? new FilterAccountingSpanExporter(wrapped, exporter) : exporter;
		BatchSpanProcessor processor = BatchSpanProcessor.builder(head)
			.setMaxExportBatchSize(settings.maxExportBatchSize())
			.setMaxQueueSize(settings.maxQueueSize())
			.setScheduleDelay(settings.scheduleDelay())
			.setExporterTimeout(settings.exportTimeout())
			.setInternalTelemetryVersion(InternalTelemetryVersion.LATEST)
			.setMeterProvider(telemetry)
			.build();
		statistics.bindQueue(telemetry.queueSize(), settings.maxQueueSize());
		return processor;
	}

	/**
	 * Create the span processor that counts the spans handed to the pipeline; it does
	 * nothing else, and belongs beside the pipeline's batch processor.
	 * @param exporter the resilient exporter whose statistics count the spans
	 * @return the counting span processor
	 */
	public static SpanProcessor receivedCounter(ResilientSpanExporter exporter) {
		exporter.countReceivedUpstream();
		return new CountingSpanProcessor(exporter.statistics());
	}

}
