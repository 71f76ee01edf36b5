package io.github.otelexport.export;

import java.util.Collection;

import io.github.otelexport.export.transport.OtlpRequestEncoder;
import io.github.otelexport.export.transport.Signal;
import io.github.otelexport.stats.ExportRecorder;
import io.github.otelexport.stats.ExportStatistics;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;

/**
 * The {@link LogRecordExporter} of a {@link ResilientSpanExporter}'s engine: log records
 * go through the spans' buffer, senders, destinations and circuits, and are counted in
 * statistics of their own. Obtained with
 * {@link ResilientSpanExporter#logRecordExporter()}.
 *
 * @author otel-export authors
 */
final class ResilientLogRecordExporter implements LogRecordExporter {

	private final ExportEngine engine;

	ResilientLogRecordExporter(ExportEngine engine) {
		this.engine = engine;
	}

	/**
	 * Return the statistics of the log records.
	 * @return the statistics
	 */
	ExportStatistics statistics() {
		return this.engine.statistics(Signal.LOGS);
	}

	ExportRecorder recorder() {
		return this.engine.recorder(Signal.LOGS);
	}

	/**
	 * Record that log records are counted as received before they reach this exporter, by
	 * the pipeline's {@link BatchingLogRecordProcessor}.
	 */
	void countReceivedUpstream() {
		this.engine.countReceivedUpstream(Signal.LOGS);
	}

	@Override
	public CompletableResultCode export(Collection<LogRecordData> logs) {
		int count = (logs != null) ? logs.size() : 0;
		return this.engine.export(Signal.LOGS, count, () -> OtlpRequestEncoder.logs(logs));
	}

	/**
	 * Complete once every batch handed over so far, of either signal, is exported or
	 * dropped.
	 * @return a result that completes when the buffer is empty and no batch is in flight
	 */
	@Override
	public CompletableResultCode flush() {
		return this.engine.flush();
	}

	/**
	 * Refuse log records from now on; the engine stops once the span exporter is shut
	 * down too.
	 * @return the engine's shutdown when the span exporter is already shut down, else a
	 * result completed at once
	 */
	@Override
	public CompletableResultCode shutdown() {
		return this.engine.close(Signal.LOGS);
	}

	@Override
	public String toString() {
		return "ResilientLogRecordExporter{" + this.engine + "}";
	}

}
