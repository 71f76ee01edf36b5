package io.github.otelexport.export;

import io.opentelemetry.sdk.common.InternalTelemetryVersion;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;

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
		BatchProcessorMeterProvider telemetry = new BatchProcessorMeterProvider(
				(spans) -> statistics.recordDropped(DropReason.QUEUE_FULL, spans));
		BatchSpanProcessor processor = BatchSpanProcessor.builder(exporter)
			.setMaxExportBatchSize(settings.maxExportBatchSize())
			.setMaxQueueSize(settings.maxQueueSize())
			.setScheduleDelay(settings.scheduleDelay())
			.setExporterTimeout(settings.exportTimeout())
			.setInternalTelemetryVersion(InternalTelemetryVersion.LATEST)
			.setMeterProvider(telemetry)
			.build();
		statistics.bindQueue(telemetry.queueSize(), settings.maxQueueSize());
		exporter.countReceivedUpstream();
		return new CountingSpanProcessor(processor, statistics);
	}

}
