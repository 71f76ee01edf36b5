package io.github.otelexport.autoconfigure;

import io.github.otelexport.stats.ExportStatistics;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.LogRecordProcessor;
import io.opentelemetry.sdk.logs.ReadWriteLogRecord;

/**
 * The log records' pipeline as the application context holds it: a type of the
 * auto-configuration's own, which Spring Boot's batch log processor is removed for (see
 * {@link BootBatchProcessorRemover}) and which an application's own processor makes back
 * off. The pipeline's processor never exports otel-export's own log lines: an appender
 * that captures every logger (the OpenTelemetry Logback appender does) would otherwise
 * turn a line about a failing export into a log record for the same failing export.
 *
 * @author otel-export authors
 */
final class OtelExportLogRecordProcessor implements LogRecordProcessor {

	private final LogRecordProcessor pipeline;

	private final ExportStatistics statistics;

	OtelExportLogRecordProcessor(LogRecordProcessor pipeline, ExportStatistics statistics) {
		this.pipeline = pipeline;
		this.statistics = statistics;
	}

	/**
	 * Return the statistics of the log records this pipeline exports, for the health, the
	 * endpoint and the meters: only a running log pipeline makes them show logs.
	 * @return the statistics of log records
	 */
	ExportStatistics statistics() {
		return this.statistics;
	}

	@Override
	public void onEmit(Context context, ReadWriteLogRecord logRecord) {
		this.pipeline.onEmit(context, logRecord);
	}

	@Override
	public CompletableResultCode forceFlush() {
		return this.pipeline.forceFlush();
	}

	@Override
	public CompletableResultCode shutdown() {
		return this.pipeline.shutdown();
	}

	@Override
	public String toString() {
		return "OtelExportLogRecordProcessor{" + this.pipeline + "}";
	}

}
