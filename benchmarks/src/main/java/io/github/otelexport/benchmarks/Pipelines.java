package io.github.otelexport.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiPredicate;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.github.otelexport.export.BatchSettings;
import io.github.otelexport.export.ExportPipeline;
import io.github.otelexport.export.ExporterSettings;
import io.github.otelexport.export.OtlpTransports;
import io.github.otelexport.export.ResilientSpanExporter;
import io.github.otelexport.export.ResilientSpanExporterBuilder;
import io.github.otelexport.export.RetryPolicy;
import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.stats.ExportSnapshot;
import io.github.otelexport.stats.ExportStatistics;
import io.github.otelexport.testkit.OtlpReceiver;
import io.github.otelexport.testkit.Signal;
import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * Builds the two pipelines every benchmark compares (for spans; {@link #buildForLogs} for
 * log records): the plain SDK (a {@link BatchSpanProcessor} around the SDK's OTLP
 * exporter with its default settings and its default OkHttp sender) and otel-export's as
 * the auto-configuration builds it by default (its own batch processor with the same
 * settings, the resilient exporter with a 64MB buffer and four senders, and its own
 * transport).
 *
 * @author otel-export authors
 */
final class Pipelines {

	/**
	 * The plain OpenTelemetry SDK.
	 */
	static final String PLAIN = "plain";

	/**
	 * otel-export's pipeline with the auto-configuration's defaults.
	 */
	static final String STARTER = "starter";

	/**
	 * otel-export's pipeline with the auto-configuration's defaults and a disk buffer of
	 * its default size ({@code otel.export.buffer.disk.max-size}, 1GB) in a directory the
	 * benchmark gives it: every batch is appended to the log on disk before the
	 * exporter's {@code export()} returns, and memory caches the oldest.
	 */
	static final String STARTER_DISK = "starter-disk";

	/**
	 * The plain OpenTelemetry SDK with the JDK HttpClient sender for http/protobuf, the
	 * client the starter's http/protobuf transport uses: against it, the starter's own
	 * overhead shows apart from the client's gain. Over gRPC it is the plain pipeline.
	 */
	static final String PLAIN_JDK_SENDER = "plain-jdk-sender";

	/**
	 * OTLP over gRPC.
	 */
	static final String GRPC = "grpc";

	/**
	 * OTLP over HTTP with protobuf bodies.
	 */
	static final String HTTP = "http/protobuf";

	/**
	 * The outage benchmarks fail every export on purpose; both pipelines' failure logs
	 * are silenced so that logging does not become what is measured. Held strongly so the
	 * levels stick.
	 */
	private static final List<Logger> SILENCED = Stream.of("io.opentelemetry", "io.github.otelexport")
		.map(Logger::getLogger)
		.peek((logger) -> logger.setLevel(Level.OFF))
		.toList();

	private static final long DISK_BYTES = 1024L * 1024 * 1024;

	private static final String JDK_HTTP_SENDER_PROVIDER = "io.opentelemetry.exporter.sender.jdk.internal.JdkHttpSenderProvider";

	/**
	 * What a plain user of {@code opentelemetry-exporter-otlp} has: OkHttp's senders
	 * alone. The benchmarks' class path also holds the SDK's JDK HttpClient sender (for
	 * {@link #PLAIN_JDK_SENDER}), and with two HTTP senders the SDK would pick one by
	 * hash order and warn.
	 */
	private static final ComponentLoader PLAIN_SENDERS = senders(
			(type, component) -> !JDK_HTTP_SENDER_PROVIDER.equals(component.getClass().getName()));

	/**
	 * The plain SDK's senders with the JDK HttpClient one preferred for http/protobuf, as
	 * the SDK's own preference setting would choose it.
	 */
	private static final ComponentLoader JDK_HTTP_SENDER = senders((type, component) -> type != HttpSenderProvider.class
			|| JDK_HTTP_SENDER_PROVIDER.equals(component.getClass().getName()));

	private Pipelines() {
	}

	/**
	 * Return a loader of the components on the benchmarks' class path that {@code keep}
	 * accepts.
	 */
	private static ComponentLoader senders(BiPredicate<Class<?>, Object> keep) {
		ComponentLoader all = ComponentLoader.forClassLoader(Pipelines.class.getClassLoader());
		return new ComponentLoader() {

			@Override
			public <T> Iterable<T> load(Class<T> type) {
				List<T> found = new ArrayList<>();
				for (T component : all.load(type)) {
					if (keep.test(type, component)) {
						found.add(component);
					}
				}
				return found;
			}

		};
	}

	static SdkTracerProvider tracerProvider(String pipeline, String protocol, String endpoint) {
		return tracerProvider(pipeline, protocol, endpoint, BatchSettings.defaults());
	}

	static SdkTracerProvider tracerProvider(String pipeline, String protocol, String endpoint, BatchSettings batch) {
		return build(pipeline, protocol, endpoint, batch, null).tracerProvider();
	}

	/**
	 * Build a pipeline without a disk buffer and keep what the outage benchmarks read
	 * besides the receiver.
	 * @param pipeline {@link #PLAIN}, {@link #PLAIN_JDK_SENDER} or {@link #STARTER}
	 * @param protocol {@link #GRPC} or {@link #HTTP}
	 * @param endpoint the receiver's endpoint for that protocol
	 * @param batch the batch processor's settings, the same for every pipeline
	 * @param retryPolicy the starter's retry policy, or {@code null} for its default with
	 * a buffer (as the auto-configuration resolves it); the plain SDK keeps its own
	 * @return the pipeline
	 */
	static Pipeline build(String pipeline, String protocol, String endpoint, BatchSettings batch,
			RetryPolicy retryPolicy) {
		return build(pipeline, protocol, endpoint, batch, retryPolicy, null);
	}

	/**
	 * Build a pipeline, {@link #STARTER_DISK} included.
	 * @param pipeline {@link #PLAIN}, {@link #PLAIN_JDK_SENDER}, {@link #STARTER} or
	 * {@link #STARTER_DISK}
	 * @param protocol {@link #GRPC} or {@link #HTTP}
	 * @param endpoint the receiver's endpoint for that protocol
	 * @param batch the batch processor's settings, the same for every pipeline
	 * @param retryPolicy the starter's retry policy, or {@code null} for its default with
	 * a buffer (as the auto-configuration resolves it); the plain SDK keeps its own
	 * @param diskDirectory the disk buffer's directory for {@link #STARTER_DISK}, which
	 * the caller creates and deletes; {@code null} for the other pipelines
	 * @return the pipeline
	 */
	static Pipeline build(String pipeline, String protocol, String endpoint, BatchSettings batch,
			RetryPolicy retryPolicy, Path diskDirectory) {
		SILENCED.size();
		boolean disk = STARTER_DISK.equals(pipeline);
		if (disk != (diskDirectory != null)) {
			throw new IllegalArgumentException("The " + STARTER_DISK + " pipeline, and it alone, needs a directory; "
					+ pipeline + " got " + diskDirectory);
		}
		if (PLAIN.equals(pipeline) || PLAIN_JDK_SENDER.equals(pipeline)) {
			ComponentLoader senders = PLAIN.equals(pipeline) ? PLAIN_SENDERS : JDK_HTTP_SENDER;
			SpanProcessor processor = BatchSpanProcessor.builder(plainExporter(protocol, endpoint, senders))
				.setMaxExportBatchSize(batch.maxExportBatchSize())
				.setMaxQueueSize(batch.maxQueueSize())
				.setScheduleDelay(batch.scheduleDelay())
				.setExporterTimeout(batch.exportTimeout())
				.build();
			return new Pipeline(SdkTracerProvider.builder().addSpanProcessor(processor).build(), null);
		}
		if (STARTER.equals(pipeline) || disk) {
			ResilientSpanExporter exporter = starterExporter(protocol, endpoint, retryPolicy, diskDirectory);
			SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
				.addSpanProcessor(ExportPipeline.create(exporter, batch))
				.build();
			return new Pipeline(tracerProvider, exporter.statistics());
		}
		throw new IllegalArgumentException("Unknown pipeline " + pipeline);
	}

	/**
	 * Build a pipeline of log records to the receiver, each with its defaults: the plain
	 * SDK's {@link BatchLogRecordProcessor} around its OTLP log record exporter, or the
	 * starter's log record processor on the engine of a span exporter built as for
	 * {@link #STARTER}, as {@code otel.export.logs.enabled} wires it
	 * ({@link ExportPipeline#createForLogs}, with the spans' batch settings).
	 * @param pipeline {@link #PLAIN} or {@link #STARTER}
	 * @param protocol {@link #GRPC} or {@link #HTTP}
	 * @param receiver the receiver to export to
	 * @return the pipeline
	 */
	static LogPipeline buildForLogs(String pipeline, String protocol, OtlpReceiver receiver) {
		SILENCED.size();
		boolean grpc = GRPC.equals(protocol);
		if (PLAIN.equals(pipeline)) {
			String endpoint = grpc ? receiver.grpcEndpoint() : receiver.httpEndpoint(Signal.LOGS);
			LogRecordExporter exporter = grpc
					? OtlpGrpcLogRecordExporter.builder()
						.setEndpoint(endpoint)
						.setComponentLoader(PLAIN_SENDERS)
						.build()
					: OtlpHttpLogRecordExporter.builder()
						.setEndpoint(endpoint)
						.setComponentLoader(PLAIN_SENDERS)
						.build();
			return new LogPipeline(SdkLoggerProvider.builder()
				.addLogRecordProcessor(BatchLogRecordProcessor.builder(exporter).build())
				.build(), null);
		}
		if (STARTER.equals(pipeline)) {
			// users configure the traces endpoint; the transport sends log records to
			// /v1/logs beside it
			String endpoint = grpc ? receiver.grpcEndpoint() : receiver.httpEndpoint();
			ResilientSpanExporter exporter = starterExporter(protocol, endpoint, null, null);
			return new LogPipeline(SdkLoggerProvider.builder()
				.addLogRecordProcessor(ExportPipeline.createForLogs(exporter, BatchSettings.defaults()))
				.build(), exporter);
		}
		throw new IllegalArgumentException("Unknown pipeline for log records " + pipeline);
	}

	/**
	 * Build the starter's exporter as the auto-configuration builds it by default: a 64MB
	 * buffer, four senders.
	 */
	private static ResilientSpanExporter starterExporter(String protocol, String endpoint, RetryPolicy retryPolicy,
			Path diskDirectory) {
		ExporterSettings settings = ExporterSettings.of(DestinationRole.PRIMARY,
				GRPC.equals(protocol) ? OtlpProtocol.GRPC : OtlpProtocol.HTTP_PROTOBUF, endpoint);
		ResilientSpanExporterBuilder builder = ResilientSpanExporter
			.builder(OtlpTransports.create(settings), settings.description())
			.attemptTimeout(Duration.ofSeconds(10))
			.buffer(64L * 1024 * 1024, 4);
		if (retryPolicy != null) {
			builder.retryPolicy(retryPolicy);
		}
		if (diskDirectory != null) {
			builder.diskBuffer(diskDirectory, DISK_BYTES);
		}
		return builder.build();
	}

	/**
	 * Wait until the receiver holds {@code expected} spans, flushing the pipeline while
	 * it waits. The batch processor's {@code forceFlush()} alone is no barrier: on this
	 * machine, bursts of 1,024 spans each after a successful {@code forceFlush()} still
	 * met a full queue of 2,048 within seconds with the SDK's processor. The receiver's
	 * count is exact.
	 * @param tracerProvider the pipeline
	 * @param receiver the receiver it exports to
	 * @param expected the spans ended so far
	 */
	static void awaitReceived(SdkTracerProvider tracerProvider, OtlpReceiver receiver, long expected) {
		awaitReceived(tracerProvider::forceFlush, receiver::spanCount, expected, "spans");
	}

	/**
	 * Wait until the receiver holds {@code expected} log records, flushing the pipeline
	 * while it waits, as {@link #awaitReceived(SdkTracerProvider, OtlpReceiver, long)}
	 * does for spans.
	 * @param loggerProvider the pipeline
	 * @param receiver the receiver it exports to
	 * @param expected the log records emitted so far
	 */
	static void awaitReceived(SdkLoggerProvider loggerProvider, OtlpReceiver receiver, long expected) {
		awaitReceived(loggerProvider::forceFlush, receiver::logRecordCount, expected, "log records");
	}

	private static void awaitReceived(Supplier<CompletableResultCode> flush, LongSupplier received, long expected,
			String items) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (received.getAsLong() < expected) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("The receiver got " + received.getAsLong() + " " + items + " of "
						+ expected + " within 60 s: the pipeline dropped " + items
						+ ", so this did not measure a healthy one");
			}
			flush.get().join(10, TimeUnit.SECONDS);
			LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
		}
	}

	private static SpanExporter plainExporter(String protocol, String endpoint, ComponentLoader senders) {
		if (GRPC.equals(protocol)) {
			return OtlpGrpcSpanExporter.builder().setEndpoint(endpoint).setComponentLoader(senders).build();
		}
		return OtlpHttpSpanExporter.builder().setEndpoint(endpoint).setComponentLoader(senders).build();
	}

	/**
	 * A pipeline of log records as a benchmark drives it.
	 *
	 * @param loggerProvider the logger provider the log records are emitted with
	 * @param engine the starter's exporter whose engine exports them, or {@code null} for
	 * the plain SDK
	 */
	record LogPipeline(SdkLoggerProvider loggerProvider, ResilientSpanExporter engine) {

		/**
		 * Shut the logger provider down and, for the starter, the span side of its
		 * engine: the engine stops once both of its exporters are shut down, as when an
		 * application closes its tracer and logger providers.
		 * @param timeout the longest wait for each
		 */
		void shutdown(Duration timeout) {
			this.loggerProvider.shutdown().join(timeout.toMillis(), TimeUnit.MILLISECONDS);
			if (this.engine != null) {
				this.engine.shutdown().join(timeout.toMillis(), TimeUnit.MILLISECONDS);
			}
		}

	}

	/**
	 * A pipeline as a benchmark drives it.
	 *
	 * @param tracerProvider the tracer provider the spans are ended with
	 * @param statistics what the starter's exporter counts, or {@code null} for the plain
	 * SDK, which counts nothing
	 */
	record Pipeline(SdkTracerProvider tracerProvider, ExportStatistics statistics) {

		/**
		 * Return the spans the starter holds and has not delivered or dropped yet: in the
		 * batch processor's queue, in the buffer or with a sender.
		 * @return the spans in flight
		 */
		long spansInFlight() {
			return this.statistics.snapshot().spansInFlight();
		}

		/**
		 * Say what the starter dropped and why, for the benchmark's log (its counters
		 * carry numbers only): the drops by reason, the failed attempts by category and
		 * the recent errors' evidence.
		 * @return one line
		 */
		String drops() {
			ExportSnapshot snapshot = this.statistics.snapshot();
			return "The starter dropped " + snapshot.droppedByReason() + "; failed attempts "
					+ snapshot.errorsByCategory() + ", recently: "
					+ snapshot.recentErrors()
						.stream()
						.map((error) -> error.category() + " " + error.message())
						.distinct()
						.collect(Collectors.joining("; "));
		}

		/**
		 * Wait until every span ended so far is delivered or dropped: the receiver holds
		 * it and the pipeline knows it, so that no request is still waiting for its
		 * answer (a fault switched on then would cut it off after the receiver counted
		 * it, and the pipeline would send it again). The starter is waited for until it
		 * holds no span, as its {@code forceFlush()} returns once the batches are in its
		 * buffer; the plain SDK's {@code forceFlush()} returns once the batch processor's
		 * export of what it held has ended, retries included.
		 * @param timeout the longest wait
		 */
		void awaitSettled(Duration timeout) {
			long deadline = System.nanoTime() + timeout.toNanos();
			this.tracerProvider.forceFlush().join(timeout.toMillis(), TimeUnit.MILLISECONDS);
			if (this.statistics == null) {
				return;
			}
			while (spansInFlight() > 0) {
				if (System.nanoTime() - deadline > 0) {
					throw new IllegalStateException("The starter still holds " + spansInFlight() + " spans after "
							+ timeout.toSeconds() + " s");
				}
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
			}
		}

		/**
		 * Wait until every span ended so far is delivered or dropped, then shut the
		 * pipeline down. Not the shutdown alone: the starter's would drop what its drain
		 * budget leaves.
		 * @param timeout the longest wait
		 */
		void finish(Duration timeout) {
			long deadline = System.nanoTime() + timeout.toNanos();
			awaitSettled(timeout);
			this.tracerProvider.shutdown().join(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}

	}

}
