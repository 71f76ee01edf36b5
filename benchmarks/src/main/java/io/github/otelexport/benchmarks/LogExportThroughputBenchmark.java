package io.github.otelexport.benchmarks;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.github.otelexport.testkit.OtlpReceiver;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
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
 * Log records per second delivered to the in-process receiver over loopback, sustained,
 * shaped like {@link ExportThroughputBenchmark}: each invocation emits {@value #RECORDS}
 * log records, as many as either batch processor's queue holds by default, and waits
 * until the receiver holds them all. The plain SDK is its {@code BatchLogRecordProcessor}
 * around its OTLP log record exporter, each with its defaults; the starter is the log
 * record processor on the span exporter's engine, as {@code otel.export.logs.enabled}
 * wires it ({@link Pipelines#buildForLogs}). Both cut batches of 512 from a queue of
 * 2,048; their schedule delays differ (1 s and 5 s) and do not matter here, since each
 * burst fills four batches and the wait flushes the rest.
 * <p>
 * Each record is shaped like an application's log line sent by an appender: a body of
 * about 100 characters, a severity and its text, three attributes and the trace context
 * of the span it was written in.
 *
 * @author otel-export authors
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LogExportThroughputBenchmark {

	static final int RECORDS = 2048;

	private static final String BODY = "Order 48213 placed by customer 7731: 3 items, total 129.90 EUR, "
			+ "payment authorised in 42 ms (card, 3-D Secure)";

	private static final AttributeKey<String> THREAD_NAME = AttributeKey.stringKey("thread.name");

	private static final AttributeKey<String> CODE_FUNCTION = AttributeKey.stringKey("code.function");

	private static final AttributeKey<Long> INDEX = AttributeKey.longKey("index");

	/**
	 * How many traces the records belong to: a few lines per request.
	 */
	private static final int TRACES = 256;

	@Param({ Pipelines.PLAIN, Pipelines.STARTER })
	public String pipeline;

	@Param({ Pipelines.GRPC, Pipelines.HTTP })
	public String protocol;

	/**
	 * How long the receiver waits before it answers each request: {@code 0} on loopback,
	 * {@code 20} for a backend a few network hops away.
	 */
	@Param({ "0", "20" })
	public int backendDelayMillis;

	private OtlpReceiver receiver;

	private Pipelines.LogPipeline logPipeline;

	private Logger logger;

	private Context[] traceContexts;

	private long emitted;

	@Setup(Level.Trial)
	public void setUp() {
		// it only counts: a receiver that keeps millions of records makes the garbage
		// collector what is measured
		this.receiver = OtlpReceiver.builder().countOnly().build();
		if (this.backendDelayMillis > 0) {
			this.receiver.delayResponses(Duration.ofMillis(this.backendDelayMillis));
		}
		this.logPipeline = Pipelines.buildForLogs(this.pipeline, this.protocol, this.receiver);
		// not under io.github.otelexport: the starter never exports its own log lines
		this.logger = this.logPipeline.loggerProvider().get("com.example.orders.OrderService");
		Random random = new Random(42);
		this.traceContexts = new Context[TRACES];
		for (int i = 0; i < TRACES; i++) {
			SpanContext span = SpanContext.create(TraceId.fromLongs(random.nextLong(), random.nextLong()),
					SpanId.fromLong(random.nextLong()), TraceFlags.getSampled(), TraceState.getDefault());
			this.traceContexts[i] = Context.root().with(Span.wrap(span));
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.logPipeline.shutdown(Duration.ofSeconds(30));
		long received = this.receiver.logRecordCount();
		this.receiver.close();
		if (received != this.emitted) {
			throw new IllegalStateException("The receiver got " + received + " log records of " + this.emitted);
		}
	}

	@Benchmark
	@OperationsPerInvocation(RECORDS)
	public void exportBatch() {
		for (int i = 0; i < RECORDS; i++) {
			this.logger.logRecordBuilder()
				.setContext(this.traceContexts[i % TRACES])
				.setSeverity(Severity.INFO)
				.setSeverityText("INFO")
				.setBody(BODY)
				.setAttribute(THREAD_NAME, "http-nio-8080-exec-7")
				.setAttribute(CODE_FUNCTION, "placeOrder")
				.setAttribute(INDEX, (long) i)
				.emit();
		}
		this.emitted += RECORDS;
		Pipelines.awaitReceived(this.logPipeline.loggerProvider(), this.receiver, this.emitted);
	}

}
