package io.github.otelexport.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The ceiling for export throughput: serialising the same spans to OTLP protobuf bytes,
 * as the SDK exporter does before it sends them, with no network at all.
 *
 * @author otel-export authors
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SerializationBenchmark {

	/**
	 * One export batch: the batch processor's default {@code maxExportBatchSize}.
	 */
	static final int BATCH = 512;

	private final ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);

	private Collection<SpanData> spans;

	@Setup(Level.Trial)
	public void setUp() {
		InMemorySpanExporter memory = InMemorySpanExporter.create();
		try (SdkTracerProvider provider = SdkTracerProvider.builder()
			.addSpanProcessor(SimpleSpanProcessor.create(memory))
			.build()) {
			for (int i = 0; i < BATCH; i++) {
				provider.get("benchmark").spanBuilder("operation").startSpan().setAttribute("index", i).end();
			}
			// copied before closing: shutting the in-memory exporter down forgets its
			// spans
			this.spans = new ArrayList<>(memory.getFinishedSpanItems());
		}
		if (this.spans.size() != BATCH) {
			throw new IllegalStateException("Expected " + BATCH + " spans, got " + this.spans.size());
		}
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public int serialize() throws IOException {
		this.out.reset();
		TraceRequestMarshaler.create(this.spans).writeBinaryTo(this.out);
		return this.out.size();
	}

}
