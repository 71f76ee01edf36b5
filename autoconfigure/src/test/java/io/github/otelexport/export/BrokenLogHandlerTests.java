package io.github.otelexport.export;

import java.time.Duration;

import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.stats.ExportSnapshot;
import io.github.otelexport.stats.ExporterDescription;
import io.github.otelexport.testkit.OtlpReceiver;
import io.github.otelexport.testkit.OtlpReceiverExtension;
import io.grpc.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that a log handler that throws changes nothing in what
 * {@link ResilientSpanExporter} counts: every span is still counted exactly once.
 *
 * @author otel-export authors
 */
class BrokenLogHandlerTests {

	private static final Duration PROBE_INTERVAL = Duration.ofSeconds(30);

	@RegisterExtension
	static final OtlpReceiverExtension primaryExtension = new OtlpReceiverExtension();

	@RegisterExtension
	static final OtlpReceiverExtension fallbackExtension = new OtlpReceiverExtension();

	private final TestTime time = new TestTime();

	@Test
	void everySpanIsCountedOnceWhenLoggingThrows() {
		OtlpReceiver primary = primaryExtension.get();
		OtlpReceiver fallback = fallbackExtension.get();
		ResilientSpanExporter exporter = ResilientSpanExporter
			.builder(
					OtlpTransports.create(settings(DestinationRole.PRIMARY, OtlpProtocol.GRPC, primary.grpcEndpoint())),
					ExporterDescription.primary(primary.grpcEndpoint(), OtlpProtocol.GRPC))
			.fallback(
					OtlpTransports.create(
							settings(DestinationRole.FALLBACK, OtlpProtocol.HTTP_PROTOBUF, fallback.httpEndpoint())),
					ExporterDescription.fallback(fallback.httpEndpoint(), OtlpProtocol.HTTP_PROTOBUF))
			.retryPolicy(RetryPolicy.builder().maxAttempts(2).initialBackoff(Duration.ofMillis(10)).jitter(0).build())
			.failureThreshold(1)
			.probeInterval(PROBE_INTERVAL)
			.attemptTimeout(Duration.ofSeconds(5))
			.clock(this.time)
			.ticker(this.time)
			.sleeper(new TestSleeper(this.time))
			.build();
		try (LogCapture log = LogCapture.failing(ResilientSpanExporter.class, FailoverCircuit.class)) {
			// a partial success: counted, then logged
			primary.partialSuccess(1, "span too old");
			exporter.export(TestSpans.batch(3));
			// both reject the batch: the circuit opens (logged), the batch is dropped
			// (counted, then logged)
			primary.respondWithGrpcStatus(Status.Code.INVALID_ARGUMENT);
			fallback.respondWithHttpStatus(400);
			assertThat(exporter.export(TestSpans.batch(4)).isSuccess()).isFalse();
			fallback.accept();
			assertThat(exporter.export(TestSpans.batch(5)).isSuccess()).isTrue();
			// the probe gets through and the circuit closes (logged)
			primary.accept();
			this.time.advance(PROBE_INTERVAL);
			assertThat(exporter.export(TestSpans.batch(2)).isSuccess()).isTrue();
			assertThat(log.lines()).anyMatch((line) -> line.contains("rejected 1 spans"))
				.anyMatch((line) -> line.contains("is failing: REJECTED"))
				.anyMatch((line) -> line.contains("Dropped 4 spans"))
				.anyMatch((line) -> line.contains("Sending spans to the fallback"))
				.anyMatch((line) -> line.contains("reachable again"));
		}
		finally {
			exporter.shutdown();
		}
		ExportSnapshot snapshot = exporter.statistics().snapshot();
		assertThat(snapshot.exporters()).extracting(ExportSnapshot.ExporterSnapshot::exportedSpans)
			.containsExactly(4L, 5L);
		assertThat(snapshot.spansDropped()).isEqualTo(5);
		assertThat(snapshot.spansExported() + snapshot.spansDropped()).isEqualTo(3 + 4 + 5 + 2);
		ResilientSpanExporterTests.assertIdentity(snapshot, 3 + 4 + 5 + 2);
		assertThat(primary.spanCount()).isEqualTo(4);
		assertThat(fallback.spanCount()).isEqualTo(5);
	}

	private static ExporterSettings settings(DestinationRole role, OtlpProtocol protocol, String endpoint) {
		return ExporterSettings.of(role, protocol, endpoint).withTimeout(Duration.ofSeconds(3));
	}

}
