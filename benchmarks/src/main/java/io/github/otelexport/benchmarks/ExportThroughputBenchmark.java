package io.github.otelexport.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

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
 * Spans per second delivered to the in-process receiver over loopback, sustained: each
 * invocation ends {@value #SPANS} spans, as many as the queue holds, and waits until the
 * receiver holds them all, so the score counts spans the receiver accepted. Goals:
 * starter / plain at least 10 over gRPC and 13.9 over http/protobuf (the plain SDK's
 * OkHttp sender stalls on Nagle's algorithm and delayed acknowledgements).
 * <p>
 * The batch processor sends batches of 512 one at a time (the SDK's worker waits for each
 * export before it takes the next), so a burst keeps its worker busy with four batches
 * back to back while the application thread is still ending spans. Ending 512 spans and
 * flushing them instead measured one round trip per invocation plus the flush's
 * hand-over. Neither pipeline can have more than one batch in flight: this is the most a
 * batch processor sustains. The wait is on the receiver's count, not on
 * {@code forceFlush()} alone, which is no barrier ({@link Pipelines#awaitReceived}).
 *
 * @author otel-export authors
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ExportThroughputBenchmark {

	static final int SPANS = 2048;

	/**
	 * Over gRPC, {@code plain-jdk-sender} is the plain pipeline again (JMH runs every
	 * combination; the report reads only its http/protobuf result).
	 */
	@Param({ Pipelines.PLAIN, Pipelines.PLAIN_JDK_SENDER, Pipelines.STARTER })
	public String pipeline;

	@Param({ Pipelines.GRPC, Pipelines.HTTP })
	public String protocol;

	/**
	 * How long the receiver waits before it answers each request: {@code 0} on loopback,
	 * {@code 20} for a backend a few network hops away, where one batch in flight at a
	 * time bounds the throughput at 512 spans per 20 ms.
	 */
	@Param({ "0", "20" })
	public int backendDelayMillis;

	private OtlpReceiver receiver;

	private SdkTracerProvider tracerProvider;

	private Tracer tracer;

	private long ended;

	@Setup(Level.Trial)
	public void setUp() {
		// it only counts: a receiver that keeps millions of spans makes the garbage
		// collector what is measured
		this.receiver = OtlpReceiver.builder().countOnly().build();
		if (this.backendDelayMillis > 0) {
			this.receiver.delayResponses(Duration.ofMillis(this.backendDelayMillis));
		}
		String endpoint = Pipelines.GRPC.equals(this.protocol) ? this.receiver.grpcEndpoint()
				: this.receiver.httpEndpoint();
		this.tracerProvider = Pipelines.tracerProvider(this.pipeline, this.protocol, endpoint);
		this.tracer = this.tracerProvider.get("benchmark");
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.tracerProvider.shutdown().join(30, TimeUnit.SECONDS);
		long received = this.receiver.spanCount();
		this.receiver.close();
		if (received != this.ended) {
			throw new IllegalStateException("The receiver got " + received + " spans of " + this.ended);
		}
	}

	@Benchmark
	@OperationsPerInvocation(SPANS)
	public void exportBatch() {
		for (int i = 0; i < SPANS; i++) {
			this.tracer.spanBuilder("operation").startSpan().setAttribute("index", i).end();
		}
		this.ended += SPANS;
		Pipelines.awaitReceived(this.tracerProvider, this.receiver, this.ended);
	}

}
