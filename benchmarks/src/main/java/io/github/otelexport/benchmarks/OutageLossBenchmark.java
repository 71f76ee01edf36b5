package io.github.otelexport.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.otelexport.export.BatchSettings;
import io.github.otelexport.testkit.OtlpReceiver;
import io.opentelemetry.proto.trace.v1.Span;
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
 * Spans lost to an outage: the application ends spans at a fixed rate for
 * {@code healthySeconds}, the receiver then refuses every connection for
 * {@code outageSeconds}, then accepts again while the application goes on for
 * {@code afterSeconds}; once both pipelines have delivered what they still hold, the
 * distinct spans the receiver got are compared with the spans ended. Both pipelines run
 * on their default settings (the starter: the auto-configuration's, buffer on). Goal: the
 * starter loses no span, where the plain SDK loses about 37%.
 * <p>
 * A count, not a timing: the scenario runs once per fork (JMH's single-shot mode, whose
 * score is only the scenario's length) and the counts are the results, as {@link Counts}.
 * A fork per pipeline and protocol keeps the threads one pipeline leaves retrying from
 * competing with the next.
 *
 * @author otel-export authors
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
public class OutageLossBenchmark {

	@Param({ Pipelines.PLAIN, Pipelines.STARTER })
	public String pipeline;

	@Param({ Pipelines.GRPC, Pipelines.HTTP })
	public String protocol;

	/**
	 * Spans the application ends per second, throughout.
	 */
	@Param("2000")
	public int rate;

	/**
	 * Seconds of load before the outage.
	 */
	@Param("5")
	public int healthySeconds;

	/**
	 * Seconds during which every connection is refused.
	 */
	@Param("15")
	public int outageSeconds;

	/**
	 * Seconds of load after the receiver accepts again.
	 */
	@Param("20")
	public int afterSeconds;

	private OtlpReceiver receiver;

	private Pipelines.Pipeline exportPipeline;

	private FixedRateProducer producer;

	@Setup(Level.Trial)
	public void setUp() {
		// it keeps the spans: the refusal cuts off the requests in flight when it begins,
		// which the pipelines send again, so a span can arrive twice
		this.receiver = OtlpReceiver.start();
		String endpoint = Pipelines.GRPC.equals(this.protocol) ? this.receiver.grpcEndpoint()
				: this.receiver.httpEndpoint();
		this.exportPipeline = Pipelines.build(this.pipeline, this.protocol, endpoint, BatchSettings.defaults(), null);
		this.producer = new FixedRateProducer(this.exportPipeline.tracerProvider().get("benchmark"), this.rate);
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.exportPipeline.tracerProvider().shutdown().join(30, TimeUnit.SECONDS);
		this.receiver.close();
	}

	@Benchmark
	public void outage(Counts counts) {
		this.producer.endUntil((long) this.rate * this.healthySeconds);
		this.receiver.refuseConnections();
		this.producer.endUntil((long) this.rate * (this.healthySeconds + this.outageSeconds));
		this.receiver.accept();
		this.producer.endUntil((long) this.rate * (this.healthySeconds + this.outageSeconds + this.afterSeconds));
		// as long as JMH lets an iteration run; the starter's default budget, a batch's
		// whole life in the buffer, is shorter
		this.exportPipeline.finish(Duration.ofMinutes(10));
		counts.spansEnded = this.producer.ended();
		counts.spansReceived = this.receiver.spans().stream().map(Span::getSpanId).distinct().count();
		counts.spansDuplicated = this.receiver.spanCount() - counts.spansReceived;
		counts.spansLost = counts.spansEnded - counts.spansReceived;
		counts.lostPercent = 100.0 * counts.spansLost / counts.spansEnded;
		counts.spansDroppedCounted = 0;
		if (this.exportPipeline.statistics() != null) {
			counts.spansDroppedCounted = this.exportPipeline.statistics().snapshot().spansDropped();
			System.out.println(this.exportPipeline.drops());
		}
	}

	/**
	 * What the scenario counted: the results of the benchmark.
	 */
	@State(Scope.Thread)
	@AuxCounters(AuxCounters.Type.EVENTS)
	public static class Counts {

		/**
		 * Spans the application ended.
		 */
		public long spansEnded;

		/**
		 * Spans the receiver accepted, each counted once.
		 */
		public long spansReceived;

		/**
		 * Copies the receiver accepted of spans it already had.
		 */
		public long spansDuplicated;

		/**
		 * Spans ended that the receiver never got.
		 */
		public long spansLost;

		/**
		 * The lost spans as a percentage of those ended.
		 */
		public double lostPercent;

		/**
		 * Spans the starter counted as dropped, by any reason; the plain SDK counts none
		 * (0).
		 */
		public long spansDroppedCounted;

	}

}
