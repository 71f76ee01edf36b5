package io.github.otelexport.stats;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.github.otelexport.export.transport.Signal;
import io.github.otelexport.stats.ExportSnapshot.BufferSnapshot;

/**
 * Writes the {@link ExportStatistics} it creates: the export engine holds the recorder
 * and hands out only the statistics, so readers (health, endpoint, meters, the
 * application) can never change the counts they read.
 *
 * @author otel-export authors
 */
public final class ExportRecorder {

	private final ExportStatistics statistics;

	/**
	 * Create a recorder and the statistics it writes.
	 * @param exporters the destinations it exports to
	 * @param recentErrors how many recent errors to keep
	 * @param clock dates attempts and errors
	 * @param ticker measures the recent export rate
	 * @param listenerFailures told, with a message and the exception, when a listener
	 * throws
	 */
	public ExportRecorder(List<ExporterDescription> exporters, int recentErrors, Clock clock, LongSupplier ticker,
			BiConsumer<String, RuntimeException> listenerFailures) {
		this(Signal.TRACES, exporters, recentErrors, clock, ticker, listenerFailures);
	}

	/**
	 * Create a recorder of one signal and the statistics it writes.
	 * @param signal what the statistics count: their recent errors' hints speak of it
	 * @param exporters the destinations it exports to
	 * @param recentErrors how many recent errors to keep
	 * @param clock dates attempts and errors
	 * @param ticker measures the recent export rate
	 * @param listenerFailures told, with a message and the exception, when a listener
	 * throws
	 */
	public ExportRecorder(Signal signal, List<ExporterDescription> exporters, int recentErrors, Clock clock,
			LongSupplier ticker, BiConsumer<String, RuntimeException> listenerFailures) {
		this.statistics = new ExportStatistics(signal, exporters, recentErrors, clock, ticker, listenerFailures);
	}

	/**
	 * Return the statistics this recorder writes, for readers.
	 * @return the statistics
	 */
	public ExportStatistics statistics() {
		return this.statistics;
	}

	/**
	 * Count spans found on disk at start, from before a restart (for the export engine).
	 * @param spans the spans recovered
	 */
	public void recordRecovered(long spans) {
		this.statistics.recordRecovered(spans);
	}

	/**
	 * Show the disk buffer in the snapshots (for the export engine).
	 * @param bytes what the disk buffer takes now
	 * @param maxBytes its limit
	 */
	public void bindDisk(LongSupplier bytes, long maxBytes) {
		this.statistics.bindDisk(bytes, maxBytes);
	}

	/**
	 * Count exported spans that a backend may also hold from an earlier attempt (for the
	 * export engine).
	 * @param spans the spans
	 */
	public void recordPossiblyDuplicated(long spans) {
		this.statistics.recordPossiblyDuplicated(spans);
	}

	/**
	 * Count spans handed to the pipeline (for the export engine).
	 * @param spans the spans
	 */
	public void recordReceived(long spans) {
		this.statistics.recordReceived(spans);
	}

	/**
	 * Record one export attempt and tell the listeners (for the export engine).
	 * @param role the destination it went to
	 * @param attempt its number for the batch, from 1
	 * @param spans the spans in the batch
	 * @param duration how long it took
	 * @param failure the classified failure, or {@code null} if the batch was exported
	 */
	public void recordAttempt(DestinationRole role, int attempt, int spans, Duration duration, ExportFailure failure) {
		this.statistics.recordAttempt(role, attempt, spans, duration, failure);
	}

	/**
	 * Record an attempt that the backend accepted but for some spans it rejected (an OTLP
	 * partial success): a success for the exporter's health and circuit, and an error of
	 * the rejection's category (for the export engine).
	 * @param role the destination
	 * @param attempt the attempt's number for the batch, from 1
	 * @param acceptedSpans the spans accepted
	 * @param rejectedSpans the spans rejected
	 * @param duration how long the attempt took
	 * @param rejection the rejection, classified
	 */
	public void recordPartialSuccess(DestinationRole role, int attempt, int acceptedSpans, int rejectedSpans,
			Duration duration, ExportFailure rejection) {
		this.statistics.recordPartialSuccess(role, attempt, acceptedSpans, rejectedSpans, duration, rejection);
	}

	/**
	 * Count dropped spans and tell the listeners (for the export engine).
	 * @param reason why they were dropped
	 * @param spans the spans; none is no drop
	 */
	public void recordDropped(DropReason reason, long spans) {
		this.statistics.recordDropped(reason, spans);
	}

	/**
	 * Show the failover circuit's state (for the export engine).
	 * @param state the state
	 * @param consecutiveFailures the failed batches in a row on the primary
	 */
	public void recordCircuit(CircuitState state, int consecutiveFailures) {
		this.statistics.recordCircuit(state, consecutiveFailures);
	}

	/**
	 * Show the memory buffer in the snapshots (for the export engine).
	 * @param buffer reads the buffer's state
	 */
	public void bindBuffer(Supplier<BufferSnapshot> buffer) {
		this.statistics.bindBuffer(buffer);
	}

	/**
	 * Show one memory buffer in the snapshots of every signal that shares it, each
	 * estimating the time to drain it from what all of them export (for the export
	 * engine).
	 * @param buffer reads the buffer's state
	 * @param recorders the recorders of the signals that share it
	 */
	public static void shareBuffer(Supplier<BufferSnapshot> buffer, Collection<ExportRecorder> recorders) {
		List<ExportStatistics> sharing = recorders.stream().map(ExportRecorder::statistics).toList();
		DoubleSupplier drainRate = () -> sharing.stream().mapToDouble(ExportStatistics::recentExportRate).sum();
		sharing.forEach((statistics) -> statistics.bindBuffer(buffer, drainRate));
	}

	/**
	 * Show the batch processor's queue in the snapshots (for the export engine).
	 * @param size reads the queue's size
	 * @param capacity the queue's capacity
	 */
	public void bindQueue(LongSupplier size, long capacity) {
		this.statistics.bindQueue(size, capacity);
	}

}
