package io.github.otelexport.export;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.github.otelexport.export.store.Corruption;
import io.github.otelexport.export.store.DiskLog;
import io.github.otelexport.export.store.DiskRecord;
import io.github.otelexport.export.transport.OtlpPartialSuccess;
import io.github.otelexport.export.transport.OtlpResponse;
import io.github.otelexport.export.transport.OtlpTransport;
import io.github.otelexport.export.transport.Signal;
import io.github.otelexport.stats.CircuitState;
import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.Durations;
import io.github.otelexport.stats.ExportErrorCategory;
import io.github.otelexport.stats.ExportFailure;
import io.github.otelexport.stats.ExportRecorder;
import io.github.otelexport.stats.ExportStatistics;
import io.github.otelexport.stats.ExporterDescription;
import io.opentelemetry.sdk.common.CompletableResultCode;

/**
 * The export engine behind {@link ResilientSpanExporter} and its log record exporter: it
 * takes batches of either {@link Signal}, encoded once as an OTLP request, keeps them in
 * one buffer (memory, and disk when configured), sends them with one set of senders
 * through the transports of each destination (one client for both signals), retries
 * failed attempts with backoff (or after the delay the server asked for), fails over to a
 * fallback destination when the primary keeps failing (one circuit per signal: a
 * destination may take one signal and refuse the other), classifies every failure and
 * counts every item in the {@link ExportStatistics} of its signal.
 * <p>
 * Without a buffer, attempts run on the calling thread (the batch processor's worker), so
 * {@link #export} returns a completed result. It never throws; a batch that cannot be
 * delivered is dropped and counted with its {@link DropReason}. The transports are the
 * engine's: it closes them when the last of its exporters is shut down.
 *
 * @author otel-export authors
 */
final class ExportEngine {

	/**
	 * The exporter's name, which users know from its log lines and configure.
	 */
	private static final Logger logger = Logger.getLogger(ResilientSpanExporter.class.getName());

	private static final int LOG_LINES_PER_MINUTE = 5;

	/**
	 * How many failing listeners the statistics log a minute, under their own logger.
	 */
	private static final int LISTENER_LOG_LINES_PER_MINUTE = 3;

	private final EngineDestination primary;

	private final EngineDestination fallback;

	private final RetryPolicy retryPolicy;

	/**
	 * The shortest wait for an attempt's answer, even when the budget is spent.
	 */
	private static final long MIN_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	/**
	 * Most attempts a batch makes on one destination while its host name does not
	 * resolve: one retry covers a DNS blip or a service name not yet registered, while a
	 * typo in the host would only spend the batch's time budget.
	 */
	static final int UNKNOWN_HOST_MAX_ATTEMPTS = 2;

	private final Duration attemptTimeout;

	private final Backoff backoff;

	private final LongSupplier ticker;

	private final Sleeper sleeper;

	private final ExportErrorClassifier classifier;

	private final SecretRedactor redactor;

	/**
	 * The counting of each signal: the accounting identity holds per signal.
	 */
	private final Map<Signal, ExportRecorder> recorders = new EnumMap<>(Signal.class);

	/**
	 * The failover circuit of each signal: each fails over on its own failures.
	 */
	private final Map<Signal, FailoverCircuit> circuits = new EnumMap<>(Signal.class);

	/**
	 * The signals whose exporter was handed out and not shut down yet; the engine stops
	 * with the last. Guarded by itself.
	 */
	private final Set<Signal> openSignals = EnumSet.of(Signal.TRACES);

	/**
	 * The signals whose exporter was shut down: their batches are refused.
	 */
	private final Set<Signal> closedSignals = Collections.synchronizedSet(EnumSet.noneOf(Signal.class));

	/**
	 * Set once the exporter stops: batches are no longer attempted, sleeping ones wake.
	 */
	private final AtomicBoolean shutdown = new AtomicBoolean();

	/**
	 * Set by the first {@link #shutdown()}: with a buffer, what is buffered may still go
	 * out before the exporter stops.
	 */
	private final AtomicBoolean shutdownRequested = new AtomicBoolean();

	/**
	 * The buffer between batching and sending, or {@code null} when each batch is sent on
	 * the thread that hands it over.
	 */
	private final SendQueue<Batch> queue;

	private final int concurrency;

	private final Duration drainTimeout;

	private final AtomicBoolean sendersStarted = new AtomicBoolean();

	/**
	 * Sender threads that have not ended yet.
	 */
	private final AtomicInteger liveSenders = new AtomicInteger();

	/**
	 * Request bytes per item of the latest batch of each signal encoded, to refuse a
	 * batch the full buffer cannot take before it is encoded. An estimate: a lost update
	 * between two threads does no harm.
	 */
	private final double[] bytesPerItem = new double[Signal.values().length];

	/**
	 * Calls of {@link #export} that have not returned yet.
	 */
	private final AtomicInteger exporting = new AtomicInteger();

	/**
	 * The delegates' shutdown, once it was asked for.
	 */
	private volatile CompletableResultCode delegatesShutdown;

	/**
	 * Completes once the delegates are shut down and no export is running any more, after
	 * the last log lines.
	 */
	private final CompletableResultCode shutdownResult = new CompletableResultCode();

	private final AtomicBoolean closed = new AtomicBoolean();

	/**
	 * The signals whose items are counted as received by a batching processor before they
	 * reach the engine.
	 */
	private final Set<Signal> countedUpstream = ConcurrentHashMap.newKeySet();

	private final AtomicLong spansHandled = new AtomicLong();

	/**
	 * The disk buffer, or {@code null}: every buffered batch is written to it, the memory
	 * buffer caches the oldest ones' bytes.
	 */
	private final DiskLog disk;

	private final ThrottledLogger diskLog;

	ExportEngine(ResilientSpanExporterBuilder builder, DiskLog disk) {
		this.ticker = builder.ticker;
		SecretRedactor redactor = SecretRedactor.of(builder.secrets);
		this.redactor = redactor;
		this.classifier = new ExportErrorClassifier(redactor);
		Duration maxPause = builder.retryPolicy.maxBackoff();
		this.primary = new EngineDestination(builder.primary, builder.primaryDescription, logger, this.ticker, redactor,
				maxPause);
		this.fallback = (builder.fallback != null) ? new EngineDestination(builder.fallback,
				builder.fallbackDescription, logger, this.ticker, redactor, maxPause) : null;
		this.retryPolicy = builder.retryPolicy;
		this.attemptTimeout = builder.attemptTimeout;
		this.backoff = new Backoff(builder.retryPolicy, builder.jitter);
		this.sleeper = builder.sleeper;
		List<ExporterDescription> descriptions = new ArrayList<>();
		descriptions.add(builder.primaryDescription);
		if (this.fallback != null) {
			descriptions.add(builder.fallbackDescription);
		}
		ThrottledLogger listenerLog = new ThrottledLogger(Logger.getLogger(ExportStatistics.class.getName()),
				LISTENER_LOG_LINES_PER_MINUTE, this.ticker);
		for (Signal signal : Signal.values()) {
			this.recorders.put(signal, new ExportRecorder(signal, descriptions, builder.recentErrors, builder.clock,
					this.ticker, (message, ex) -> listenerLog.log(Level.WARNING, message, ex)));
		}
		builder.listeners.forEach(statistics(Signal.TRACES)::addListener);
		this.queue = (builder.bufferBytes > 0) ? new SendQueue<>(builder.bufferBytes, this.ticker, this.sleeper) : null;
		if (this.queue != null) {
			// one buffer for both signals: each snapshot shows all of it
			ExportRecorder.shareBuffer(this.queue::snapshot, this.recorders.values());
		}
		this.concurrency = builder.concurrency;
		this.drainTimeout = builder.drainTimeout;
		for (Signal signal : Signal.values()) {
			this.circuits.put(signal,
					new FailoverCircuit(builder.primaryDescription,
							(this.fallback != null) ? builder.fallbackDescription : null, builder.failureThreshold,
							builder.probeInterval, this.ticker, signal, recorder(signal)));
		}
		this.disk = disk;
		this.diskLog = new ThrottledLogger(logger, LOG_LINES_PER_MINUTE, this.ticker, redactor);
		if (disk != null) {
			this.recorders.values().forEach((recorder) -> recorder.bindDisk(disk::bytes, disk.maxBytes()));
			recover(builder.diskDirectory);
		}
	}

	/**
	 * Queue what the disk buffer kept from before the restart, oldest first, each batch
	 * as the signal its record says, and count it as recovered in that signal's
	 * statistics; damaged records are counted as {@link DropReason#CORRUPT} when their
	 * item count is known, and said in one line either way. A record of a kind this
	 * version does not know (a later version's signal) cannot be sent: it is counted as
	 * corrupt with the traces, in the same line.
	 * <p>
	 * Log records are sent whether or not log export is on now: they were accepted once
	 * and go to the same destinations, while keeping them would hold their segments, and
	 * the disk budget the spans share, until log export is turned on again, perhaps
	 * never.
	 */
	private void recover(Path directory) {
		List<Corruption> damaged = this.disk.corrupted();
		long[] damagedItems = new long[Signal.values().length];
		for (Corruption corruption : damaged) {
			damagedItems[signalOfKind(corruption.kind(), Signal.TRACES).ordinal()] += Math.max(0, corruption.spans());
		}
		long[] toSend = new long[Signal.values().length];
		int unknownRecords = 0;
		long unknownBytes = 0;
		long deadline = this.ticker.getAsLong() + this.retryPolicy.maxElapsedTime().toNanos();
		for (DiskRecord record : this.disk.recovered()) {
			Signal signal = signalOfKind(record.kind(), null);
			if (signal == null) {
				damagedItems[Signal.TRACES.ordinal()] += record.spans();
				unknownRecords++;
				unknownBytes += record.size();
				this.disk.release(record);
				continue;
			}
			Batch batch = new Batch(signal, record.spans());
			batch.record = record;
			batch.deadline = deadline;
			this.queue.offer(batch, 0, record.spans());
			toSend[signal.ordinal()] += record.spans();
		}
		long sending = 0;
		for (Signal signal : Signal.values()) {
			ExportRecorder statistics = recorder(signal);
			statistics.recordRecovered(damagedItems[signal.ordinal()] + toSend[signal.ordinal()]);
			statistics.recordDropped(DropReason.CORRUPT, damagedItems[signal.ordinal()]);
			sending += toSend[signal.ordinal()];
		}
		if (!damaged.isEmpty() || Arrays.stream(damagedItems).sum() > 0) {
			List<String> held = new ArrayList<>(2);
			if (!damaged.isEmpty()) {
				held.add(damaged.size() + " damaged record(s), " + damaged.stream().mapToLong(Corruption::bytes).sum()
						+ " bytes, left by a crash in the middle of a write or a changed file");
			}
			if (unknownRecords > 0) {
				held.add(unknownRecords + " record(s), " + unknownBytes
						+ " bytes, of a kind this version does not know (written by a later version)");
			}
			String known = counts(damagedItems);
			logger.log(Level.WARNING, () -> "The disk buffer in " + directory + " held " + String.join(" and ", held)
					+ ": they are skipped and counted as dropped (corrupt, " + known + " known)");
		}
		if (sending > 0) {
			String items = counts(toSend);
			logger.log(Level.INFO, () -> "Sending " + items + " that the disk buffer in " + directory
					+ " kept from before the restart");
			startSenders();
		}
	}

	/**
	 * Say counts per signal: {@code 3 spans}, {@code 3 spans and 2 log records}; no count
	 * at all is {@code 0 spans}.
	 */
	private static String counts(long[] perSignal) {
		StringBuilder text = new StringBuilder();
		boolean none = Arrays.stream(perSignal).sum() == 0;
		for (Signal signal : Signal.values()) {
			long count = perSignal[signal.ordinal()];
			if (count > 0 || (none && signal == Signal.TRACES)) {
				text.append((text.length() == 0) ? "" : " and ").append(count).append(' ').append(signal.items());
			}
		}
		return text.toString();
	}

	/**
	 * The kind that marks a signal's records on disk: 0 for traces, as every record
	 * written before logs had.
	 */
	static int kindOf(Signal signal) {
		return (signal == Signal.LOGS) ? 1 : 0;
	}

	private static Signal signalOfKind(int kind, Signal unknown) {
		return switch (kind) {
			case 0 -> Signal.TRACES;
			case 1 -> Signal.LOGS;
			default -> unknown;
		};
	}

	/**
	 * Return the statistics of a signal.
	 * @param signal the signal
	 * @return its statistics
	 */
	ExportStatistics statistics(Signal signal) {
		return this.recorders.get(signal).statistics();
	}

	/**
	 * Return what writes the statistics of a signal: the engine's, and its processors'.
	 * @param signal the signal
	 * @return its recorder
	 */
	ExportRecorder recorder(Signal signal) {
		return this.recorders.get(signal);
	}

	/**
	 * Export a batch of a signal: buffer it for the senders, or send it now without a
	 * buffer.
	 * @param signal what the batch holds
	 * @param count its items
	 * @param encoder encodes the batch as one request, called once at most (not at all
	 * for a batch the full buffer refuses)
	 * @return the result, completed
	 */
	CompletableResultCode export(Signal signal, int count, Supplier<byte[]> encoder) {
		this.exporting.incrementAndGet();
		try {
			return exportBatch(signal, count, encoder);
		}
		finally {
			if (this.exporting.decrementAndGet() == 0) {
				closeOnceIdle();
			}
		}
	}

	private CompletableResultCode exportBatch(Signal signal, int count, Supplier<byte[]> encoder) {
		if (count == 0) {
			return CompletableResultCode.ofSuccess();
		}
		ExportRecorder statistics = recorder(signal);
		if (signal == Signal.TRACES) {
			this.spansHandled.addAndGet(count);
		}
		if (!this.countedUpstream.contains(signal)) {
			statistics.recordReceived(count);
		}
		if (this.shutdown.get() || this.closedSignals.contains(signal)) {
			statistics.recordDropped(DropReason.SHUTDOWN, count);
			return CompletableResultCode.ofFailure();
		}
		Batch batch = new Batch(signal, count);
		try {
			if (this.queue != null && refuses(expectedBytes(signal, count))) {
				// full: a sustained outage must not cost the encoding of every batch it
				// drops
				return refused(batch);
			}
			batch.request = encoder.get();
			this.bytesPerItem[signal.ordinal()] = (double) batch.request.length / count;
			// the batch's whole life, in the buffer and in attempts
			batch.deadline = this.ticker.getAsLong() + this.retryPolicy.maxElapsedTime().toNanos();
			if (this.queue != null) {
				return enqueue(batch);
			}
			return send(batch) ? CompletableResultCode.ofSuccess() : CompletableResultCode.ofFailure();
		}
		catch (RuntimeException ex) {
			unexpected(batch, ex);
			return CompletableResultCode.ofFailure();
		}
	}

	/**
	 * Deliver a batch, or drop and count it.
	 * @return whether it was exported
	 */
	private boolean send(Batch batch) {
		Outcome outcome = deliver(batch);
		if (outcome == Outcome.WAITING) {
			// back into the buffer once the sender lets go of it
			return false;
		}
		if (outcome.dropReason() == null) {
			return true;
		}
		if (outcome.dropReason() == DropReason.SHUTDOWN && batch.record != null) {
			// on disk: the next start sends it
			return false;
		}
		recorder(batch.signal).recordDropped(outcome.dropReason(), batch.count);
		batch.accounted = true;
		logDrop(outcome, batch);
		return false;
	}

	/**
	 * A bug of ours must not reach the batch processor or end a sender. The items are
	 * counted unless they already were: what threw may have come after the counting.
	 */
	private void unexpected(Batch batch, RuntimeException ex) {
		boolean dropped = !batch.accounted;
		if (dropped) {
			recorder(batch.signal).recordDropped(DropReason.PERMANENT_ERROR, batch.count);
			batch.accounted = true;
		}
		this.primary.log.log(Level.WARNING, "Export of " + batch.count + " " + batch.signal.items()
				+ " ended with an unexpected error" + (dropped ? "; they are dropped" : ""), ex);
	}

	/**
	 * Whether the buffer would refuse a batch of the given size now: the disk when there
	 * is one (memory only caches its oldest batches), else the memory.
	 */
	private boolean refuses(int size) {
		if (this.disk != null) {
			return this.shutdown.get() || this.disk.bytes() + size > this.disk.maxBytes();
		}
		return this.queue.refuses(size);
	}

	/**
	 * Put a batch in the buffer for the senders; a full buffer drops it, counted. With a
	 * disk buffer, the batch is written to disk first; its bytes stay in memory too while
	 * the memory buffer has room, else a sender reads them back.
	 */
	private CompletableResultCode enqueue(Batch batch) {
		startSenders();
		if (this.disk != null && !writeToDisk(batch)) {
			return refused(batch);
		}
		// before the offer: a sender may take the batch, and put it back, at once
		batch.reserved = batch.request.length;
		if (this.queue.offer(batch, batch.reserved, batch.count)) {
			return CompletableResultCode.ofSuccess();
		}
		batch.reserved = 0;
		if (batch.record != null) {
			// on disk: the memory buffer need not hold its bytes
			batch.request = null;
			if (this.queue.offer(batch, 0, batch.count)) {
				return CompletableResultCode.ofSuccess();
			}
			// closed meanwhile: it stays on disk, uncounted, for the next start
			return CompletableResultCode.ofSuccess();
		}
		return refused(batch);
	}

	/**
	 * Write a batch to the disk buffer.
	 * @return {@code false} when the disk buffer is full; a failing write keeps the batch
	 * in memory only, and says so
	 */
	private boolean writeToDisk(Batch batch) {
		try {
			batch.record = this.disk.append(batch.request, batch.count, kindOf(batch.signal));
			return batch.record != null;
		}
		catch (IOException ex) {
			this.diskLog.log(Level.WARNING,
					"Writing " + batch.count + " " + batch.signal.items() + " to the disk buffer failed ("
							+ ex.getMessage() + "): they are kept in memory only, and lost if the application stops",
					ex);
			return true;
		}
	}

	/**
	 * The size a batch of {@code count} items is likely to have, from the batches of its
	 * signal encoded so far.
	 */
	private int expectedBytes(Signal signal, int count) {
		return (int) Math.min(Integer.MAX_VALUE, this.bytesPerItem[signal.ordinal()] * count);
	}

	/**
	 * Count a batch the buffer refused: full, or closed because the exporter stopped
	 * meanwhile.
	 */
	private CompletableResultCode refused(Batch batch) {
		DropReason reason = this.shutdown.get() ? DropReason.SHUTDOWN : DropReason.BUFFER_FULL;
		recorder(batch.signal).recordDropped(reason, batch.count);
		batch.accounted = true;
		if (reason == DropReason.BUFFER_FULL) {
			this.primary.episodes(batch.signal).dropped(reason, batch.count);
		}
		return CompletableResultCode.ofFailure();
	}

	/**
	 * Start the senders with the first batch, not in the constructor: an exporter that is
	 * built and never used holds no thread.
	 */
	private void startSenders() {
		if (!this.sendersStarted.compareAndSet(false, true)) {
			return;
		}
		for (int i = 1; i <= this.concurrency; i++) {
			this.liveSenders.incrementAndGet();
			Thread sender = new Thread(this::runSender, "otel-export-sender-" + i);
			sender.setDaemon(true);
			sender.start();
		}
	}

	/**
	 * Take batches from the buffer and deliver them until the buffer is closed: a batch
	 * whose next attempt must wait goes back into the buffer, and the sender takes the
	 * next one.
	 */
	private void runSender() {
		try {
			while (true) {
				Batch batch = this.queue.take();
				if (batch == null) {
					return;
				}
				try {
					if (readFromDisk(batch)) {
						send(batch);
					}
				}
				catch (RuntimeException ex) {
					unexpected(batch, ex);
				}
				finally {
					if (!requeue(batch)) {
						release(batch);
					}
					this.queue.done();
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.liveSenders.decrementAndGet();
			closeOnceIdle();
		}
	}

	/**
	 * Put a batch whose next attempt waits back into the buffer, due when its wait ends.
	 * Its age counts from when it first entered. A buffer closed meanwhile counts it as
	 * {@link DropReason#SHUTDOWN}, unless the disk buffer keeps it for the next start.
	 * @return whether it is back in the buffer
	 */
	private boolean requeue(Batch batch) {
		if (!batch.retry.takeWaiting() || batch.accounted) {
			return false;
		}
		if (batch.reserved == 0 && batch.request != null && batch.record != null) {
			// read back from disk: it keeps its bytes in memory only if they find room,
			// else it is read back again when its time comes
			if (this.queue.reserve(batch.request.length)) {
				batch.reserved = batch.request.length;
			}
			else {
				batch.request = null;
			}
		}
		long entered = batch.deadline - this.retryPolicy.maxElapsedTime().toNanos();
		if (this.queue.requeue(batch, batch.reserved, batch.count, entered, batch.retry.due(),
				batch.retry.hastenable())) {
			return true;
		}
		if (batch.record == null) {
			recorder(batch.signal).recordDropped(DropReason.SHUTDOWN, batch.count);
			batch.accounted = true;
		}
		return false;
	}

	/**
	 * Read the bytes of a batch the memory buffer did not keep; a record that cannot be
	 * read back is dropped as {@link DropReason#CORRUPT}.
	 * @return whether the batch has its bytes
	 */
	private boolean readFromDisk(Batch batch) {
		if (batch.request != null) {
			return true;
		}
		try {
			batch.request = this.disk.read(batch.record);
			return true;
		}
		catch (IOException ex) {
			recorder(batch.signal).recordDropped(DropReason.CORRUPT, batch.count);
			batch.accounted = true;
			this.diskLog.log(Level.WARNING, "Dropped " + batch.count + " " + batch.signal.items()
					+ " (corrupt): the disk buffer could not read them back", ex);
			return false;
		}
	}

	/**
	 * Free the memory buffer's room a batch reserved, and forget its record on disk once
	 * its spans are counted; one still unaccounted (its attempts ended by the shutdown)
	 * stays for the next start.
	 */
	private void release(Batch batch) {
		this.queue.release(batch.reserved);
		batch.reserved = 0;
		if (batch.record != null && batch.accounted) {
			this.disk.release(batch.record);
		}
	}

	/**
	 * Deliver a batch: one round of attempts (the primary's, then the fallback's) without
	 * a buffer; with one, rounds until the batch's budget is spent, the backoff going on
	 * between two as if the attempts had, so that an outage shorter than
	 * {@code retry.max-elapsed-time} loses nothing while {@code retry.max-attempts} still
	 * decides when a batch fails over. With a buffer, a batch that must wait (between
	 * attempts or rounds) comes back {@link Outcome#WAITING}, its state in
	 * {@link Batch#retry}, and goes on from there when it is taken again.
	 */
	private Outcome deliver(Batch batch) {
		Outcome outcome = deliverOnce(batch);
		if (outcome == Outcome.WAITING || this.queue == null || !this.retryPolicy.enabled()
				|| outcome.dropReason() != DropReason.RETRIES_EXHAUSTED || outcome.attempt() == null
				|| !outcome.attempt().failure().retryable()) {
			return outcome;
		}
		// the next round needs time for the pause and for an attempt's answer
		Duration left = Duration.ofNanos(batch.deadline - this.ticker.getAsLong() - attemptWindow());
		batch.attemptsBefore = batch.retry.round() * this.retryPolicy.effectiveMaxAttempts();
		Duration pause = this.backoff.delay(batch.attemptsBefore, serverDelay(outcome.attempt()), left);
		if (pause == null || left.isNegative()) {
			return outcome;
		}
		outcome.delegate().log.log(Level.FINE,
				"Export of " + batch.count + " " + batch.signal.items()
						+ " used its attempts on every destination, starting again in " + pause.toMillis() + "ms: "
						+ describe(outcome.attempt()),
				null);
		// the whole pause, even when a destination recovers: it is the backoff of rounds
		batch.retry.waitForRound(this.ticker.getAsLong() + pause.toNanos());
		return Outcome.WAITING;
	}

	/**
	 * The time an attempt needs for its answer, kept before a deadline: an attempt's
	 * timeout, at most half the budget.
	 */
	private long attemptWindow() {
		return Math.min(this.attemptTimeout.toNanos(), this.retryPolicy.maxElapsedTime().toNanos() / 2);
	}

	/**
	 * The delay the server asked for with a failure, or {@code null}: "retry now"
	 * ({@code Retry-After: 0}, a date in the past) is no reason to hammer.
	 */
	private static Duration serverDelay(Attempt attempt) {
		Duration retryAfter = attempt.failure().retryAfter();
		return (retryAfter != null && !retryAfter.isZero() && !retryAfter.isNegative()) ? retryAfter : null;
	}

	private Outcome deliverOnce(Batch batch) {
		long deadline = batch.deadline;
		DestinationRole resumed = batch.retry.on();
		if (resumed == DestinationRole.FALLBACK) {
			// it waited between two attempts on the fallback: the round goes on there
			return attempts(this.fallback, batch, deadline, this.retryPolicy.effectiveMaxAttempts(), false);
		}
		FailoverCircuit circuit = this.circuits.get(batch.signal);
		FailoverCircuit.Route route = FailoverCircuit.Route.PRIMARY;
		if (resumed == null) {
			if (this.ticker.getAsLong() - deadline >= 0) {
				// its budget ran out while it waited in the buffer
				return Outcome.dropped(DropReason.RETRIES_EXHAUSTED, this.primary, null, 0);
			}
			if (this.fallback != null && this.ticker.getAsLong() - primaryDeadline(deadline) >= 0) {
				// a later round past the primary's share: the rest is the fallback's, and
				// the circuit hears nothing of an attempt that was never made
				return attempts(this.fallback, batch, deadline, this.retryPolicy.effectiveMaxAttempts(), false);
			}
			route = circuit.route();
			if (route == FailoverCircuit.Route.FALLBACK) {
				return attempts(this.fallback, batch, deadline, this.retryPolicy.effectiveMaxAttempts(), false);
			}
		}
		boolean probe = route == FailoverCircuit.Route.PROBE;
		boolean probeConcluded = false;
		try {
			int maxAttempts = probe ? 1 : this.retryPolicy.effectiveMaxAttempts();
			Outcome outcome = attempts(this.primary, batch, primaryDeadline(deadline), maxAttempts, probe);
			if (outcome == Outcome.WAITING) {
				// the circuit hears how the primary did once the batch is taken again; a
				// probe cannot keep it half-open that long: it ends as failed below
				return outcome;
			}
			if (outcome.dropReason() == null) {
				circuit.primarySucceeded();
				probeConcluded = true;
				return outcome;
			}
			if (outcome.dropReason() == DropReason.SHUTDOWN) {
				return outcome;
			}
			circuit.primaryFailed();
			probeConcluded = true;
			if (this.fallback == null) {
				return outcome;
			}
			return attempts(this.fallback, batch, deadline, this.retryPolicy.effectiveMaxAttempts(), false);
		}
		finally {
			if (probe && !probeConcluded) {
				// whatever cut the probe short, the circuit must not stay half-open: it
				// opens again and the next probe waits a full interval
				circuit.primaryFailed();
			}
		}
	}

	/**
	 * The primary's share of the batch's budget: with a fallback, one attempt's time (at
	 * most half the budget) is kept for it, so that a slow primary cannot spend the whole
	 * budget and the batch still never takes longer than {@code maxElapsedTime}.
	 */
	private long primaryDeadline(long deadline) {
		if (this.fallback == null) {
			return deadline;
		}
		long budget = this.retryPolicy.maxElapsedTime().toNanos();
		return deadline - Math.min(this.attemptTimeout.toNanos(), budget / 2);
	}

	/**
	 * Try one exporter until it succeeds, fails permanently, runs out of attempts or
	 * would wait past the deadline. The first attempt always runs, unless the destination
	 * is paused or held back (with a buffer); no attempt waits past the deadline. A probe
	 * of the failover circuit is not held back: the circuit spaces the probes already.
	 */
	private Outcome attempts(EngineDestination delegate, Batch batch, long deadline, int maxAttempts, boolean probe) {
		int count = batch.count;
		int first = 1;
		RetryState retry = batch.retry;
		if (retry.on() == delegate.description.role()) {
			// taken again after a wait in the buffer: the attempts go on
			first = retry.attempts() + 1;
			maxAttempts = retry.maxAttempts();
			ExportFailure last = retry.lastFailure();
			retry.resume();
			if (last != null && this.ticker.getAsLong() - deadline >= 0) {
				return Outcome.dropped(DropReason.RETRIES_EXHAUSTED, delegate, new Attempt(last, retry.lastCause()),
						first - 1);
			}
		}
		for (int attempt = first;; attempt++) {
			if (this.shutdown.get()) {
				return Outcome.dropped(DropReason.SHUTDOWN, delegate, null, attempt - 1);
			}
			Outcome paused = awaitPause(delegate, batch, deadline, attempt - 1, maxAttempts, !probe);
			if (paused != null) {
				return paused;
			}
			long start = this.ticker.getAsLong();
			Duration wait = Duration
				.ofNanos(Math.max(MIN_WAIT_NANOS, Math.min(deadline - start, this.attemptTimeout.toNanos())));
			Attempt result = attempt(delegate, batch, wait);
			if (result == Attempt.INTERRUPTED) {
				// the thread is asked to stop: not a failure of the destination
				return Outcome.dropped(DropReason.SHUTDOWN, delegate, null, attempt - 1);
			}
			Duration duration = Duration.ofNanos(this.ticker.getAsLong() - start);
			if (result.failure() == null && result.partialSuccess().hasRejected()) {
				recordPartialSuccess(delegate, attempt, batch, duration, result.partialSuccess());
				return Outcome.EXPORTED;
			}
			recorder(batch.signal).recordAttempt(delegate.description.role(), attempt, count, duration,
					result.failure());
			if (result.failure() == null) {
				batch.accounted = true;
				delegate.episodes(batch.signal).attemptSucceeded();
				boolean recovered = delegate.recovered(batch.signal, this.retryPolicy.initialBackoff());
				if (delegate.release(batch.signal) || recovered) {
					// the signal's batches waiting out a backoff for it go now: the
					// backlog drains
					if (this.queue != null) {
						this.queue.hasten((waiting) -> waiting.signal == batch.signal);
					}
					this.sleeper.nudge();
				}
				if (batch.abandonedAttempts > 0) {
					// each abandoned attempt may have left a copy at a backend
					recorder(batch.signal).recordPossiblyDuplicated((long) count * batch.abandonedAttempts);
				}
				return Outcome.EXPORTED;
			}
			if (this.shutdown.get()) {
				// failing because of the shutdown, perhaps: not a failure of the
				// destination
				return Outcome.dropped(DropReason.SHUTDOWN, delegate, result, attempt);
			}
			delegate.episodes(batch.signal).attemptFailed(result.failure());
			delegate.failed(batch.signal);
			delegate.pauseIfAsked(result);
			if (result.abandoned()) {
				batch.abandonedAttempts++;
			}
			if (!result.failure().retryable()) {
				return Outcome.dropped(DropReason.PERMANENT_ERROR, delegate, result, attempt);
			}
			// with a buffer the destination backs off, not each batch: without it, every
			// buffered batch would make its own attempts against a destination that is
			// down
			// (the batch's own backoff goes on from its earlier rounds)
			long heldUntil = (this.queue != null)
					? delegate.holdBack(batch.signal, result, this.backoff.delay(batch.attemptsBefore + attempt)) : 0;
			if (attempt >= maxAttempts || (result.failure().category() == ExportErrorCategory.UNKNOWN_HOST
					&& attempt >= UNKNOWN_HOST_MAX_ATTEMPTS)) {
				return Outcome.dropped(DropReason.RETRIES_EXHAUSTED, delegate, result, attempt);
			}
			long now = this.ticker.getAsLong();
			Duration remaining = Duration.ofNanos(Math.max(0, deadline - now));
			Duration retryAfter = serverDelay(result);
			Duration delay;
			if (this.queue != null) {
				Duration held = (retryAfter != null) ? retryAfter : Duration.ofNanos(Math.max(0, heldUntil - now));
				delay = (held.compareTo(remaining) > 0) ? null : held;
			}
			else {
				// the backoff goes on from the batch's earlier rounds
				delay = this.backoff.delay(batch.attemptsBefore + attempt, retryAfter, remaining);
			}
			if (delay == null) {
				return Outcome.dropped(DropReason.RETRIES_EXHAUSTED, delegate, result, attempt);
			}
			delegate.log.log(Level.FINE,
					"Export attempt " + attempt + " of " + count + " " + batch.signal.items() + " to "
							+ delegate.description + " failed, retrying in " + delay.toMillis() + "ms: "
							+ describe(result),
					result.cause());
			if (this.queue != null) {
				// the batch waits in the buffer, not the sender; a wait the server
				// asked for is kept whole: no recovery shortens it
				retry.failed(result.failure(), result.cause());
				retry.waitOn(delegate.description.role(), attempt, maxAttempts, now + delay.toNanos(),
						retryAfter == null);
				return Outcome.WAITING;
			}
			// a wait the server asked for is kept whole: no nudge shortens it
			if (!((retryAfter != null) ? sleepFully(delay) : sleep(delay))) {
				return Outcome.dropped(DropReason.SHUTDOWN, delegate, result, attempt);
			}
			if (this.ticker.getAsLong() >= deadline) {
				return Outcome.dropped(DropReason.RETRIES_EXHAUSTED, delegate, result, attempt);
			}
		}
	}

	/**
	 * The backend accepted the batch but rejected some of its spans: the batch counts as
	 * exported for the circuit and the health, the rejected spans are dropped as a
	 * permanent error and are not retried, as the OTLP specification says. A batch of
	 * which every span was rejected is a failed attempt instead.
	 */
	private void recordPartialSuccess(EngineDestination delegate, int attempt, Batch batch, Duration duration,
			OtlpPartialSuccess partialSuccess) {
		int count = batch.count;
		int rejected = (int) partialSuccess.rejected();
		ExportFailure rejection = this.classifier.partialSuccess(partialSuccess, count, batch.signal);
		ExportRecorder statistics = recorder(batch.signal);
		statistics.recordPartialSuccess(delegate.description.role(), attempt, count - rejected, rejected, duration,
				rejection);
		statistics.recordDropped(DropReason.PERMANENT_ERROR, rejected);
		batch.accounted = true;
		delegate.episodes(batch.signal).attemptSucceeded();
		if (delegate.release(batch.signal) && this.queue != null) {
			this.queue.hasten((waiting) -> waiting.signal == batch.signal);
		}
		delegate.episodes(batch.signal).rejected(rejection, rejected);
	}

	/**
	 * Wait while the destination is paused because a server asked for time (a 429 with
	 * {@code Retry-After}, a gRPC status with {@code RetryInfo}), for every batch and not
	 * only the one that was told: a server that asks for 7 seconds gets nothing for 7
	 * seconds. With a buffer, the batch waits there instead of the sender, also while the
	 * destination is held back after a failure (when {@code held} applies); a recovery
	 * ends that wait early, never a pause. A wait that ends after the deadline ends the
	 * batch's attempts here.
	 * @return {@code null} to go on with an attempt, else how the attempts ended or
	 * {@link Outcome#WAITING}
	 */
	private Outcome awaitPause(EngineDestination delegate, Batch batch, long deadline, int attemptsMade,
			int maxAttempts, boolean held) {
		while (true) {
			Attempt pause = delegate.pause;
			long until = delegate.pausedUntil;
			long now = this.ticker.getAsLong();
			boolean asked = pause != null && until - now > 0;
			if (!asked && this.queue != null && held) {
				pause = delegate.heldBy(batch.signal);
				until = delegate.heldUntil(batch.signal);
			}
			if (pause == null || until - now <= 0) {
				return null;
			}
			// an attempt after the pause needs time for its answer before the deadline
			long window = attemptWindow();
			if (until - (deadline - window) >= 0) {
				return Outcome.dropped(DropReason.RETRIES_EXHAUSTED, delegate, pause, attemptsMade);
			}
			if (this.queue != null) {
				// taken again when the pause ends, it looks again: another batch may have
				// been told to wait longer meanwhile
				batch.retry.waitOn(delegate.description.role(), attemptsMade, maxAttempts, until, !asked);
				return Outcome.WAITING;
			}
			if (!sleep(Duration.ofNanos(until - now))) {
				return Outcome.dropped(DropReason.SHUTDOWN, delegate, pause, attemptsMade);
			}
			// and again: another batch may have been told to wait longer meanwhile
		}
	}

	private Attempt attempt(EngineDestination delegate, Batch batch, Duration wait) {
		if (Thread.currentThread().isInterrupted()) {
			return Attempt.INTERRUPTED;
		}
		CompletableFuture<OtlpResponse> sent;
		try {
			sent = delegate.transport.send(batch.signal, batch.request);
		}
		catch (RuntimeException ex) {
			return new Attempt(this.classifier.classify(ex), ex);
		}
		OtlpResponse response;
		try {
			response = sent.get(wait.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			// the transport's own deadline normally comes first; this one bounds a
			// transport that does not keep it
			sent.cancel(true);
			return new Attempt(this.classifier.timedOut(wait), null);
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			return new Attempt(this.classifier.classify(cause), cause);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			sent.cancel(true);
			return Attempt.INTERRUPTED;
		}
		if (!response.isSuccess()) {
			return new Attempt(this.classifier.classify(response), null);
		}
		// a body too long to read still means the spans were accepted: only the partial
		// success in it is unknown
		OtlpPartialSuccess partialSuccess = response.partialSuccess();
		if (!partialSuccess.hasRejected()) {
			return Attempt.SUCCESS;
		}
		if (partialSuccess.rejected() >= batch.count) {
			// nothing was accepted: a failed attempt, like an HTTP 400
			return new Attempt(this.classifier.partialSuccess(partialSuccess, batch.count, batch.signal), null);
		}
		return new Attempt(null, null, partialSuccess);
	}

	/**
	 * Sleep the whole delay, even when a recovering destination nudges the sleepers.
	 * @return {@code false} when woken by the shutdown
	 */
	private boolean sleepFully(Duration delay) {
		long until = this.ticker.getAsLong() + delay.toNanos();
		for (long left = delay.toNanos(); left > 0; left = until - this.ticker.getAsLong()) {
			if (!sleep(Duration.ofNanos(left))) {
				return false;
			}
		}
		return true;
	}

	private boolean sleep(Duration delay) {
		try {
			return this.sleeper.sleep(delay);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Count the drop in the destination's episode, which summarises drops instead of a
	 * line for each, and keep the details, exception included, for DEBUG.
	 */
	private void logDrop(Outcome outcome, Batch batch) {
		int count = batch.count;
		if (outcome.delegate() == null || outcome.attempt() == null) {
			return;
		}
		if (outcome.dropReason() != DropReason.SHUTDOWN) {
			outcome.delegate().episodes(batch.signal).dropped(outcome.dropReason(), count);
		}
		outcome.delegate().log.log(Level.FINE,
				"Dropped " + count + " " + batch.signal.items() + " (" + outcome.dropReason().tagValue() + ") after "
						+ outcome.attempts() + " attempt(s) to " + outcome.delegate().description + ": "
						+ describe(outcome.attempt()),
				outcome.attempt().cause());
	}

	private static String describe(Attempt attempt) {
		return attempt.failure().category() + " (" + attempt.failure().message() + ")";
	}

	/**
	 * Complete once every batch handed over so far is exported or dropped: at once
	 * without a buffer, where each batch is sent within its {@link #export} call. Both
	 * signals share the buffer, so this waits for both.
	 * @return a result that completes when the buffer is empty and no batch is in flight
	 */
	CompletableResultCode flush() {
		return (this.queue != null) ? this.queue.whenIdle() : CompletableResultCode.ofSuccess();
	}

	/**
	 * Start taking batches of a signal: its exporter was handed out, and the engine now
	 * stops only once that exporter is shut down too.
	 * @param signal the signal
	 */
	void open(Signal signal) {
		synchronized (this.openSignals) {
			if (!this.closedSignals.contains(signal)) {
				this.openSignals.add(signal);
			}
		}
	}

	/**
	 * Shut down the exporter of a signal: its later batches are refused (counted as
	 * {@link DropReason#SHUTDOWN}), while the batches it handed over before are still
	 * sent with the others. The last signal to close shuts the engine down.
	 * @param signal the signal
	 * @return the engine's shutdown for the last signal; for an earlier one a result
	 * completed at once, so that an SDK closing its providers one by one never waits for
	 * the other signal's
	 */
	CompletableResultCode close(Signal signal) {
		boolean last;
		synchronized (this.openSignals) {
			this.closedSignals.add(signal);
			this.openSignals.remove(signal);
			last = this.openSignals.isEmpty();
		}
		return last ? shutdown() : CompletableResultCode.ofSuccess();
	}

	/**
	 * Close both transports, which fails the attempts in flight, and wake up any batch
	 * waiting to be retried; its items are counted as {@link DropReason#SHUTDOWN}.
	 * Calling it again returns the first call's result: a caller that waits for it (a
	 * context about to open the same disk buffer again, say) waits for the real end.
	 * @return a result that completes when both transports are closed and no export is
	 * running any more
	 */
	private CompletableResultCode shutdown() {
		if (!this.shutdownRequested.compareAndSet(false, true)) {
			return this.shutdownResult;
		}
		if (this.queue == null || !this.sendersStarted.get()) {
			stop();
		}
		else {
			// what is buffered goes out first, within the drain budget
			this.queue.whenIdle().whenComplete(this::stop);
			CompletableFuture.delayedExecutor(this.drainTimeout.toNanos(), TimeUnit.NANOSECONDS).execute(this::stop);
		}
		return this.shutdownResult;
	}

	/**
	 * Stop: wake the batches waiting out a backoff, close the transports (which fails the
	 * attempts in flight) and count what is still buffered as
	 * {@link DropReason#SHUTDOWN}. Once only.
	 */
	private void stop() {
		if (!this.shutdown.compareAndSet(false, true)) {
			return;
		}
		this.sleeper.wakeUp();
		if (this.queue != null) {
			long[] kept = new long[Signal.values().length];
			long[] left = new long[Signal.values().length];
			for (Batch batch : this.queue.close()) {
				((batch.record != null) ? kept : left)[batch.signal.ordinal()] += batch.count;
			}
			for (Signal signal : Signal.values()) {
				recorder(signal).recordDropped(DropReason.SHUTDOWN, left[signal.ordinal()]);
			}
			if (Arrays.stream(left).sum() > 0) {
				logger.log(Level.WARNING, () -> counts(left) + " were still buffered when the exporter stopped, "
						+ Durations.format(this.drainTimeout) + " after it was asked to: they are dropped");
			}
			if (Arrays.stream(kept).sum() > 0) {
				logger.log(Level.INFO,
						() -> counts(kept) + " were still buffered when the exporter stopped, "
								+ Durations.format(this.drainTimeout)
								+ " after it was asked to: the disk buffer keeps them for the next start");
			}
		}
		boolean closed = this.primary.close();
		if (this.fallback != null) {
			closed &= this.fallback.close();
		}
		this.delegatesShutdown = closed ? CompletableResultCode.ofSuccess() : CompletableResultCode.ofFailure();
		closeOnceIdle();
	}

	/**
	 * Once the delegates are shut down and the last export has returned, write what no
	 * line has said yet and complete the shutdown: an attempt still in flight at shutdown
	 * may yet succeed or fail, and its line must come before the summary. Called by both
	 * (whichever comes last closes); the delegates may log failed exports until then.
	 */
	private void closeOnceIdle() {
		CompletableResultCode delegates = this.delegatesShutdown;
		if (delegates == null || !delegates.isDone() || this.exporting.get() > 0 || this.liveSenders.get() > 0
				|| !this.closed.compareAndSet(false, true)) {
			return;
		}
		try {
			if (this.disk != null) {
				this.disk.close();
			}
			this.primary.shutdownEpisodes();
			if (this.fallback != null) {
				this.fallback.shutdownEpisodes();
			}
		}
		finally {
			if (delegates.isSuccess()) {
				this.shutdownResult.succeed();
			}
			else {
				this.shutdownResult.fail();
			}
		}
	}

	/**
	 * Record that a signal's items are counted as received before they reach the engine,
	 * by the pipeline's batching processor, so {@link #export} must not count them again.
	 * @param signal the signal
	 */
	void countReceivedUpstream(Signal signal) {
		this.countedUpstream.add(signal);
	}

	/**
	 * Return how many spans were handed to {@link #export} so far.
	 */
	long spansHandled() {
		return this.spansHandled.get();
	}

	/**
	 * Whether the exporter of a signal, or the whole engine, was asked to shut down.
	 */
	boolean isShutdown(Signal signal) {
		return this.shutdownRequested.get() || this.closedSignals.contains(signal);
	}

	CircuitState circuitState(Signal signal) {
		return this.circuits.get(signal).state();
	}

	@Override
	public String toString() {
		return "ExportEngine{primary=" + this.primary.description + ", fallback="
				+ ((this.fallback != null) ? this.fallback.description : null) + ", retryPolicy=" + this.retryPolicy
				+ "}";
	}

}
