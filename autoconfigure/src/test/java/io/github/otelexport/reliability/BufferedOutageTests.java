package io.github.otelexport.reliability;

import java.time.Duration;

import io.github.otelexport.export.BatchSettings;
import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.stats.ExportSnapshot;
import io.github.otelexport.testkit.OtlpReceiver;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An outage shorter than the retry budget, against real sockets: with a buffer, the
 * batches wait in it and with the senders, and every span gets out once the backend is
 * back.
 *
 * @author otel-export authors
 */
class BufferedOutageTests {

	private static final int SPANS = 6_000;

	private static final int CHUNK = 500;

	@ParameterizedTest
	@EnumSource(OtlpProtocol.class)
	void noSpanIsLostThroughAnOutageShorterThanTheBudget(OtlpProtocol protocol) {
		try (OtlpReceiver receiver = OtlpReceiver.start();
				TestPipeline pipeline = TestPipeline.to(receiver, protocol)
					// the SDK's default queue, smaller than the outage's spans: without
					// the buffer it would overflow while a batch is retried
					.batch(new BatchSettings(512, 2048, Duration.ofMillis(20), Duration.ofSeconds(30)))
					.retryPolicy(TestPipeline.PATIENT_RETRIES)
					.buffer(64L * 1024 * 1024, 4)
					.build()) {
			receiver.refuseConnections();
			for (int ended = 0; ended < SPANS; ended += CHUNK) {
				pipeline.endSpans("outage", CHUNK);
				// the application's pace: the batch processor hands each chunk over
				await().atMost(Duration.ofSeconds(10)).until(() -> pipeline.snapshot().queue().size() == 0);
			}
			// every sender has been refused again and again: the backend is down
			await().atMost(Duration.ofSeconds(30))
				.until(() -> pipeline.snapshot().exporters().get(0).failedAttempts() >= 40);
			ExportSnapshot during = pipeline.snapshot();
			assertThat(during.droppedByReason()).isEmpty();
			assertThat(during.spansInFlight()).isEqualTo(SPANS);
			receiver.accept();
			await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.snapshot().spansInFlight() == 0);
			ExportSnapshot after = pipeline.snapshot();
			assertThat(after.droppedByReason()).isEmpty();
			assertThat(after.exporters().get(0).exportedSpans()).isEqualTo(SPANS);
			assertThat(receiver.spanCount()).isEqualTo(SPANS);
			Accounting.assertBalanced(after, SPANS);
		}
	}

}
