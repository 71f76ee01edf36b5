package io.github.otelexport.export;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.export.transport.TestOtlpResponses;
import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportSnapshot;
import io.github.otelexport.stats.ExporterDescription;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ExportPipeline}.
 *
 * @author otel-export authors
 */
class ExportPipelineTests {

	private static final String WORKER_THREAD = BatchingSpanProcessor.THREAD_NAME;

	private static final Duration SCHEDULE_DELAY = Duration.ofMillis(200);

	private final ScriptedTransport primary = new ScriptedTransport();

	@Test
	void countsEverySpanFromEndToExport() {
		ResilientSpanExporter exporter = exporter();
		SpanProcessor processor = ExportPipeline.create(exporter,
				new BatchSettings(10, 100, SCHEDULE_DELAY, Duration.ofSeconds(5)));
		try (SdkTracerProvider tracerProvider = SdkTracerProvider.builder().addSpanProcessor(processor).build()) {
			endSpans(tracerProvider.get("test"), 35);
			assertThat(tracerProvider.forceFlush().join(5, TimeUnit.SECONDS).isSuccess()).isTrue();
			ExportSnapshot snapshot = exporter.statistics().snapshot();
			assertThat(snapshot.exporters().get(0).exportedSpans()).isEqualTo(35);
			assertThat(snapshot.queue().capacity()).isEqualTo(100);
			assertThat(snapshot.queue().size()).isZero();
			ResilientSpanExporterTests.assertIdentity(snapshot, 35);
		}
	}

	@Test
	void countsSpansDroppedByAFullQueueAndShowsTheQueueSize() throws Exception {
		CountDownLatch exporting = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		this.primary.then(() -> {
			exporting.countDown();
			awaitQuietly(release);
			return CompletableFuture.completedFuture(TestOtlpResponses.http(200));
		});
		ResilientSpanExporter exporter = exporter();
		// Not a power of two: the queue holds exactly what it is given
		SpanProcessor processor = ExportPipeline.create(exporter,
				new BatchSettings(5, 15, SCHEDULE_DELAY, Duration.ofSeconds(5)));
		try (SdkTracerProvider tracerProvider = SdkTracerProvider.builder().addSpanProcessor(processor).build()) {
			try {
				Tracer tracer = tracerProvider.get("test");
				endSpans(tracer, 5);
				assertThat(exporting.await(5, TimeUnit.SECONDS)).isTrue();
				// The worker is stuck in the first batch: 15 spans fit in the queue, 21
				// do not
				endSpans(tracer, 36);
				ExportSnapshot blocked = exporter.statistics().snapshot();
				assertThat(blocked.droppedByReason()).containsEntry(DropReason.QUEUE_FULL, 21L);
				assertThat(blocked.queue().size()).isEqualTo(15);
				assertThat(blocked.queue().capacity()).isEqualTo(15);
				assertThat(blocked.spansInFlight()).isEqualTo(20);
			}
			finally {
				release.countDown();
			}
			assertThat(tracerProvider.forceFlush().join(5, TimeUnit.SECONDS).isSuccess()).isTrue();
			ExportSnapshot snapshot = exporter.statistics().snapshot();
			assertThat(snapshot.exporters().get(0).exportedSpans()).isEqualTo(20);
			ResilientSpanExporterTests.assertIdentity(snapshot, 41);
		}
	}

	@Test
	void shutdownExportsQueuedSpansAndLeavesNoThread() {
		ResilientSpanExporter exporter = exporter();
		SpanProcessor processor = ExportPipeline.create(exporter,
				new BatchSettings(10, 100, SCHEDULE_DELAY, Duration.ofSeconds(5)));
		SdkTracerProvider tracerProvider = SdkTracerProvider.builder().addSpanProcessor(processor).build();
		endSpans(tracerProvider.get("test"), 7);
		assertThat(tracerProvider.shutdown().join(5, TimeUnit.SECONDS).isSuccess()).isTrue();
		assertThat(processor.shutdown().join(1, TimeUnit.SECONDS).isSuccess()).isTrue();
		assertThat(this.primary.shutdowns()).isEqualTo(1);
		assertThat(exporter.isShutdown()).isTrue();
		ResilientSpanExporterTests.assertIdentity(exporter.statistics().snapshot(), 7);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(pipelineThreads()).isEmpty());
	}

	static java.util.List<String> pipelineThreads() {
		return Thread.getAllStackTraces()
			.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().getName().startsWith(WORKER_THREAD) && entry.getKey().isAlive())
			.map((entry) -> entry.getKey().getName() + " " + java.util.Arrays.toString(entry.getValue()))
			.toList();
	}

	private ResilientSpanExporter exporter() {
		return ResilientSpanExporter
			.builder(this.primary, ExporterDescription.primary("http://localhost:4317", OtlpProtocol.GRPC))
			.retryPolicy(RetryPolicy.disabled())
			.build();
	}

	private static void endSpans(Tracer tracer, int count) {
		for (int i = 0; i < count; i++) {
			tracer.spanBuilder("span-" + i).startSpan().end();
		}
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
