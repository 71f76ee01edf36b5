package io.github.otelexport.benchmarks;

import java.util.concurrent.TimeUnit;

import io.github.otelexport.testkit.OtlpReceiver;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the application thread pays to start and end a span during a total outage
 * (connection refused): spans are ended in a tight loop, the queue stays full, and almost
 * every span takes the drop path. Goal: for the starter, at most 1.10 times the cost with
 * a healthy pipeline ({@link SpanEndBenchmark}).
 *
 * @author otel-export authors
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SpanEndOutageBenchmark {

	@Param({ Pipelines.PLAIN, Pipelines.STARTER })
	public String pipeline;

	private OtlpReceiver receiver;

	private SdkTracerProvider tracerProvider;

	private Tracer tracer;

	@Setup(Level.Trial)
	public void setUp() {
		this.receiver = OtlpReceiver.start();
		this.receiver.refuseConnections();
		this.tracerProvider = Pipelines.tracerProvider(this.pipeline, Pipelines.GRPC, this.receiver.grpcEndpoint());
		this.tracer = this.tracerProvider.get("benchmark");
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.tracerProvider.shutdown().join(30, TimeUnit.SECONDS);
		this.receiver.close();
	}

	@Benchmark
	public void endSpan() {
		this.tracer.spanBuilder("operation").startSpan().end();
	}

}
