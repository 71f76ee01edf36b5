package io.github.otelexport.autoconfigure;

import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportStatistics;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.LogRecordProcessor;
import io.opentelemetry.sdk.logs.ReadWriteLogRecord;

/**
 * The log records' pipeline as the application context holds it: hands every log record
 * to the export pipeline's processor except those that otel-export's own loggers wrote.
 * An appender that captures every logger (the OpenTelemetry Logback appender does) would
 * otherwise turn a line about a failing export into a log record for the same failing
 * export, whose failure may log again: those records are dropped and counted as
 * {@link DropReason#FILTERED}, and the lines stay in the application's own log.
 *
 * @author otel-export authors
 */
final class OtelExportLogRecordProcessor implements LogRecordProcessor {

	/**
	 * The logger (instrumentation scope) names whose records are never exported.
	 */
	static final String OWN_LOGGERS = "io.github.otelexport.";

	private final LogRecordProcessor pipeline;

	private final ExportStatistics statistics;

	OtelExportLogRecordProcessor(LogRecordProcessor pipeline, ExportStatistics statistics) {
		this.pipeline = pipeline;
		this.statistics = statistics;
	}

	@Override
	public void onEmit(Context context, ReadWriteLogRecord logRecord) {
		if (logRecord != null && logRecord.getInstrumentationScopeInfo().getName().startsWith(OWN_LOGGERS)) {
			// counted as handed to the pipeline and filtered, so the accounting still
			// adds up
			this.statistics.recordReceived(1);
			this.statistics.recordDropped(DropReason.FILTERED, 1);
			return;
		}
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
