package io.github.otelexport.reliability;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import io.github.otelexport.export.ExporterSettings;
import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportErrorCategory;
import io.github.otelexport.stats.ExportSnapshot;
import io.github.otelexport.testkit.OtlpReceiver;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests that export recovers by itself when the backend comes back on the same port after
 * refusing connections: the application does nothing, and spans ended after the recovery
 * arrive.
 *
 * @author otel-export authors
 */
class ReceiverRestartTests {

	private static final int SPANS = 300;

	private static final Duration FLUSH = Duration.ofSeconds(20);

	static Stream<OtlpProtocol> protocols() {
		return Stream.of(OtlpProtocol.GRPC, OtlpProtocol.HTTP_PROTOBUF);
	}

	@ParameterizedTest(name = "over {0}")
	@MethodSource("protocols")
	void recoversWhenTheReceiverListensAgain(OtlpProtocol protocol) {
		try (OtlpReceiver receiver = OtlpReceiver.start();
				TestPipeline pipeline = TestPipeline.to(receiver, protocol).build()) {
			pipeline.endSpans("before", SPANS);
			assertThat(pipeline.flush(FLUSH)).isTrue();
			assertThat(receiver.spanCount()).isEqualTo(SPANS);
			int port = (OtlpProtocol.GRPC.equals(protocol)) ? receiver.grpcPort() : receiver.httpPort();
			receiver.refuseConnections();
			// a request already on its way when the port closes may still get through, so
			// keep ending spans until the pipeline has met the refused port
			long during = keepEndingUntil(pipeline, "during", () -> pipeline.flush(FLUSH)
					&& pipeline.snapshot().errorsByCategory().containsKey(ExportErrorCategory.CONNECTION_REFUSED));
			ExportSnapshot outage = pipeline.snapshot();
			assertThat(outage.droppedByReason()).containsOnlyKeys(DropReason.RETRIES_EXHAUSTED);
			receiver.accept();
			assertThat((OtlpProtocol.GRPC.equals(protocol)) ? receiver.grpcPort() : receiver.httpPort())
				.isEqualTo(port);
			// No flush from here on: the batch processor's schedule alone exports them
			pipeline.endSpans("after", SPANS);
			await().atMost(FLUSH).untilAsserted(() -> assertThat(named(receiver, "after")).isEqualTo(SPANS));
			assertThat(named(receiver, "before")).isEqualTo(SPANS);
			ExportSnapshot snapshot = pipeline.snapshot();
			long deliveredDuring = named(receiver, "during");
			assertThat(snapshot.exporters().get(0).exportedSpans()).isEqualTo(2 * SPANS + deliveredDuring);
			assertThat(snapshot.droppedByReason())
				.containsExactly(java.util.Map.entry(DropReason.RETRIES_EXHAUSTED, during - deliveredDuring));
			Accounting.assertBalanced(snapshot, 2 * SPANS + during);
		}
	}

	@ParameterizedTest(name = "over {0}")
	@MethodSource("protocols")
	void returnsToThePrimaryAfterFailingOver(OtlpProtocol protocol) {
		try (OtlpReceiver primary = OtlpReceiver.start();
				OtlpReceiver fallback = OtlpReceiver.start();
				TestPipeline pipeline = TestPipeline.to(primary, protocol).fallback(fallback).build()) {
			primary.refuseConnections();
			pipeline.endSpans("during", SPANS);
			assertThat(pipeline.flush(FLUSH)).isTrue();
			assertThat(fallback.spanCount()).isEqualTo(SPANS);
			primary.accept();
			// Keep the application busy until a probe finds the primary again; the first
			// request after the restart may still fail and send the circuit back open
			// for another probe interval, so wait for the primary, not for one batch
			long ended = SPANS + keepEndingUntil(pipeline, "after",
					() -> pipeline.snapshot().exporters().get(0).exportedSpans() > 0 && named(primary, "after") > 0);
			assertThat(pipeline.flush(FLUSH)).isTrue();
			ExportSnapshot snapshot = pipeline.snapshot();
			assertThat(snapshot.droppedByReason()).as(snapshot::toString).isEmpty();
			assertThat(primary.spanCount() + fallback.spanCount()).isGreaterThanOrEqualTo((int) ended);
			Accounting.assertBalanced(snapshot, ended);
		}
	}

	private static long keepEndingUntil(TestPipeline pipeline, String name, BooleanSupplier done) {
		AtomicLong ended = new AtomicLong();
		await().atMost(FLUSH).pollInSameThread().until(() -> {
			pipeline.endSpans(name, 10);
			ended.addAndGet(10);
			return done.getAsBoolean();
		});
		return ended.get();
	}

	private static long named(OtlpReceiver receiver, String name) {
		return receiver.spans().stream().map(Span::getName).filter(name::equals).count();
	}

}
