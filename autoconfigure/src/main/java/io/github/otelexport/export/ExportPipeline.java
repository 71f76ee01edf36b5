package io.github.otelexport.export;

import java.util.function.LongConsumer;

import io.opentelemetry.sdk.common.InternalTelemetryVersion;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * Builds the span processor of the export pipeline: the SDK's {@link BatchSpanProcessor}
 * (bounded queue, never blocks the application thread) around a
 * {@link ResilientSpanExporter}, with every span it receives, every span its full queue
 * drops and its queue size visible in the exporter's {@link ExportStatistics}.
 *
 * @author otel-export authors
 */
public final class ExportPipeline {

	private ExportPipeline() {
	}

	/**
	 * Create the pipeline's span processor. Register it with the tracer provider; closing
	 * the tracer provider exports what is queued and shuts down the exporter.
	 * @param exporter the resilient exporter that receives the batches
	 * @param settings the batch settings
	 * @return the span processor
	 */
	public static SpanProcessor create(ResilientSpanExporter exporter, BatchSettings settings) {
		ExportStatistics statistics = exporter.statistics();
		BatchSpanProcessor processor = batchSpanProcessor(exporter, settings,
				(spans) -> statistics.recordDropped(DropReason.QUEUE_FULL, spans), statistics);
		exporter.countReceivedUpstream();
		return new CountingSpanProcessor(processor, statistics);
	}

	/**
	 * Create the pipeline's batch processor in front of an exporter that passes the
	 * batches on to the resilient exporter, such as a composite that applies span filters
	 * first. Spans are counted as received when they reach the resilient exporter, and
	 * spans dropped by the full queue as received and dropped
	 * ({@link DropReason#QUEUE_FULL}), so that every span is accounted for.
	 * @param exporter the exporter that receives the batches
	 * @param statistics the resilient exporter's statistics
	 * @param settings the batch settings
	 * @return the batch processor
	 */
	public static BatchSpanProcessor batchSpanProcessor(SpanExporter exporter, ExportStatistics statistics,
			BatchSettings settings) {
		return batchSpanProcessor(exporter, settings, (spans) -> {
			statistics.recordReceived(spans);
			statistics.recordDropped(DropReason.QUEUE_FULL, spans);
		}, statistics);
	}

	private static BatchSpanProcessor batchSpanProcessor(SpanExporter exporter, BatchSettings settings,
			LongConsumer onQueueFull, ExportStatistics statistics) {
		BatchProcessorMeterProvider telemetry = new BatchProcessorMeterProvider(onQueueFull);
		BatchSpanProcessor processor = BatchSpanProcessor.builder(exporter)
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

}
