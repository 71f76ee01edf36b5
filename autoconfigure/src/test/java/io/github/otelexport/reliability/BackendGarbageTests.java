package io.github.otelexport.reliability;

import java.time.Duration;
import java.util.Map;

import io.github.otelexport.export.ExporterSettings;
import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportErrorCategory;
import io.github.otelexport.stats.ExportSnapshot.RecentError;
import io.github.otelexport.stats.ExportSnapshot;
import io.github.otelexport.testkit.OtlpReceiver;
import io.grpc.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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

	@ParameterizedTest
	@EnumSource(OtlpProtocol.class)
	void anAcceptedRequestWithAHugeAnswerIsExported(OtlpProtocol protocol) {
		// The backend stored the spans and said so; only its answer is too long to keep.
		// Memory stays bounded: the body is cut at 4 MiB (and for gRPC the rest is read
		// past, to the status in the trailers)
		try (OtlpReceiver receiver = OtlpReceiver.start();
				TestPipeline pipeline = TestPipeline.to(receiver, protocol).build()) {
			if (protocol == OtlpProtocol.GRPC) {
				receiver.respondWithHugeGrpcMessage(HUGE_BODY);
			}
			else {
				receiver.respondWithHugeBody(HUGE_BODY);
			}
			ExportSnapshot snapshot = endAndFlush(pipeline);
			assertThat(snapshot.errorsByCategory()).isEmpty();
			assertThat(snapshot.droppedByReason()).isEmpty();
			assertThat(snapshot.exporters().get(0).exportedSpans()).isEqualTo(SPANS);
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
