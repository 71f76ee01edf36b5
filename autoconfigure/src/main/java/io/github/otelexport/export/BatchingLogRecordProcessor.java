package io.github.otelexport.export;

import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportRecorder;
import io.github.otelexport.stats.ExportStatistics;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.LogRecordProcessor;
import io.opentelemetry.sdk.logs.ReadWriteLogRecord;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;

/**
 * The export pipeline's log record processor, the log records'
 * {@link BatchingSpanProcessor}: it queues the log records emitted and hands them to the
 * exporter in batches on a thread of its own ({@code otel-export-log-batcher}), counting
 * in the log records' {@link ExportStatistics} every record it receives and every record
 * it drops, because the queue is full or because it was shut down. Built by
 * {@link ExportPipeline}.
 *
 * @author otel-export authors
 */
final class BatchingLogRecordProcessor implements LogRecordProcessor {

	private static final String BASE_PACKAGE = "io.github.otelexport.";

	/**
	 * The packages whose loggers (instrumentation scopes) are the starter's own: their
	 * records are never exported, counted as {@link DropReason#FILTERED}. Only the
	 * library's packages: the sample application and users' tests may live under the same
	 * base package, and their lines must be exported.
	 */
	static final List<String> OWN_PACKAGES = Stream.of("export", "autoconfigure", "actuate", "stats", "diagnose")
		.map((name) -> BASE_PACKAGE + name)
		.toList();

	/**
	 * The name of the processor's thread.
	 */
	static final String THREAD_NAME = "otel-export-log-batcher";

	private final LogRecordExporter exporter;

	private final BatchSettings settings;

	private final BatchIntake<ReadWriteLogRecord, LogRecordData> intake;

	BatchingLogRecordProcessor(LogRecordExporter exporter, ExportRecorder statistics, BatchSettings settings) {
		this(exporter, statistics, settings, SystemTime.TICKER);
	}

	/**
	 * Create a processor and start its thread. Visible for testing.
	 * @param exporter the exporter that receives the batches
	 * @param statistics where log records received and dropped are counted
	 * @param settings the batch settings
	 * @param ticker the nanosecond ticker that times the batches
	 */
	BatchingLogRecordProcessor(LogRecordExporter exporter, ExportRecorder statistics, BatchSettings settings,
			LongSupplier ticker) {
		this.exporter = exporter;
		this.settings = settings;
		this.intake = new BatchIntake<>(
				new BatchWorker.Exporter<>(exporter::export, exporter::shutdown, "log record exporter", "log records"),
				ReadWriteLogRecord::toLogRecordData, settings, ticker, statistics, THREAD_NAME);
	}

	@Override
	public void onEmit(Context context, ReadWriteLogRecord logRecord) {
		if (logRecord == null) {
			return;
		}
		if (isOwn(logRecord.getInstrumentationScopeInfo().getName())) {
			// a line about a failing export, exported through the same failing export,
			// could log again: it stays in the application's own log only
			this.intake.filter();
		}
		else {
			this.intake.accept(logRecord);
		}
	}

	/**
	 * Whether a logger (instrumentation scope) name is one of the starter's own: in one
	 * of its packages or their subpackages.
	 */
	static boolean isOwn(String scope) {
		if (!scope.startsWith(BASE_PACKAGE)) {
			return false;
		}
		for (String ownPackage : OWN_PACKAGES) {
			if (scope.startsWith(ownPackage)
					&& (scope.length() == ownPackage.length() || scope.charAt(ownPackage.length()) == '.')) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Export every log record queued now.
	 * @return a result that completes once they were handed to the exporter (after a
	 * shutdown, the shutdown's result)
	 */
	@Override
	public CompletableResultCode forceFlush() {
		return this.intake.forceFlush();
	}

	/**
	 * Export what is queued, then shut the exporter down and end the thread. Log records
	 * emitted afterwards are counted as {@link DropReason#SHUTDOWN}. Calling it again
	 * returns the first call's result.
	 * @return a result that completes when the exporter's shutdown does
	 */
	@Override
	public CompletableResultCode shutdown() {
		return this.intake.shutdown();
	}

	/**
	 * Return how many log records wait in the queue.
	 * @return the queue size
	 */
	int queueSize() {
		return this.intake.queueSize();
	}

	@Override
	public String toString() {
		return "BatchingLogRecordProcessor{exporter=" + this.exporter + ", settings=" + this.settings + "}";
	}

}
