package io.github.otelexport.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.github.otelexport.export.BatchSettings;
import io.github.otelexport.export.RetryPolicy;
import io.github.otelexport.stats.ExportSnapshot;
import io.github.otelexport.testkit.OtlpReceiver;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How fast the backlog of an outage goes once the backend is back: while the receiver
 * refuses every connection, the application ends the spans of {@code outageSeconds} at
 * {@code rate} (by default 120,000); the score is the time from the receiver accepting
 * again until the starter holds none of them. Goal: the backlog drains at 10 times the
 * production rate or more. The plain SDK has no backlog (it dropped all but its queue and
 * the batch it retries): its row is the spans it lost.
 * <p>
 * The spans are ended up to {@code speedup} times faster than the rate, so that the
 * set-up lasts seconds instead of the outage's minute: the buffer holds the same spans
 * whatever the outage took, as long as no batch's retry budget runs out meanwhile, so the
 * starter's {@code retry.max-elapsed-time} is set to 5 minutes here, not left to its
 * default. For the starter they are ended a batch at a time, each once its batch
 * processor has handed the last one over, so that the speed-up never overflows a queue
 * that the rate itself would not fill. The senders' backoff when the receiver comes back
 * does depend on how long they were refused: the time until the first span arrives is
 * therefore reported apart, and so is the rate from then on.
 *
 * @author otel-export authors
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
public class DrainBenchmark {

	/**
	 * The starter's time budget per batch: set, not the default, so that the benchmark
	 * measures the same thing whatever that default is.
	 */
	static final RetryPolicy RETRY = RetryPolicy.builder().maxElapsedTime(Duration.ofMinutes(5)).build();

	/**
	 * Spans ended and delivered before the outage, so that connections are open and the
	 * code paths loaded.
	 */
	private static final int WARM_UP = 2048;

	/**
	 * Spans ended at a time before the starter's queue is looked at: an export batch.
	 */
	private static final int CHUNK = 512;

	@Param({ Pipelines.PLAIN, Pipelines.STARTER })
	public String pipeline;

	@Param({ Pipelines.GRPC, Pipelines.HTTP })
	public String protocol;

	/**
	 * Spans the application ends per second during the outage.
	 */
	@Param("2000")
	public int rate;

	/**
	 * Seconds of outage whose spans make the backlog.
	 */
	@Param("60")
	public int outageSeconds;

	/**
	 * How many times faster than {@code rate} the backlog's spans are ended.
	 */
	@Param("10")
	public int speedup;

	private OtlpReceiver receiver;

	private Pipelines.Pipeline exportPipeline;

	private long backlog;

	private long bufferedBytes;

	private long bufferedSpans;

	@Setup(Level.Trial)
	public void setUp() {
		this.receiver = OtlpReceiver.builder().countOnly().build();
		String endpoint = Pipelines.GRPC.equals(this.protocol) ? this.receiver.grpcEndpoint()
				: this.receiver.httpEndpoint();
		this.exportPipeline = Pipelines.build(this.pipeline, this.protocol, endpoint, BatchSettings.defaults(), RETRY);
		FixedRateProducer warmUp = new FixedRateProducer(this.exportPipeline.tracerProvider().get("warm-up"),
				(double) this.rate * this.speedup);
		warmUp.endUntil(WARM_UP);
		Pipelines.awaitReceived(this.exportPipeline.tracerProvider(), this.receiver, WARM_UP);
		this.exportPipeline.awaitSettled(Duration.ofSeconds(30));
		this.receiver.clear();
		this.receiver.refuseConnections();
		FixedRateProducer producer = new FixedRateProducer(this.exportPipeline.tracerProvider().get("benchmark"),
				(double) this.rate * this.speedup);
		this.backlog = (long) this.rate * this.outageSeconds;
		while (producer.ended() < this.backlog) {
			producer.endUntil(Math.min(producer.ended() + CHUNK, this.backlog));
			if (this.exportPipeline.statistics() != null) {
				awaitHandedOver();
			}
		}
		if (this.exportPipeline.statistics() != null) {
			// hands the batch processor's queue to the buffer
			this.exportPipeline.tracerProvider().forceFlush().join(30, TimeUnit.SECONDS);
			ExportSnapshot.BufferSnapshot buffer = this.exportPipeline.statistics().snapshot().buffer();
			this.bufferedBytes = buffer.bytes();
			this.bufferedSpans = buffer.spans();
		}
	}

	/**
	 * Wait until the batch processor's queue holds less than a chunk: ended faster than
	 * the rate, on two busy cores, spans could otherwise overflow a queue that the rate
	 * itself never fills, and the starter would lose spans to the speed-up.
	 */
	private void awaitHandedOver() {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (this.exportPipeline.statistics().snapshot().queue().size() >= CHUNK) {
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("The batch processor did not hand its batches over within 30 s");
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.exportPipeline.tracerProvider().shutdown().join(30, TimeUnit.SECONDS);
		this.receiver.close();
	}

	@Benchmark
	public void drain(Counts counts) {
		long start = System.nanoTime();
		this.receiver.accept();
		counts.spansEnded = this.backlog;
		if (this.exportPipeline.statistics() == null) {
			// what it held: its queue and the batch it retries
			this.exportPipeline.finish(Duration.ofMinutes(2));
			counts.spansReceived = this.receiver.spanCount();
			counts.spansLost = counts.spansEnded - counts.spansReceived;
			return;
		}
		long firstSpan = 0;
		long deadline = start + RETRY.maxElapsedTime().toNanos();
		while (this.exportPipeline.spansInFlight() > 0) {
			if (firstSpan == 0 && this.receiver.spanCount() > 0) {
				firstSpan = System.nanoTime();
			}
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("The backlog was not gone " + RETRY.maxElapsedTime() + " after the"
						+ " receiver came back: " + this.receiver.spanCount() + " of " + this.backlog + " received");
			}
			// the snapshot is not free: a few milliseconds apart, it takes nothing from
			// the senders that matters, and seconds are measured
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
		}
		long end = System.nanoTime();
		firstSpan = (firstSpan != 0) ? firstSpan : end;
		counts.spansReceived = this.receiver.spanCount();
		counts.spansLost = counts.spansEnded - counts.spansReceived;
		ExportSnapshot snapshot = this.exportPipeline.statistics().snapshot();
		counts.spansDroppedCounted = snapshot.spansDropped();
		counts.spansPossiblyDuplicated = snapshot.spansPossiblyDuplicated();
		System.out.println(this.exportPipeline.drops());
		counts.bufferedBytes = this.bufferedBytes;
		counts.bufferedSpans = this.bufferedSpans;
		counts.firstSpanSeconds = (firstSpan - start) / 1e9;
		counts.drainSeconds = (end - start) / 1e9;
		counts.drainRate = counts.spansReceived / counts.drainSeconds;
		counts.drainPerProduction = counts.drainRate / this.rate;
		// from the first span on: the drain itself, without the wait for the senders'
		// backoff to end
		counts.sendingRate = counts.spansReceived / Math.max(1e-9, (end - firstSpan) / 1e9);
	}

	/**
	 * What the drain counted: the results of the benchmark. The plain SDK has no backlog,
	 * so its drain figures stay 0.
	 */
	@State(Scope.Thread)
	@AuxCounters(AuxCounters.Type.EVENTS)
	public static class Counts {

		/**
		 * Spans ended while the receiver refused.
		 */
		public long spansEnded;

		/**
		 * Of those, spans the receiver accepted.
		 */
		public long spansReceived;

		/**
		 * Spans ended that the receiver never got.
		 */
		public long spansLost;

		/**
		 * Spans the starter counted as dropped.
		 */
		public long spansDroppedCounted;

		/**
		 * Copies the receiver may have got twice, as the starter counts them: the lost
		 * count is exact when this is 0.
		 */
		public long spansPossiblyDuplicated;

		/**
		 * Request bytes in the starter's buffer when the receiver came back (the batches
		 * the senders held aside).
		 */
		public long bufferedBytes;

		/**
		 * Spans in those bytes.
		 */
		public long bufferedSpans;

		/**
		 * Seconds from the receiver accepting to its first span: the senders' backoff.
		 */
		public double firstSpanSeconds;

		/**
		 * Seconds from the receiver accepting until the starter held no span.
		 */
		public double drainSeconds;

		/**
		 * Spans received per second of {@link #drainSeconds}.
		 */
		public double drainRate;

		/**
		 * {@link #drainRate} over the production rate: the goal's ratio.
		 */
		public double drainPerProduction;

		/**
		 * Spans received per second from the first span on, without the backoff.
		 */
		public double sendingRate;

	}

}
