package io.github.otelexport.export;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.stats.CircuitState;
import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportErrorCategory;
import io.github.otelexport.stats.ExportSnapshot;
import io.github.otelexport.stats.ExporterDescription;
import io.github.otelexport.testkit.OtlpReceiver;
import io.github.otelexport.testkit.OtlpReceiverExtension;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests failover between two real receivers, and the whole pipeline from
 * {@code span.end()} to a real receiver.
 *
 * @author otel-export authors
 */
class RealSocketFailoverTests {

	private static final Duration PROBE_INTERVAL = Duration.ofSeconds(30);

	@RegisterExtension
	static final OtlpReceiverExtension primaryExtension = new OtlpReceiverExtension();

	@RegisterExtension
	static final OtlpReceiverExtension fallbackExtension = new OtlpReceiverExtension();

	private final TestTime time = new TestTime();

	@Test
	void failsOverToTheFallbackAndBackToThePrimary() {
		OtlpReceiver primary = primaryExtension.get();
		OtlpReceiver fallback = fallbackExtension.get();
		primary.refuseConnections();
		ResilientSpanExporter exporter = builder(primary).failureThreshold(2)
			.fallback(
					OtlpTransports.create(
							settings(DestinationRole.FALLBACK, OtlpProtocol.HTTP_PROTOBUF, fallback.httpEndpoint())),
					ExporterDescription.fallback(fallback.httpEndpoint(), OtlpProtocol.HTTP_PROTOBUF))
			.build();
		try {
			// Two batches fail on the primary (2 attempts each) and reach the fallback
			assertThat(exporter.export(TestSpans.batch(3)).isSuccess()).isTrue();
			assertThat(exporter.export(TestSpans.batch(3)).isSuccess()).isTrue();
			assertThat(fallback.spanCount()).isEqualTo(6);
			assertThat(exporter.statistics().snapshot().circuitState()).isEqualTo(CircuitState.OPEN);
			// Open: straight to the fallback, the primary is not tried
			exporter.export(TestSpans.batch(3));
			assertThat(fallback.spanCount()).isEqualTo(9);
			assertThat(exporter.statistics().snapshot().exporters().get(0).failedAttempts()).isEqualTo(4);
			// The primary is back, but is only probed once the probe interval has passed
			primary.accept();
			exporter.export(TestSpans.batch(3));
			assertThat(fallback.spanCount()).isEqualTo(12);
			assertThat(primary.spanCount()).isZero();
			this.time.advance(PROBE_INTERVAL);
			exporter.export(TestSpans.batch(3));
			assertThat(primary.spanCount()).isEqualTo(3);
			exporter.export(TestSpans.batch(3));
			assertThat(primary.spanCount()).isEqualTo(6);
			assertThat(fallback.spanCount()).isEqualTo(12);
			ExportSnapshot snapshot = exporter.statistics().snapshot();
			assertThat(snapshot.circuitState()).isEqualTo(CircuitState.CLOSED);
			assertThat(snapshot.errorsByCategory())
				.containsExactly(Map.entry(ExportErrorCategory.CONNECTION_REFUSED, 4L));
			assertThat(snapshot.exporters()).extracting(ExportSnapshot.ExporterSnapshot::exportedSpans)
				.containsExactly(6L, 12L);
			ResilientSpanExporterTests.assertIdentity(snapshot, 18);
		}
		finally {
			exporter.shutdown();
		}
	}

	@Test
	void pipelineDeliversEndedSpansAndCountsDrops() {
		OtlpReceiver primary = primaryExtension.get();
		ResilientSpanExporter exporter = builder(primary).build();
		SpanProcessor processor = ExportPipeline.create(exporter,
				new BatchSettings(16, 256, Duration.ofMillis(200), Duration.ofSeconds(10)));
		SdkTracerProvider tracerProvider = SdkTracerProvider.builder().addSpanProcessor(processor).build();
		try {
			Tracer tracer = tracerProvider.get("test");
			endSpans(tracer, 50);
			assertThat(tracerProvider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
			assertThat(primary.spanCount()).isEqualTo(50);
			primary.refuseConnections();
			endSpans(tracer, 10);
			tracerProvider.forceFlush();
			// the flush's wait is bounded, so under load it may give up before the
			// batch's
			// attempts end: wait for the drops themselves
			ExportSnapshot snapshot = await().atMost(Duration.ofSeconds(30))
				.until(() -> exporter.statistics().snapshot(), (current) -> !current.droppedByReason().isEmpty());
			assertThat(snapshot.exporters().get(0).exportedSpans()).isEqualTo(50);
			assertThat(snapshot.droppedByReason()).containsExactly(Map.entry(DropReason.RETRIES_EXHAUSTED, 10L));
			ResilientSpanExporterTests.assertIdentity(snapshot, 60);
		}
		finally {
			assertThat(tracerProvider.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		}
		assertThat(exporter.isShutdown()).isTrue();
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(ExportPipelineTests.pipelineThreads()).isEmpty());
	}

	private ResilientSpanExporterBuilder builder(OtlpReceiver primary) {
		return ResilientSpanExporter
			.builder(
					OtlpTransports.create(settings(DestinationRole.PRIMARY, OtlpProtocol.GRPC, primary.grpcEndpoint())),
					ExporterDescription.primary(primary.grpcEndpoint(), OtlpProtocol.GRPC))
			.retryPolicy(RetryPolicy.builder().maxAttempts(2).initialBackoff(Duration.ofMillis(10)).jitter(0).build())
			.probeInterval(PROBE_INTERVAL)
			.attemptTimeout(Duration.ofSeconds(5))
			.clock(this.time)
			.ticker(this.time)
			.sleeper(new TestSleeper(this.time));
	}

	private static ExporterSettings settings(DestinationRole role, OtlpProtocol protocol, String endpoint) {
		return ExporterSettings.of(role, protocol, endpoint).withTimeout(Duration.ofSeconds(3));
	}

	private static void endSpans(Tracer tracer, int count) {
		for (int i = 0; i < count; i++) {
			tracer.spanBuilder("span-" + i).startSpan().end();
		}
	}

}
