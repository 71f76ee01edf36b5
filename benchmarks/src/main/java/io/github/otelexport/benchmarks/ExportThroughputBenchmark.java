package io.github.otelexport.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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
 * <p>
 * {@code starter-disk} is the starter with a disk buffer, in a directory of its own for
 * each trial (under {@code java.io.tmpdir}, which must be on a disk, not a tmpfs, for the
 * row to mean anything), deleted in the tear-down. Goal: disk / memory-only starter at
 * least 0.8 against the receiver that answers at once.
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
	@Param({ Pipelines.PLAIN, Pipelines.PLAIN_JDK_SENDER, Pipelines.STARTER, Pipelines.STARTER_DISK })
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

	/**
	 * The disk buffer's directory, {@code null} unless the pipeline is
	 * {@code starter-disk}.
	 */
	private Path diskDirectory;

	@Setup(Level.Trial)
	public void setUp() throws IOException {
		// it only counts: a receiver that keeps millions of spans makes the garbage
		// collector what is measured
		this.receiver = OtlpReceiver.builder().countOnly().build();
		if (this.backendDelayMillis > 0) {
			this.receiver.delayResponses(Duration.ofMillis(this.backendDelayMillis));
		}
		String endpoint = Pipelines.GRPC.equals(this.protocol) ? this.receiver.grpcEndpoint()
				: this.receiver.httpEndpoint();
		if (Pipelines.STARTER_DISK.equals(this.pipeline)) {
			this.diskDirectory = Files.createTempDirectory("otelexport-benchmark-disk");
		}
		this.tracerProvider = Pipelines
			.build(this.pipeline, this.protocol, endpoint, BatchSettings.defaults(), null, this.diskDirectory)
			.tracerProvider();
		this.tracer = this.tracerProvider.get("benchmark");
	}

	@TearDown(Level.Trial)
	public void tearDown() throws IOException {
		this.tracerProvider.shutdown().join(30, TimeUnit.SECONDS);
		long received = this.receiver.spanCount();
		this.receiver.close();
		try {
			if (received != this.ended) {
				throw new IllegalStateException("The receiver got " + received + " spans of " + this.ended);
			}
			if (this.diskDirectory != null && segmentBytes(this.diskDirectory) == 0) {
				// the log keeps the segment it writes to, so a disk buffer that was used
				// leaves bytes behind
				throw new IllegalStateException("The disk buffer wrote nothing to " + this.diskDirectory
						+ ": this measured the memory buffer alone");
			}
		}
		finally {
			if (this.diskDirectory != null) {
				delete(this.diskDirectory);
			}
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

	private static long segmentBytes(Path directory) throws IOException {
		long bytes = 0;
		try (Stream<Path> files = Files.list(directory)) {
			for (Path file : files.filter((path) -> path.getFileName().toString().endsWith(".log")).toList()) {
				bytes += Files.size(file);
			}
		}
		return bytes;
	}

	private static void delete(Path directory) throws IOException {
		List<Path> paths;
		try (Stream<Path> walk = Files.walk(directory)) {
			paths = walk.sorted(Comparator.reverseOrder()).toList();
		}
		for (Path path : paths) {
			Files.delete(path);
		}
	}

}
