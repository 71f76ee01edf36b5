package io.github.otelexport.reliability;

import java.time.Duration;
import java.util.Map;

import io.github.otelexport.export.DropReason;
import io.github.otelexport.export.ExportErrorCategory;
import io.github.otelexport.export.ExportSnapshot;
import io.github.otelexport.export.ExportSnapshot.RecentError;
import io.github.otelexport.export.ExporterSettings;
import io.github.otelexport.export.OtlpProtocol;
import io.github.otelexport.testkit.OtlpReceiver;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests that whatever comes back from the backend (a body that is not protobuf, a body of
 * several megabytes, a reset connection) never reaches the application thread, is
 * classified where the SDK reports it, and leaves the accounting balanced.
 *
 * @author otel-export authors
 */
class BackendGarbageTests {

	private static final int SPANS = 2_000;

	private static final int HUGE_BODY = 8 * 1024 * 1024;

	private static final Duration FLUSH = Duration.ofSeconds(20);

	@Test
	void okWithANonProtobufBodyCountsAsExported() {
		// The SDK does not parse the body of a 200, so garbage is a success: pinned here
		// so that an SDK change is noticed
		try (OtlpReceiver receiver = OtlpReceiver.start();
				TestPipeline pipeline = TestPipeline.to(receiver, OtlpProtocol.HTTP_PROTOBUF).build()) {
			receiver.respondWithGarbage();
			ExportSnapshot snapshot = endAndFlush(pipeline);
			assertThat(snapshot.errorsByCategory()).isEmpty();
			assertThat(snapshot.exporters().get(0).exportedSpans()).isEqualTo(SPANS);
			assertThat(receiver.spanCount()).isEqualTo(SPANS);
			Accounting.assertBalanced(snapshot, SPANS);
		}
	}

	@Test
	void okWithAHugeBodyFailsInTheSdkAndIsDroppedAsUnknown() {
		// The SDK's HTTP sender refuses response bodies over 4 MiB after the backend has
		// stored the spans: counted as dropped, though they arrived. UNKNOWN keeps the
		// SDK's message; it is not RESOURCE_EXHAUSTED, whose hint (smaller batches,
		// gzip) would not help
		try (OtlpReceiver receiver = OtlpReceiver.start();
				TestPipeline pipeline = TestPipeline.to(receiver, OtlpProtocol.HTTP_PROTOBUF).build()) {
			receiver.respondWithHugeBody(HUGE_BODY);
			ExportSnapshot snapshot = endAndFlush(pipeline);
			assertThat(snapshot.errorsByCategory().keySet()).containsOnly(ExportErrorCategory.UNKNOWN);
			assertThat(snapshot.recentErrors()).isNotEmpty().allSatisfy((error) -> {
				assertThat(error.category()).isEqualTo(ExportErrorCategory.UNKNOWN);
				// the JDK HttpClient sender's IOException for it
				assertThat(error.exceptionType()).isEqualTo(
						"io.opentelemetry.exporter.sender.jdk.internal.JdkHttpSender$ResponseBodyTooLargeException");
				assertThat(error.message()).contains("exceeded limit");
				assertThat(error.attempt()).isEqualTo(1);
			});
			assertThat(snapshot.droppedByReason()).containsExactly(Map.entry(DropReason.PERMANENT_ERROR, (long) SPANS));
			assertThat(receiver.spanCount()).isEqualTo(SPANS);
			Accounting.assertBalanced(snapshot, SPANS);
		}
	}

	@Test
	void resetConnectionOverHttpIsUnavailableAndRetried() {
		assertResetIsUnavailable(OtlpProtocol.HTTP_PROTOBUF);
	}

	@Test
	void resetConnectionOverGrpcIsUnavailableAndRetried() {
		assertResetIsUnavailable(OtlpProtocol.GRPC);
	}

	@Test
	void everyFaultInTurnNeverReachesTheApplicationThread() {
		try (OtlpReceiver receiver = OtlpReceiver.start();
				TestPipeline pipeline = TestPipeline.to(receiver, OtlpProtocol.HTTP_PROTOBUF).build()) {
			Runnable[] faults = { receiver::respondWithGarbage, () -> receiver.respondWithHugeBody(HUGE_BODY),
					receiver::resetConnections, () -> receiver.respondWithHttpStatus(500),
					() -> receiver.respondWithGrpcStatus(Status.Code.INTERNAL), receiver::refuseConnections,
					receiver::accept };
			for (Runnable fault : faults) {
				fault.run();
				assertThatNoException().isThrownBy(() -> pipeline.endSpans("span", SPANS));
				assertThat(pipeline.flush(FLUSH)).isTrue();
			}
			Accounting.assertBalanced(pipeline.snapshot(), (long) SPANS * faults.length);
		}
	}

	private static void assertResetIsUnavailable(OtlpProtocol protocol) {
		try (OtlpReceiver receiver = OtlpReceiver.start();
				TestPipeline pipeline = TestPipeline.to(receiver, protocol).build()) {
			receiver.resetConnections();
			ExportSnapshot snapshot = endAndFlush(pipeline);
			assertThat(snapshot.errorsByCategory().keySet()).containsOnly(ExportErrorCategory.UNAVAILABLE);
			// A SocketException, or OkHttp's ConnectionShutdownException when the reset
			// hits an HTTP/2 connection between two streams
			assertThat(snapshot.recentErrors()).extracting(RecentError::exceptionType).doesNotContainNull();
			// Retryable: every batch had its second attempt
			assertThat(snapshot.retries()).isPositive();
			assertThat(snapshot.droppedByReason())
				.containsExactly(Map.entry(DropReason.RETRIES_EXHAUSTED, (long) SPANS));
			assertThat(receiver.spanCount()).isZero();
			Accounting.assertBalanced(snapshot, SPANS);
		}
	}

	private static ExportSnapshot endAndFlush(TestPipeline pipeline) {
		assertThatNoException().isThrownBy(() -> pipeline.endSpans("span", SPANS));
		assertThat(pipeline.flush(FLUSH)).isTrue();
		return pipeline.snapshot();
	}

}
