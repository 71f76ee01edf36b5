package io.github.otelexport.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.otelexport.export.BatchSettings;
import io.github.otelexport.testkit.OtlpReceiver;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the application thread pays to start and end a span while the backend accepts and
 * the pipeline keeps up: every span is queued and exported, none dropped. Goal: starter /
 * plain at most 1.03.
 * <p>
 * A thread ending spans in a tight loop ends them far faster than any backend takes them,
 * so a plain loop measures the full queue's drop path instead (that is
 * {@link SpanEndOutageBenchmark}). Here each invocation ends a burst of {@value #BURST}
 * spans into a queue of {@value #QUEUE} with an export batch as large, so the batch
 * processor's worker is not woken during the burst; between invocations, outside the
 * measured time, the pipeline exports them and the set-up waits until the receiver holds
 * every span ended so far. Each burst thus starts with an empty queue and never meets a
 * full one. Exporting between bursts keeps the in-process receiver, which in production
 * runs on another machine, from competing with the measured thread for the two cores. An
 * invocation lasts about a millisecond, so the per-invocation set-up's own timing cost is
 * negligible.
 *
 * @author otel-export authors
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SpanEndBenchmark {

	static final int BURST = 2048;

	static final int QUEUE = 2 * BURST;

	/**
	 * The worker wakes when a full export batch is queued or the schedule delay passes:
	 * neither happens during a burst, so only the set-up's flush exports.
	 */
	private static final BatchSettings BATCH = new BatchSettings(QUEUE, QUEUE, Duration.ofMinutes(10),
			Duration.ofSeconds(30));

	@Param({ Pipelines.PLAIN, Pipelines.STARTER })
	public String pipeline;

	private OtlpReceiver receiver;

	private SdkTracerProvider tracerProvider;

	private Tracer tracer;

	private long ended;

	@Setup(Level.Trial)
	public void setUp() {
		this.receiver = OtlpReceiver.start();
		this.tracerProvider = Pipelines.tracerProvider(this.pipeline, Pipelines.GRPC, this.receiver.grpcEndpoint(),
				BATCH);
		this.tracer = this.tracerProvider.get("benchmark");
	}

	@Setup(Level.Invocation)
	public void drain() {
		Pipelines.awaitReceived(this.tracerProvider, this.receiver, this.ended);
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		try {
			Pipelines.awaitReceived(this.tracerProvider, this.receiver, this.ended);
		}
		finally {
			this.tracerProvider.shutdown().join(30, TimeUnit.SECONDS);
			this.receiver.close();
		}
	}

	@Benchmark
	@OperationsPerInvocation(BURST)
	public void endSpan() {
		for (int i = 0; i < BURST; i++) {
			this.tracer.spanBuilder("operation").startSpan().end();
		}
		this.ended += BURST;
	}

}
