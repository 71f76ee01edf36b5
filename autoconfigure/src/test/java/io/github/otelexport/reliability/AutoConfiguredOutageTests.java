package io.github.otelexport.reliability;

import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import io.github.otelexport.autoconfigure.OtelExportAutoConfiguration;
import io.github.otelexport.autoconfigure.OtelExportSdkAutoConfiguration;
import io.github.otelexport.export.BatchSettings;
import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.stats.ExportErrorCategory;
import io.github.otelexport.stats.ExportSnapshot;
import io.github.otelexport.stats.ExportStatistics;
import io.github.otelexport.testkit.OtlpReceiver;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The outage of issue 11 as an application meets it, with the default settings: the
 * auto-configuration with nothing set but the endpoint and the protocol, a receiver on
 * loopback that refuses connections for 15 seconds while the application ends about 1,000
 * spans a second, and then accepts again. Where the SDK's batch processor alone loses
 * about a third of the spans, the receiver gets every one, each span id it was sent.
 * <p>
 * The batches the senders hold when the outage begins are tried all through it, backing
 * off up to 8 seconds and then 16: they get out only if {@code retry.max-attempts} and
 * {@code retry.max-elapsed-time} both let them outlast it. The drain after the outage
 * takes as long as the longest backoff a sender is in when the receiver accepts again.
 *
 * @author otel-export authors
 */
class AutoConfiguredOutageTests {

	private static final Duration OUTAGE = Duration.ofSeconds(15);

	/**
	 * The application's pace, about 1,000 spans a second in small steps, as requests
	 * would end them.
	 */
	private static final Duration TICK = Duration.ofMillis(10);

	private static final int SPANS_PER_TICK = 10;

	/**
	 * Thirty batches of the default size, ended in about 15.4 seconds: all but the last
	 * few hundred during the outage. A whole number of batches, so that the last one
	 * leaves at once rather than after {@code batch.schedule-delay}.
	 */
	private static final int SPANS = 30 * BatchSettings.DEFAULT_MAX_EXPORT_BATCH_SIZE;

	private static final HexFormat HEX = HexFormat.of();

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(OtelExportAutoConfiguration.class, OtelExportSdkAutoConfiguration.class));

	@ParameterizedTest
	@EnumSource(OtlpProtocol.class)
	void noSpanIsLostThroughAFifteenSecondOutage(OtlpProtocol protocol) {
		try (OtlpReceiver receiver = OtlpReceiver.start()) {
			receiver.refuseConnections();
			this.runner
				.withPropertyValues("otel.export.protocol=" + protocol.value(),
						"otel.export.endpoint=" + TestPipeline.endpoint(receiver, protocol))
				.run((context) -> {
					assertThat(context).hasNotFailed();
					ExportStatistics statistics = context.getBean(ExportStatistics.class);
					AtomicReference<ExportSnapshot> atRecovery = new AtomicReference<>();
					AtomicInteger receivedDuringOutage = new AtomicInteger(-1);
					AtomicLong recovered = new AtomicLong();
					long start = System.nanoTime();
					Set<String> ended;
					try (Application application = new Application(
							context.getBean(OpenTelemetry.class).getTracer("outage"))) {
						application.after(OUTAGE, () -> {
							atRecovery.set(statistics.snapshot());
							receivedDuringOutage.set(receiver.spanCount());
							receiver.accept();
							recovered.set(System.nanoTime());
						});
						await().atMost(OUTAGE.multipliedBy(2)).until(() -> application.ended() == SPANS);
						await().atMost(Duration.ofSeconds(60)).until(() -> statistics.snapshot().spansInFlight() == 0);
						ended = application.spanIds();
					}
					long drained = System.nanoTime();
					System.out.printf(
							"%s: %,d spans, %d s of outage; drained %,d ms after the receiver accepted again"
									+ " (%,d ms in all)%n",
							protocol, SPANS, OUTAGE.toSeconds(), (drained - recovered.get()) / 1_000_000,
							(drained - start) / 1_000_000);
					// the outage was real: nothing got through, every attempt was refused
					ExportSnapshot during = atRecovery.get();
					assertThat(receivedDuringOutage.get()).isZero();
					assertThat(during.spansExported()).isZero();
					assertThat(during.errorsByCategory()).containsOnlyKeys(ExportErrorCategory.CONNECTION_REFUSED);
					assertThat(during.buffer().spans()).as("spans waiting in the buffer").isPositive();
					ExportSnapshot after = statistics.snapshot();
					assertThat(after.droppedByReason()).as(() -> "dropped; last error " + after.lastError()).isEmpty();
					assertThat(after.spansExported()).isEqualTo(SPANS);
					assertThat(after.spansPossiblyDuplicated()).isZero();
					Accounting.assertBalanced(after, SPANS);
					assertThat(receiver.spanCount()).isEqualTo(SPANS);
					assertThat(receiver.spans()
						.stream()
						.map((span) -> HEX.formatHex(span.getSpanId().toByteArray()))
						.collect(Collectors.toSet())).isEqualTo(ended);
				});
		}
	}

	/**
	 * The application: ends {@link #SPANS} spans at its pace on a thread of its own and
	 * remembers their ids.
	 */
	private static final class Application implements AutoCloseable {

		private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor();

		private final Set<String> spanIds = ConcurrentHashMap.newKeySet();

		private final AtomicInteger ended = new AtomicInteger();

		Application(Tracer tracer) {
			this.thread.scheduleAtFixedRate(() -> endSpans(tracer), 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
		}

		private void endSpans(Tracer tracer) {
			for (int i = 0; i < SPANS_PER_TICK && this.ended.get() < SPANS; i++) {
				Span span = tracer.spanBuilder("outage-" + this.ended.get()).startSpan();
				this.spanIds.add(span.getSpanContext().getSpanId());
				span.end();
				this.ended.incrementAndGet();
			}
		}

		/**
		 * Run a task on the application's thread, between two of its steps.
		 */
		void after(Duration delay, Runnable task) {
			this.thread.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
		}

		int ended() {
			return this.ended.get();
		}

		Set<String> spanIds() {
			return Set.copyOf(this.spanIds);
		}

		@Override
		public void close() throws InterruptedException {
			this.thread.shutdownNow();
			assertThat(this.thread.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		}

	}

}
