package io.github.otelexport.export;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import io.github.otelexport.export.transport.Signal;
import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportRecorder;
import io.github.otelexport.stats.ExportStatistics;
import io.opentelemetry.sdk.logs.LogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * Builds the span processor of the export pipeline: a {@link BatchingSpanProcessor}
 * (bounded queue, never blocks the application thread) around a
 * {@link ResilientSpanExporter}, with every span handed to the pipeline, every span the
 * full queue drops and the queue size visible in the exporter's {@link ExportStatistics}.
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
	public static BatchingSpanProcessor create(ResilientSpanExporter exporter, BatchSettings settings) {
		return create(exporter, UnaryOperator.identity(), settings);
	}

	/**
	 * Create the pipeline as one span processor, with exporters in front of the resilient
	 * exporter.
	 * @param exporter the resilient exporter that receives the batches
	 * @param front wraps the resilient exporter in the exporters that see batches first,
	 * such as span filters; spans they do not hand on are counted as
	 * {@link DropReason#FILTERED}
	 * @param settings the batch settings
	 * @return the span processor
	 */
	public static BatchingSpanProcessor create(ResilientSpanExporter exporter, UnaryOperator<SpanExporter> front,
			BatchSettings settings) {
		ExportRecorder statistics = exporter.recorder(Signal.TRACES);
		// the processor counts what it receives, so the exporter must not count it again
		exporter.countReceivedUpstream();
		SpanExporter wrapped = front.apply(exporter);
		SpanExporter head = (wrapped != exporter) ? new FilterAccountingSpanExporter(wrapped, exporter) : exporter;
		BatchingSpanProcessor processor = new BatchingSpanProcessor(head, statistics, settings);
		statistics.bindQueue(processor::queueSize, settings.maxQueueSize());
		return processor;
	}

	/**
	 * Create the log records' pipeline as one log record processor around the exporter's
	 * {@link ResilientSpanExporter#logRecordExporter() log record exporter}: a batching
	 * processor like the spans' (bounded queue, never blocks the application thread) that
	 * counts in {@link ResilientSpanExporter#statistics(Signal) statistics(LOGS)} every
	 * log record handed to it and every one its full queue drops. Register it with the
	 * logger provider; closing the logger provider exports what is queued and shuts the
	 * log record exporter down.
	 * @param exporter the resilient exporter whose engine receives the batches
	 * @param settings the batch settings
	 * @return the log record processor
	 */
	public static LogRecordProcessor createForLogs(ResilientSpanExporter exporter, BatchSettings settings) {
		return createForLogs(exporter, List.of(), settings);
	}

	/**
	 * Create the log records' pipeline as one log record processor, as
	 * {@link #createForLogs(ResilientSpanExporter, BatchSettings)} does, whose batches
	 * also go to other exporters, such as an application's own.
	 * @param exporter the resilient exporter whose engine receives the batches
	 * @param alongside exporters that receive every batch too, after the resilient one;
	 * what happens to the records there is not counted
	 * @param settings the batch settings
	 * @return the log record processor
	 */
	public static LogRecordProcessor createForLogs(ResilientSpanExporter exporter, List<LogRecordExporter> alongside,
			BatchSettings settings) {
		ResilientLogRecordExporter logs = exporter.logs();
		ExportRecorder statistics = logs.recorder();
		// the processor counts what it receives, so the exporter must not count it again
		logs.countReceivedUpstream();
		LogRecordExporter head = logs;
		if (!alongside.isEmpty()) {
			List<LogRecordExporter> all = new ArrayList<>();
			all.add(logs);
			all.addAll(alongside);
			head = LogRecordExporter.composite(all);
		}
		BatchingLogRecordProcessor processor = new BatchingLogRecordProcessor(head, statistics, settings);
		statistics.bindQueue(processor::queueSize, settings.maxQueueSize());
		return processor;
	}

}
