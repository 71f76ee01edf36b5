package io.github.otelexport.export;

import java.util.Collection;

import io.github.otelexport.export.store.DiskLog;
import io.github.otelexport.export.transport.OtlpRequestEncoder;
import io.github.otelexport.export.transport.OtlpTransport;
import io.github.otelexport.export.transport.Signal;
import io.github.otelexport.stats.CircuitState;
import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportRecorder;
import io.github.otelexport.stats.ExportStatistics;
import io.github.otelexport.stats.ExporterDescription;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * A {@link SpanExporter} that encodes each batch once as an OTLP request, sends those
 * bytes through an {@link OtlpTransport}, retries failed attempts with backoff (or after
 * the delay the server asked for), fails over to a fallback destination when the primary
 * keeps failing, classifies every failure and counts every span in
 * {@link ExportStatistics}. Its {@link #logRecordExporter() log record exporter} sends
 * log records through the same buffer, senders, destinations and circuits, counted apart.
 * <p>
 * Without a buffer, attempts run on the calling thread (the batch processor's worker), so
 * {@link #export(Collection)} returns a completed result. It never throws; a batch that
 * cannot be delivered is dropped and counted with its {@link DropReason}. The transports
 * are the exporter's: they are closed once it and its log record exporter, if handed out,
 * are shut down.
 *
 * @author otel-export authors
 */
public final class ResilientSpanExporter implements SpanExporter {

	/**
	 * Most attempts a batch makes on one destination while its host name does not
	 * resolve.
	 */
	static final int UNKNOWN_HOST_MAX_ATTEMPTS = ExportEngine.UNKNOWN_HOST_MAX_ATTEMPTS;

	private final ExportEngine engine;

	private ResilientLogRecordExporter logRecordExporter;

	ResilientSpanExporter(ResilientSpanExporterBuilder builder, DiskLog disk) {
		this.engine = new ExportEngine(builder, disk);
	}

	/**
	 * Start building an exporter around the given primary destination.
	 * @param primary the transport that receives batches while the circuit is closed (see
	 * {@link OtlpTransports})
	 * @param description what it is; its role must be {@code primary}
	 * @return a builder
	 */
	public static ResilientSpanExporterBuilder builder(OtlpTransport primary, ExporterDescription description) {
		return new ResilientSpanExporterBuilder(primary, description);
	}

	/**
	 * Return the statistics of the spans.
	 * @return the statistics
	 */
	public ExportStatistics statistics() {
		return this.engine.statistics(Signal.TRACES);
	}

	/**
	 * Return the statistics of a signal: each counts its own items, drops and errors, and
	 * shows its own failover circuit and the shared buffer.
	 * @param signal the signal
	 * @return its statistics
	 */
	public ExportStatistics statistics(Signal signal) {
		return this.engine.statistics(signal);
	}

	/**
	 * Return what writes the statistics of a signal, for the pipeline's processors.
	 * @param signal the signal
	 * @return its recorder
	 */
	ExportRecorder recorder(Signal signal) {
		return this.engine.recorder(signal);
	}

	/**
	 * Return the exporter of log records that shares this exporter's engine: one buffer
	 * (and its bound), one set of senders, the same destinations and failover circuits;
	 * its records are counted in {@link #statistics(Signal) statistics(LOGS)}. Once it is
	 * handed out, the engine stops when both exporters are shut down. Over http/protobuf
	 * log records go to each destination's logs URL (see
	 * {@link io.github.otelexport.export.transport.TransportSettings#httpEndpoint(Signal)}).
	 * @return the log record exporter, the same one on every call
	 */
	public LogRecordExporter logRecordExporter() {
		return logs();
	}

	synchronized ResilientLogRecordExporter logs() {
		if (this.logRecordExporter == null) {
			this.engine.open(Signal.LOGS);
			this.logRecordExporter = new ResilientLogRecordExporter(this.engine);
		}
		return this.logRecordExporter;
	}

	@Override
	public CompletableResultCode export(Collection<SpanData> spans) {
		int count = (spans != null) ? spans.size() : 0;
		return this.engine.export(Signal.TRACES, count, () -> OtlpRequestEncoder.spans(spans));
	}

	/**
	 * Complete once every batch handed over so far, of either signal, is exported or
	 * dropped: at once without a buffer, where each batch is sent within its
	 * {@link #export(Collection)} call.
	 * @return a result that completes when the buffer is empty and no batch is in flight
	 */
	@Override
	public CompletableResultCode flush() {
		return this.engine.flush();
	}

	/**
	 * Refuse spans from now on. When no log record exporter is open (none was handed out,
	 * or it was shut down), also stop the engine: what is buffered goes out within the
	 * drain budget, then the transports are closed, which fails the attempts in flight,
	 * and what is left is counted as {@link DropReason#SHUTDOWN} (or kept on disk).
	 * Calling it again returns the first call's result: a caller that waits for it (a
	 * context about to open the same disk buffer again, say) waits for the real end.
	 * @return a result that completes when the engine has stopped, or at once while the
	 * log record exporter is still open
	 */
	@Override
	public CompletableResultCode shutdown() {
		return this.engine.close(Signal.TRACES);
	}

	/**
	 * Record that spans are counted as received before they reach this exporter, by the
	 * pipeline's {@link BatchingSpanProcessor}, so {@link #export(Collection)} must not
	 * count them again.
	 */
	void countReceivedUpstream() {
		this.engine.countReceivedUpstream(Signal.TRACES);
	}

	/**
	 * Return how many spans were handed to {@link #export(Collection)} so far.
	 */
	long spansHandled() {
		return this.engine.spansHandled();
	}

	boolean isShutdown() {
		return this.engine.isShutdown(Signal.TRACES);
	}

	CircuitState circuitState() {
		return this.engine.circuitState(Signal.TRACES);
	}

	@Override
	public String toString() {
		return "ResilientSpanExporter{" + this.engine + "}";
	}

}
