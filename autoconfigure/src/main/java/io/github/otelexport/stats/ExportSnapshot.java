package io.github.otelexport.stats;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.github.otelexport.export.transport.OtlpProtocol;

/**
 * An immutable, consistent view of the export pipeline's statistics, for readers such as
 * the health indicator, the actuator endpoint and the metrics binder.
 * <p>
 * The accounting identity holds on every snapshot taken while the pipeline is idle:
 * {@code spansReceived + spansRecovered == exported(primary) + exported(fallback) + sum(droppedByReason) + spansInFlight}.
 *
 * @param spansReceived spans handed to the pipeline (ended and sampled)
 * @param spansInFlight spans queued or being exported right now
 * @param exporters per-exporter statistics, primary first, fallback second when
 * configured
 * @param circuitState which exporter receives batches
 * @param consecutiveFailures batches that failed in a row on the primary
 * @param retries attempts that were retries (every attempt after the first of a batch)
 * @param errorsByCategory failed attempts by category (only categories seen)
 * @param droppedByReason spans dropped by reason (only reasons seen)
 * @param lastSuccess when a batch was last exported, or {@code null}
 * @param lastFailure when an attempt last failed, or {@code null}
 * @param failingSince when the current run of failures began (the first failed attempt
 * since the last exported batch), or {@code null} when the last attempt succeeded
 * @param lastError the most recent error, or {@code null}
 * @param queue the batch processor's queue use
 * @param recentErrors recent errors, newest first, bounded in number
 * @author otel-export authors
 */
public record ExportSnapshot(long spansReceived, long spansInFlight, List<ExporterSnapshot> exporters,
		CircuitState circuitState, int consecutiveFailures, long retries,
		Map<ExportErrorCategory, Long> errorsByCategory, Map<DropReason, Long> droppedByReason, Instant lastSuccess,
		Instant lastFailure, Instant failingSince, RecentError lastError, QueueSnapshot queue, BufferSnapshot buffer,
		List<RecentError> recentErrors, long spansPossiblyDuplicated, long spansRecovered, DiskSnapshot disk) {

	/**
	 * Copy the collections, so that the snapshot stays as it was taken whatever the
	 * caller does with the ones it passed in, and cannot be changed by its readers.
	 * @param spansReceived spans handed to the pipeline
	 * @param spansInFlight spans queued or being exported right now
	 * @param exporters per-exporter statistics
	 * @param circuitState which exporter receives batches
	 * @param consecutiveFailures batches that failed in a row on the primary
	 * @param retries attempts that were retries
	 * @param errorsByCategory failed attempts by category
	 * @param droppedByReason spans dropped by reason
	 * @param lastSuccess when a batch was last exported
	 * @param lastFailure when an attempt last failed
	 * @param failingSince when the current run of failures began
	 * @param lastError the most recent error
	 * @param queue the batch processor's queue use
	 * @param buffer the buffer between batching and sending
	 * @param recentErrors recent errors, newest first
	 * @param spansPossiblyDuplicated copies of exported spans that backends may hold
	 * besides the one counted exported: one for each attempt abandoned without an answer
	 * (a timeout, a connection lost mid-answer) before the batch was exported (delivery
	 * is at least once)
	 * @param spansRecovered spans the disk buffer kept from before the restart; they are
	 * exported, dropped or in flight like the spans received
	 * @param disk the disk buffer's use
	 */
	public ExportSnapshot {
		disk = (disk != null) ? disk : DiskSnapshot.NONE;
		exporters = (exporters != null) ? List.copyOf(exporters) : List.of();
		errorsByCategory = orderedCopy(errorsByCategory, ExportErrorCategory.class);
		droppedByReason = orderedCopy(droppedByReason, DropReason.class);
		recentErrors = (recentErrors != null) ? List.copyOf(recentErrors) : List.of();
	}

	/**
	 * An unmodifiable copy in the enum's order, which readers show (Map.copyOf would lose
	 * it).
	 */
	private static <K extends Enum<K>> Map<K, Long> orderedCopy(Map<K, Long> map, Class<K> type) {
		EnumMap<K, Long> copy = new EnumMap<>(type);
		if (map != null) {
			copy.putAll(map);
		}
		return Collections.unmodifiableMap(copy);
	}

	/**
	 * Return the spans exported by all exporters.
	 * @return the exported span count
	 */
	public long spansExported() {
		return this.exporters.stream().mapToLong(ExporterSnapshot::exportedSpans).sum();
	}

	/**
	 * Return the spans dropped for any reason.
	 * @return the dropped span count
	 */
	public long spansDropped() {
		return this.droppedByReason.values().stream().mapToLong(Long::longValue).sum();
	}

	/**
	 * Statistics of one exporter.
	 *
	 * @param role the destination the exporter sends to
	 * @param endpoint the endpoint without credentials
	 * @param protocol the protocol it speaks
	 * @param exportedSpans spans this exporter delivered
	 * @param successfulBatches batches this exporter delivered
	 * @param failedAttempts attempts on this exporter that failed
	 * @param lastSuccess when this exporter last delivered a batch, or {@code null}
	 * @param lastFailure when an attempt on this exporter last failed, or {@code null}
	 */
	public record ExporterSnapshot(DestinationRole role, String endpoint, OtlpProtocol protocol, long exportedSpans,
			long successfulBatches, long failedAttempts, Instant lastSuccess, Instant lastFailure) {

	}

	/**
	 * One failed export attempt.
	 *
	 * @param timestamp when the attempt failed
	 * @param category what went wrong
	 * @param exporter the destination of the exporter that failed
	 * @param endpoint the endpoint without credentials
	 * @param message a one-line description free of credentials
	 * @param exceptionType the underlying exception's class name, or {@code null}
	 * @param attempt the attempt number within its batch, starting at 1
	 * @param spans the number of spans in the batch
	 * @param hint what to do about it, naming the exporter's properties and where its
	 * headers come from ({@link ExportErrorCategory#hint(ExporterDescription)})
	 */
	public record RecentError(Instant timestamp, ExportErrorCategory category, DestinationRole exporter,
			String endpoint, String message, String exceptionType, int attempt, int spans, String hint) {

	}

	/**
	 * The batch processor's queue use.
	 *
	 * @param size spans waiting in the queue now
	 * @param capacity the queue's capacity ({@code otel.export.batch.max-queue-size})
	 */
	public record QueueSnapshot(long size, long capacity) {

	}

	/**
	 * The disk buffer ({@code otel.export.buffer.disk.*}): every buffered batch is
	 * written to it; the {@link BufferSnapshot memory buffer} caches the oldest ones.
	 *
	 * @param bytes bytes of its files now
	 * @param maxBytes its limit ({@code otel.export.buffer.disk.max-size}), {@code 0}
	 * when there is no disk buffer
	 */
	public record DiskSnapshot(long bytes, long maxBytes) {

		/**
		 * No disk buffer.
		 */
		public static final DiskSnapshot NONE = new DiskSnapshot(0, 0);

	}

	/**
	 * The buffer between batching and sending.
	 *
	 * @param bytes request bytes waiting in it now
	 * @param maxBytes its limit ({@code otel.export.buffer.memory.max-size}), {@code 0}
	 * when there is no buffer
	 * @param batches batches waiting in it now
	 * @param spans spans of those batches
	 * @param oldestAge how long the oldest waiting batch has been in the buffer,
	 * {@link Duration#ZERO} when it is empty
	 * @param drainRate items of the snapshot's signal a second exported from the buffer
	 * over the last {@link #DRAIN_RATE_WINDOW}
	 * @param totalDrainRate items of every signal a second exported from the buffer over
	 * the same time: the buffer is shared, so what waits in it ({@code spans}) goes out
	 * at this rate
	 */
	public record BufferSnapshot(long bytes, long maxBytes, int batches, long spans, Duration oldestAge,
			double drainRate, double totalDrainRate) {

		/**
		 * How far back the drain rate looks: long enough to smooth the batches' rhythm,
		 * short enough to follow a recovery within seconds.
		 */
		public static final Duration DRAIN_RATE_WINDOW = Duration.ofSeconds(10);

		/**
		 * No buffer: each batch is sent on the batch processor's thread.
		 */
		public static final BufferSnapshot NONE = new BufferSnapshot(0, 0, 0, 0, Duration.ZERO, 0, 0);

		/**
		 * Read a missing age as an empty buffer's.
		 * @param bytes request bytes waiting
		 * @param maxBytes the limit
		 * @param batches batches waiting
		 * @param spans spans waiting
		 * @param oldestAge how long the oldest batch has waited
		 * @param drainRate items of the signal a second exported recently
		 * @param totalDrainRate items of every signal a second exported recently
		 */
		public BufferSnapshot {
			oldestAge = (oldestAge != null) ? oldestAge : Duration.ZERO;
		}

		/**
		 * Create the snapshot of a buffer that one signal uses alone.
		 * @param bytes request bytes waiting
		 * @param maxBytes the limit
		 * @param batches batches waiting
		 * @param spans spans waiting
		 * @param oldestAge how long the oldest batch has waited
		 * @param drainRate spans a second exported recently
		 */
		public BufferSnapshot(long bytes, long maxBytes, int batches, long spans, Duration oldestAge,
				double drainRate) {
			this(bytes, maxBytes, batches, spans, oldestAge, drainRate, drainRate);
		}

		/**
		 * Estimate how long the items waiting now, of every signal, take to go out at the
		 * buffer's recent drain rate, also of every signal (batches arriving meanwhile
		 * wait behind them).
		 * @return the estimate, {@link Duration#ZERO} when nothing waits, or {@code null}
		 * when spans wait but none was exported recently
		 */
		public Duration timeToDrain() {
			if (this.spans == 0) {
				return Duration.ZERO;
			}
			if (!(this.totalDrainRate > 0)) {
				return null;
			}
			return Duration.ofMillis((long) Math.ceil(this.spans * 1000 / this.totalDrainRate));
		}

		/**
		 * Return this snapshot with the drain rates measured where the exports are
		 * counted.
		 */
		BufferSnapshot withDrainRate(double drainRate, double totalDrainRate) {
			return new BufferSnapshot(this.bytes, this.maxBytes, this.batches, this.spans, this.oldestAge, drainRate,
					totalDrainRate);
		}

	}

}
