package io.github.otelexport.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.otelexport.export.BatchSettings;
import io.github.otelexport.export.ExportPipeline;
import io.github.otelexport.export.ExporterSettings;
import io.github.otelexport.export.OtlpTransports;
import io.github.otelexport.export.ResilientSpanExporter;
import io.github.otelexport.export.ResilientSpanExporterBuilder;
import io.github.otelexport.export.RetryPolicy;
import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.export.transport.Signal;
import io.github.otelexport.export.transport.TlsSettings;
import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.stats.ExportSnapshot;
import io.github.otelexport.stats.ExporterDescription;
import io.github.otelexport.testkit.OtlpReceiver;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProvider;

/**
 * The whole export path as an application uses it, from {@code span.end()} through the
 * batch processor and the resilient exporter to real OTLP exporters, with short timeouts
 * and tiny backoffs so that many spans and many failures pass quickly. With
 * {@link Builder#withLogs()}, log records go through the same engine beside the spans, as
 * {@code otel.export.logs.enabled} wires them.
 *
 * @author otel-export authors
 */
final class TestPipeline implements AutoCloseable {

	/**
	 * How long one request may take in the SDK exporters unless a test shortens the
	 * primary's: a healthy receiver shares two loaded cores with everything else, and a
	 * slow moment must not become a lost batch.
	 */
	static final Duration TIMEOUT = Duration.ofSeconds(10);

	/**
	 * Retries for an outage the test ends itself: quick and without end within any test's
	 * time, so that a batch given to a sender waits for the backend and the buffer behind
	 * it fills.
	 */
	static final RetryPolicy PATIENT_RETRIES = RetryPolicy.builder()
		.maxAttempts(10_000)
		.initialBackoff(Duration.ofMillis(20))
		.maxBackoff(Duration.ofMillis(100))
		.jitter(0)
		.maxElapsedTime(Duration.ofMinutes(5))
		.build();

	private final ResilientSpanExporter exporter;

	private final SdkTracerProvider tracerProvider;

	private final Tracer tracer;

	/**
	 * {@code null} unless the pipeline exports log records too.
	 */
	private final SdkLoggerProvider loggerProvider;

	private final Logger logger;

	private long logRecordsEmitted;

	private TestPipeline(ResilientSpanExporter exporter, BatchSettings batch, boolean logs) {
		this.exporter = exporter;
		this.tracerProvider = SdkTracerProvider.builder()
			.addSpanProcessor(ExportPipeline.create(exporter, batch))
			.build();
		this.tracer = this.tracerProvider.get("reliability");
		this.loggerProvider = logs ? SdkLoggerProvider.builder()
			.addLogRecordProcessor(ExportPipeline.createForLogs(exporter, batch))
			.build() : null;
		// not under io.github.otelexport, whose records the pipeline never exports
		this.logger = logs ? this.loggerProvider.get("com.example.reliability") : null;
	}

	static Builder to(OtlpReceiver primary, OtlpProtocol protocol) {
		return new Builder(primary, protocol);
	}

	static String endpoint(OtlpReceiver receiver, OtlpProtocol protocol) {
		return OtlpProtocol.GRPC.equals(protocol) ? receiver.grpcEndpoint() : receiver.httpEndpoint();
	}

	/**
	 * End one span on the calling thread, as the application does.
	 * @param name the span name
	 */
	void endSpan(String name) {
		this.tracer.spanBuilder(name).startSpan().end();
	}

	void endSpans(String name, int count) {
		for (int i = 0; i < count; i++) {
			endSpan(name);
		}
	}

	/**
	 * Emit log records on the calling thread, as an application's logging appender does,
	 * each with a body of its own (about 100 characters) that tells it apart at the
	 * receiver.
	 * @param name what the bodies begin with
	 * @param count how many
	 */
	void emitLogRecords(String name, int count) {
		for (int i = 0; i < count; i++) {
			this.logger.logRecordBuilder()
				.setSeverity(Severity.INFO)
				.setSeverityText("INFO")
				.setBody(name + ": order " + this.logRecordsEmitted++
						+ " placed by customer 7731, 3 items, total 129.90 EUR, payment authorised in 42 ms")
				.emit();
		}
	}

	ExportSnapshot snapshot() {
		return this.exporter.statistics().snapshot();
	}

	ExportSnapshot logSnapshot() {
		return this.exporter.statistics(Signal.LOGS).snapshot();
	}

	ResilientSpanExporter exporter() {
		return this.exporter;
	}

	/**
	 * Hand what the batch processors hold to the exporter: the log records', if any, and
	 * the spans'.
	 */
	boolean flush(Duration timeout) {
		boolean logs = (this.loggerProvider == null)
				|| this.loggerProvider.forceFlush().join(timeout.toMillis(), TimeUnit.MILLISECONDS).isSuccess();
		return this.tracerProvider.forceFlush().join(timeout.toMillis(), TimeUnit.MILLISECONDS).isSuccess() && logs;
	}

	/**
	 * Shut the logger provider down, if any, then the tracer provider: the engine stops
	 * once both of its exporters are shut down.
	 */
	boolean shutdown(Duration timeout) {
		boolean logs = (this.loggerProvider == null)
				|| this.loggerProvider.shutdown().join(timeout.toMillis(), TimeUnit.MILLISECONDS).isSuccess();
		return this.tracerProvider.shutdown().join(timeout.toMillis(), TimeUnit.MILLISECONDS).isSuccess() && logs;
	}

	@Override
	public void close() {
		shutdown(Duration.ofSeconds(30));
	}

	/**
	 * Builds a {@link TestPipeline}.
	 */
	static final class Builder {

		private final OtlpReceiver primary;

		private final OtlpProtocol protocol;

		private OtlpReceiver fallback;

		private int maxAttempts = 2;

		private Duration primaryTimeout = TIMEOUT;

		private Duration probeInterval = Duration.ofMillis(200);

		private BatchSettings batch = new BatchSettings(2048, 16384, Duration.ofMillis(20), Duration.ofSeconds(30));

		private RetryPolicy retryPolicy;

		private long bufferBytes;

		private int concurrency;

		private Path diskDirectory;

		private long diskBytes;

		private Duration drainTimeout;

		private boolean logs;

		private Builder(OtlpReceiver primary, OtlpProtocol protocol) {
			this.primary = primary;
			this.protocol = protocol;
		}

		Builder fallback(OtlpReceiver fallback) {
			this.fallback = fallback;
			return this;
		}

		/**
		 * Shorten the primary's timeout, so that a receiver delaying longer makes the
		 * attempt fail with {@code DEADLINE_EXCEEDED} quickly.
		 * @param primaryTimeout the primary exporter's timeout
		 * @return this builder
		 */
		Builder primaryTimeout(Duration primaryTimeout) {
			this.primaryTimeout = primaryTimeout;
			return this;
		}

		Builder maxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
			return this;
		}

		Builder probeInterval(Duration probeInterval) {
			this.probeInterval = probeInterval;
			return this;
		}

		Builder batch(BatchSettings batch) {
			this.batch = batch;
			return this;
		}

		Builder retryPolicy(RetryPolicy retryPolicy) {
			this.retryPolicy = retryPolicy;
			return this;
		}

		Builder buffer(long bytes, int concurrency) {
			this.bufferBytes = bytes;
			this.concurrency = concurrency;
			return this;
		}

		Builder disk(Path directory, long bytes) {
			this.diskDirectory = directory;
			this.diskBytes = bytes;
			return this;
		}

		Builder drainTimeout(Duration drainTimeout) {
			this.drainTimeout = drainTimeout;
			return this;
		}

		/**
		 * Export log records through the same engine too, from a logger provider with the
		 * pipeline's log record processor and the same batch settings.
		 * @return this builder
		 */
		Builder withLogs() {
			this.logs = true;
			return this;
		}

		TestPipeline build() {
			ExporterSettings primarySettings = trusting(this.primary,
					ExporterSettings.of(DestinationRole.PRIMARY, this.protocol, endpoint(this.primary, this.protocol))
						.withTimeout(this.primaryTimeout));
			ResilientSpanExporterBuilder builder = ResilientSpanExporter
				.builder(OtlpTransports.create(primarySettings), primarySettings.description())
				.retryPolicy((this.retryPolicy != null) ? this.retryPolicy
						: RetryPolicy.builder()
							.maxAttempts(this.maxAttempts)
							.initialBackoff(Duration.ofMillis(1))
							.maxBackoff(Duration.ofMillis(5))
							.jitter(0)
							.maxElapsedTime(Duration.ofSeconds(25))
							.build())
				.failureThreshold(2)
				.probeInterval(this.probeInterval)
				// The SDK exporters time out first; this is the safety net, as in the
				// auto-configuration (the longest of both exporters' timeouts)
				.attemptTimeout(TIMEOUT);
			if (this.fallback != null) {
				ExporterSettings fallbackSettings = trusting(this.fallback,
						ExporterSettings
							.of(DestinationRole.FALLBACK, this.protocol, endpoint(this.fallback, this.protocol))
							.withTimeout(TIMEOUT));
				builder.fallback(OtlpTransports.create(fallbackSettings), fallbackSettings.description());
			}
			if (this.bufferBytes > 0) {
				builder.buffer(this.bufferBytes, this.concurrency);
			}
			if (this.diskDirectory != null) {
				builder.diskBuffer(this.diskDirectory, this.diskBytes);
			}
			if (this.drainTimeout != null) {
				builder.drainTimeout(this.drainTimeout);
			}
			return new TestPipeline(builder.build(), this.batch, this.logs);
		}

		/**
		 * Trust a TLS receiver's CA, as {@code otel.export.tls.ca-file} does.
		 */
		private static ExporterSettings trusting(OtlpReceiver receiver, ExporterSettings settings) {
			return receiver.isTls() ? settings.withTls(TlsSettings.pem(receiver.caCertificatePem(), null, null))
					: settings;
		}

	}

}
