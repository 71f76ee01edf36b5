package io.github.otelexport.reliability;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import io.github.otelexport.autoconfigure.OtelExportAutoConfiguration;
import io.github.otelexport.autoconfigure.OtelExportSdkAutoConfiguration;
import io.github.otelexport.export.BatchSettings;
import io.github.otelexport.export.ExporterSettings;
import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportSnapshot;
import io.github.otelexport.stats.ExportStatistics;
import io.github.otelexport.testkit.OtlpReceiver;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests that closing the application (a whole Spring application with its startup check,
 * the Spring context, or the tracer provider for the core alone) exports the spans still
 * queued within the export timeout and leaves none of the pipeline's threads running
 * ({@link PipelineThreads}).
 *
 * @author otel-export authors
 */
class ShutdownTests {

	private static final int SPANS = 300;

	/**
	 * Short, because the SDK's worker notices a shutdown only when its wait for the next
	 * batch ends, so it may outlive the close by up to this delay; long enough that the
	 * spans ended just before the close are usually still queued when it starts.
	 */
	private static final Duration SCHEDULE_DELAY = Duration.ofSeconds(2);

	private static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration THREADS_GONE = SCHEDULE_DELAY.plusSeconds(13);

	private static final String[] PROPERTIES = { "otel.export.batch.schedule-delay=" + SCHEDULE_DELAY.toSeconds() + "s",
			"otel.export.batch.export-timeout=" + EXPORT_TIMEOUT.toSeconds() + "s",
			"otel.export.retry.max-elapsed-time=5s" };

	// The runner publishes no ApplicationReadyEvent, so the startup check never runs
	// here;
	// the test with a whole application covers it
	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(OtelExportAutoConfiguration.class, OtelExportSdkAutoConfiguration.class))
		.withPropertyValues(PROPERTIES)
		.withPropertyValues("otel.export.diagnostics.startup-check=false");

	@Test
	void closingTheApplicationAfterItsStartupCheckExportsQueuedSpansAndStopsEveryThread() {
		Set<Thread> before = PipelineThreads.alive();
		try (OtlpReceiver receiver = OtlpReceiver.start()) {
			try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ShutdownApplication.class)
				.web(WebApplicationType.NONE)
				.properties(PROPERTIES)
				// Boot's own sampler keeps 10% of traces unless told otherwise
				.properties("otel.export.endpoint=" + receiver.grpcEndpoint(),
						"management.tracing.sampling.probability=1.0")
				.run()) {
				// the startup check (on by default) probes the endpoint with an empty
				// request, on a thread of its own
				await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requestCount() > 0);
				assertThat(PipelineThreads.startedSince(before))
					.anyMatch((thread) -> thread.startsWith("otel-export-startup-check"));
				Tracer tracer = context.getBean(OpenTelemetry.class).getTracer("shutdown");
				for (int i = 0; i < SPANS; i++) {
					tracer.spanBuilder("queued").startSpan().end();
				}
			}
			assertThat(receiver.spanCount()).isEqualTo(SPANS);
		}
		await().atMost(THREADS_GONE).untilAsserted(() -> assertThat(PipelineThreads.leftBehind(before)).isEmpty());
	}

	@Test
	void closingTheContextExportsQueuedSpansAndStopsEveryThread() {
		Set<Thread> before = PipelineThreads.alive();
		AtomicReference<ExportStatistics> statistics = new AtomicReference<>();
		try (OtlpReceiver receiver = OtlpReceiver.start()) {
			this.runner.withPropertyValues("otel.export.endpoint=" + receiver.grpcEndpoint()).run((context) -> {
				assertThat(context).hasNotFailed();
				statistics.set(context.getBean(ExportStatistics.class));
				Tracer tracer = context.getBean(OpenTelemetry.class).getTracer("shutdown");
				for (int i = 0; i < SPANS; i++) {
					tracer.spanBuilder("queued").startSpan().end();
				}
				assertThat(PipelineThreads.startedSince(before)).isNotEmpty();
			});
			// Closed: nothing left to wait for
			assertThat(receiver.spanCount()).isEqualTo(SPANS);
			ExportSnapshot snapshot = statistics.get().snapshot();
			assertThat(snapshot.exporters().get(0).exportedSpans()).isEqualTo(SPANS);
			Accounting.assertBalanced(snapshot, SPANS);
		}
		await().atMost(THREADS_GONE).untilAsserted(() -> assertThat(PipelineThreads.leftBehind(before)).isEmpty());
	}

	@Test
	void closingTheTracerProviderExportsQueuedSpansAndStopsEveryThread() {
		Set<Thread> before = PipelineThreads.alive();
		exportQueuedSpansAndCloseTheTracerProvider(before);
		await().atMost(THREADS_GONE).untilAsserted(() -> assertThat(PipelineThreads.leftBehind(before)).isEmpty());
	}

	/**
	 * A method of its own so that no frame of the test still refers to the pipeline (and
	 * its JDK HttpClient) once it returns.
	 */
	private void exportQueuedSpansAndCloseTheTracerProvider(Set<Thread> before) {
		try (OtlpReceiver receiver = OtlpReceiver.start()) {
			TestPipeline pipeline = pipeline(receiver, OtlpProtocol.HTTP_PROTOBUF).build();
			pipeline.endSpans("queued", SPANS);
			// http/protobuf goes through the JDK HttpClient, whose threads must end too
			assertThat(PipelineThreads.startedSince(before)).anyMatch((thread) -> thread.startsWith("HttpClient-"));
			assertThat(pipeline.shutdown(EXPORT_TIMEOUT)).isTrue();
			assertThat(receiver.spanCount()).isEqualTo(SPANS);
			Accounting.assertBalanced(pipeline.snapshot(), SPANS);
			// After the shutdown the SDK hands out no-op spans: they never reach the
			// pipeline, and ending them does not throw
			pipeline.endSpans("late", 5);
			Accounting.assertBalanced(pipeline.snapshot(), SPANS);
		}
	}

	@Test
	void closingWhileTheBackendHangsEndsWithinTheExportTimeout() {
		Set<Thread> before = PipelineThreads.alive();
		try (OtlpReceiver receiver = OtlpReceiver.start()) {
			receiver.delayResponses(Duration.ofMinutes(1));
			TestPipeline pipeline = pipeline(receiver, OtlpProtocol.GRPC).primaryTimeout(Duration.ofMillis(300))
				.build();
			pipeline.endSpans("queued", SPANS);
			long start = System.nanoTime();
			assertThat(pipeline.shutdown(EXPORT_TIMEOUT)).isTrue();
			System.out.printf("Closing while the backend hangs took %d ms%n", (System.nanoTime() - start) / 1_000_000);
			ExportSnapshot snapshot = pipeline.snapshot();
			assertThat(snapshot.spansExported()).isZero();
			assertThat(snapshot.droppedByReason()).containsOnlyKeys(DropReason.RETRIES_EXHAUSTED);
			Accounting.assertBalanced(snapshot, SPANS);
		}
		await().atMost(THREADS_GONE).untilAsserted(() -> assertThat(PipelineThreads.leftBehind(before)).isEmpty());
	}

	/**
	 * Issue #11's finding: closing the application while the backend accepts and never
	 * answers, with the default buffer, counts every span it could not deliver (the log
	 * line that says so: {@code BufferedExportTests}) instead of losing them with the
	 * batch processor's worker stuck in an attempt.
	 */
	@Test
	void closingWhileTheBackendHangsCountsWhatIsLeftWithTheDefaultBuffer() {
		AtomicReference<ExportStatistics> statistics = new AtomicReference<>();
		// as many as the batch processor's default queue holds, ended at once
		int spans = 2_048;
		try (OtlpReceiver receiver = OtlpReceiver.start()) {
			receiver.delayResponses(Duration.ofMinutes(1));
			new ApplicationContextRunner()
				.withConfiguration(
						AutoConfigurations.of(OtelExportAutoConfiguration.class, OtelExportSdkAutoConfiguration.class))
				.withPropertyValues("otel.export.endpoint=" + receiver.grpcEndpoint(),
						"otel.export.diagnostics.startup-check=false")
				.run((context) -> {
					statistics.set(context.getBean(ExportStatistics.class));
					Tracer tracer = context.getBean(OpenTelemetry.class).getTracer("shutdown");
					for (int i = 0; i < spans; i++) {
						tracer.spanBuilder("hanging").startSpan().end();
					}
				});
			ExportSnapshot snapshot = statistics.get().snapshot();
			assertThat(snapshot.spansExported()).isZero();
			assertThat(snapshot.droppedByReason()).containsOnlyKeys(DropReason.SHUTDOWN);
			Accounting.assertBalanced(snapshot, spans);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ShutdownApplication {

	}

	private static TestPipeline.Builder pipeline(OtlpReceiver receiver, OtlpProtocol protocol) {
		return TestPipeline.to(receiver, protocol).batch(new BatchSettings(512, 2048, SCHEDULE_DELAY, EXPORT_TIMEOUT));
	}

}
