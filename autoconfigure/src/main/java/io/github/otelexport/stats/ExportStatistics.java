package io.github.otelexport.stats;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.github.otelexport.export.transport.Signal;
import io.github.otelexport.stats.ExportSnapshot.BufferSnapshot;
import io.github.otelexport.stats.ExportSnapshot.DiskSnapshot;
import io.github.otelexport.stats.ExportSnapshot.ExporterSnapshot;
import io.github.otelexport.stats.ExportSnapshot.QueueSnapshot;
import io.github.otelexport.stats.ExportSnapshot.RecentError;

/**
 * Thread-safe counters of the export pipeline: spans received, exported per exporter and
 * dropped per reason, failed attempts per category, retries, circuit state and a bounded
 * ring of recent errors. Read them through {@link #snapshot()}; observe them live through
 * an {@link ExportListener}. Only the {@link ExportRecorder} that created them writes to
 * them, so whoever is handed the statistics can read them and never change them.
 *
 * @author otel-export authors
 */
public final class ExportStatistics {

	private static final ExportErrorCategory[] CATEGORIES = ExportErrorCategory.values();

	private static final DropReason[] REASONS = DropReason.values();

	private final Signal signal;

	private final Map<DestinationRole, ExporterCounters> exporters = new LinkedHashMap<>();

	private final Clock clock;

	/**
	 * Told when a listener throws: the export path must go on, so the engine logs it.
	 */
	private final BiConsumer<String, RuntimeException> listenerFailures;

	private final LongAdder spansReceived = new LongAdder();

	private final LongAdder retries = new LongAdder();

	private final AtomicLongArray errorsByCategory = new AtomicLongArray(CATEGORIES.length);

	private final AtomicLongArray droppedByReason = new AtomicLongArray(REASONS.length);

	private final AtomicReference<Instant> lastSuccess = new AtomicReference<>();

	private final AtomicReference<Instant> lastFailure = new AtomicReference<>();

	private final AtomicReference<Instant> failingSince = new AtomicReference<>();

	private final AtomicReference<RecentError> lastError = new AtomicReference<>();

	private final RecentErrors recentErrors;

	private final List<ExportListener> listeners = new CopyOnWriteArrayList<>();

	private volatile CircuitState circuitState = CircuitState.CLOSED;

	private volatile int consecutiveFailures;

	private volatile LongSupplier queueSize = () -> 0L;

	private volatile long queueCapacity;

	private final LongAdder possiblyDuplicated = new LongAdder();

	private final LongAdder recovered = new LongAdder();

	private volatile LongSupplier diskBytes = () -> 0L;

	private volatile long diskMaxBytes;

	private volatile Supplier<BufferSnapshot> buffer = () -> BufferSnapshot.NONE;

	/**
	 * The recent export rate of every signal that shares the buffer.
	 */
	private volatile DoubleSupplier bufferDrainRate = this::recentExportRate;

	/**
	 * Spans exported recently: with a buffer, every export takes its spans from it.
	 */
	private final RecentRate exportRate;

	/**
	 * Create the statistics of one exporter, for its {@link ExportRecorder}.
	 * @param signal what they count
	 * @param exporters the destinations it exports to
	 * @param recentErrors how many recent errors to keep
	 * @param clock dates attempts and errors
	 * @param ticker measures the recent export rate
	 * @param listenerFailures told, with a message and the exception, when a listener
	 * throws
	 */
	ExportStatistics(Signal signal, List<ExporterDescription> exporters, int recentErrors, Clock clock,
			LongSupplier ticker, BiConsumer<String, RuntimeException> listenerFailures) {
		this.signal = signal;
		for (ExporterDescription description : exporters) {
			if (this.exporters.put(description.role(), new ExporterCounters(description)) != null) {
				throw new IllegalArgumentException("Duplicate exporter role '" + description.role() + "'");
			}
		}
		this.recentErrors = new RecentErrors(recentErrors);
		this.clock = clock;
		this.listenerFailures = listenerFailures;
		this.exportRate = new RecentRate(BufferSnapshot.DRAIN_RATE_WINDOW, ticker);
	}

	/**
	 * Add a listener that is told about every attempt and drop from now on.
	 * @param listener the listener
	 */
	public void addListener(ExportListener listener) {
		if (listener == null) {
			throw new IllegalArgumentException("listener must not be null");
		}
		this.listeners.add(listener);
	}

	/**
	 * Return an immutable view of the statistics. While the pipeline is busy the counters
	 * are read one after another, so spans may be counted as in flight that have just
	 * been exported.
	 * @return the snapshot
	 */
	public ExportSnapshot snapshot() {
		List<ExporterSnapshot> exporterSnapshots = new ArrayList<>(this.exporters.size());
		long done = 0;
		for (ExporterCounters counters : this.exporters.values()) {
			ExporterSnapshot snapshot = counters.snapshot();
			done += snapshot.exportedSpans();
			exporterSnapshots.add(snapshot);
		}
		Map<DropReason, Long> dropped = new EnumMap<>(DropReason.class);
		for (DropReason reason : REASONS) {
			long count = this.droppedByReason.get(reason.ordinal());
			if (count > 0) {
				dropped.put(reason, count);
				done += count;
			}
		}
		Map<ExportErrorCategory, Long> errors = new EnumMap<>(ExportErrorCategory.class);
		for (ExportErrorCategory category : CATEGORIES) {
			long count = this.errorsByCategory.get(category.ordinal());
			if (count > 0) {
				errors.put(category, count);
			}
		}
		long received = this.spansReceived.sum();
		long recovered = this.recovered.sum();
		BufferSnapshot buffer = this.buffer.get();
		if (buffer.maxBytes() > 0) {
			buffer = buffer.withDrainRate(recentExportRate(), this.bufferDrainRate.getAsDouble());
		}
		return new ExportSnapshot(received, Math.max(0, received + recovered - done), exporterSnapshots,
				this.circuitState, this.consecutiveFailures, this.retries.sum(), errors, dropped,
				this.lastSuccess.get(), this.lastFailure.get(), this.failingSince.get(), this.lastError.get(),
				new QueueSnapshot(Math.max(0, this.queueSize.getAsLong()), this.queueCapacity), buffer,
				this.recentErrors.newestFirst(), this.possiblyDuplicated.sum(), recovered, (this.diskMaxBytes > 0)
						? new DiskSnapshot(this.diskBytes.getAsLong(), this.diskMaxBytes) : DiskSnapshot.NONE);
	}

	/**
	 * Count spans found on disk at start, from before a restart (for the export engine).
	 * @param spans the spans recovered
	 */
	void recordRecovered(long spans) {
		this.recovered.add(spans);
	}

	/**
	 * Show the disk buffer in the snapshots (for the export engine).
	 * @param bytes what the disk buffer takes now
	 * @param maxBytes its limit
	 */
	void bindDisk(LongSupplier bytes, long maxBytes) {
		this.diskBytes = bytes;
		this.diskMaxBytes = maxBytes;
	}

	/**
	 * Count exported spans that a backend may also hold from an earlier attempt (for the
	 * export engine).
	 * @param spans the spans
	 */
	void recordPossiblyDuplicated(long spans) {
		this.possiblyDuplicated.add(spans);
	}

	/**
	 * Count spans handed to the pipeline (for the export engine).
	 * @param spans the spans
	 */
	void recordReceived(long spans) {
		this.spansReceived.add(spans);
	}

	/**
	 * Record one export attempt and tell the listeners (for the export engine).
	 * @param role the destination it went to
	 * @param attempt its number for the batch, from 1
	 * @param spans the spans in the batch
	 * @param duration how long it took
	 * @param failure the classified failure, or {@code null} if the batch was exported
	 */
	void recordAttempt(DestinationRole role, int attempt, int spans, Duration duration, ExportFailure failure) {
		recordAttempt(role, attempt, spans, spans, duration, failure);
	}

	private void recordAttempt(DestinationRole role, int attempt, int spans, int exportedSpans, Duration duration,
			ExportFailure failure) {
		ExporterCounters counters = counters(role);
		Instant now = this.clock.instant();
		if (attempt > 1) {
			this.retries.increment();
		}
		if (failure == null) {
			counters.exportedSpans.add(exportedSpans);
			this.exportRate.record(exportedSpans);
			counters.successfulBatches.increment();
			counters.lastSuccess.set(now);
			this.lastSuccess.set(now);
			this.failingSince.set(null);
		}
		else {
			counters.failedAttempts.increment();
			counters.lastFailure.set(now);
			this.lastFailure.set(now);
			this.failingSince.compareAndSet(null, now);
			recordError(counters, now, failure, attempt, spans);
		}
		for (ExportListener listener : this.listeners) {
			try {
				listener.onAttempt(role, spans, duration, failure);
			}
			catch (RuntimeException ex) {
				this.listenerFailures.accept("Export listener " + listener + " failed", ex);
			}
		}
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
	void recordPartialSuccess(DestinationRole role, int attempt, int acceptedSpans, int rejectedSpans,
			Duration duration, ExportFailure rejection) {
		recordAttempt(role, attempt, acceptedSpans + rejectedSpans, acceptedSpans, duration, null);
		recordError(counters(role), this.clock.instant(), rejection, attempt, rejectedSpans);
	}

	private void recordError(ExporterCounters counters, Instant now, ExportFailure failure, int attempt, int spans) {
		this.errorsByCategory.incrementAndGet(failure.category().ordinal());
		RecentError error = new RecentError(now, failure.category(), counters.description.role(),
				counters.description.endpoint(), failure.message(), failure.exceptionType(), attempt, spans,
				failure.category().hint(counters.description, this.signal));
		this.lastError.set(error);
		this.recentErrors.add(error);
	}

	/**
	 * Count dropped spans and tell the listeners (for the export engine).
	 * @param reason why they were dropped
	 * @param spans the spans; none is no drop
	 */
	void recordDropped(DropReason reason, long spans) {
		if (spans <= 0) {
			return;
		}
		this.droppedByReason.addAndGet(reason.ordinal(), spans);
		for (ExportListener listener : this.listeners) {
			try {
				listener.onDropped(reason, spans);
			}
			catch (RuntimeException ex) {
				this.listenerFailures.accept("Export listener " + listener + " failed", ex);
			}
		}
	}

	/**
	 * Show the failover circuit's state (for the export engine).
	 * @param state the state
	 * @param consecutiveFailures the failed batches in a row on the primary
	 */
	void recordCircuit(CircuitState state, int consecutiveFailures) {
		this.circuitState = state;
		this.consecutiveFailures = consecutiveFailures;
	}

	/**
	 * Show the memory buffer in the snapshots (for the export engine).
	 * @param buffer reads the buffer's state
	 */
	void bindBuffer(Supplier<BufferSnapshot> buffer) {
		this.buffer = buffer;
	}

	/**
	 * Show a buffer that several signals share in the snapshots (for the export engine).
	 * @param buffer reads the buffer's state
	 * @param drainRate reads the recent export rate of every signal that shares it
	 */
	void bindBuffer(Supplier<BufferSnapshot> buffer, DoubleSupplier drainRate) {
		this.bufferDrainRate = drainRate;
		this.buffer = buffer;
	}

	/**
	 * Return the items a second exported over the last
	 * {@link BufferSnapshot#DRAIN_RATE_WINDOW}.
	 */
	double recentExportRate() {
		return this.exportRate.perSecond();
	}

	/**
	 * Show the batch processor's queue in the snapshots (for the export engine).
	 * @param size reads the queue's size
	 * @param capacity the queue's capacity
	 */
	void bindQueue(LongSupplier size, long capacity) {
		this.queueSize = size;
		this.queueCapacity = capacity;
	}

	private ExporterCounters counters(DestinationRole role) {
		ExporterCounters counters = this.exporters.get(role);
		if (counters == null) {
			throw new IllegalArgumentException("Unknown exporter role '" + role + "'");
		}
		return counters;
	}

	private static final class ExporterCounters {

		private final ExporterDescription description;

		private final LongAdder exportedSpans = new LongAdder();

		private final LongAdder successfulBatches = new LongAdder();

		private final LongAdder failedAttempts = new LongAdder();

		private final AtomicReference<Instant> lastSuccess = new AtomicReference<>();

		private final AtomicReference<Instant> lastFailure = new AtomicReference<>();

		ExporterCounters(ExporterDescription description) {
			this.description = description;
		}

		ExporterSnapshot snapshot() {
			return new ExporterSnapshot(this.description.role(), this.description.endpoint(),
					this.description.protocol(), this.exportedSpans.sum(), this.successfulBatches.sum(),
					this.failedAttempts.sum(), this.lastSuccess.get(), this.lastFailure.get());
		}

	}

}
