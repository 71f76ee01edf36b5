package io.github.otelexport.testkit;

import java.net.ConnectException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the OTLP/gRPC side of {@link OtlpReceiver}, with a grpc-java channel.
 *
 * @author otel-export authors
 */
class GrpcReceiverTests {

	private OtlpReceiver receiver;

	private GrpcExport client;

	@BeforeEach
	void start() {
		this.receiver = OtlpReceiver.start();
		this.client = new GrpcExport(this.receiver.grpcPort());
	}

	@AfterEach
	void close() throws InterruptedException {
		this.client.close();
		this.receiver.close();
	}

	@Test
	void endpointIsLoopback() {
		assertThat(this.receiver.grpcEndpoint()).isEqualTo("http://127.0.0.1:" + this.receiver.grpcPort());
	}

	@Test
	void acceptedRequestIsRecorded() {
		ExportTraceServiceResponse response = this.client.export(TestSpans.request(3), Map.of("x-api-key", "secret"));
		assertThat(response.hasPartialSuccess()).isFalse();
		assertThat(this.receiver.spanCount()).isEqualTo(3);
		assertThat(this.receiver.spansByTraceId().get(TestSpans.TRACE_ID)).hasSize(3);
		assertThat(this.receiver.requests()).singleElement().satisfies((request) -> {
			assertThat(request.signal()).isEqualTo(Signal.TRACES);
			assertThat(request.protocol()).isEqualTo(Protocol.GRPC);
			assertThat(request.header("X-Api-Key")).isEqualTo("secret");
			assertThat(request.gzip()).isFalse();
			assertThat(request.spanCount()).isEqualTo(3);
			assertThat(request.accepted()).isTrue();
		});
	}

	@Test
	void gzipCompressionIsFlagged() {
		this.client.exportGzip(TestSpans.request(2));
		assertThat(this.receiver.spanCount()).isEqualTo(2);
		assertThat(this.receiver.requests()).singleElement().satisfies((request) -> {
			assertThat(request.gzip()).isTrue();
			assertThat(request.header("grpc-encoding")).isEqualTo("gzip");
		});
	}

	@Test
	void refusedConnectionThenAcceptOnSamePort() {
		int port = this.receiver.grpcPort();
		this.receiver.refuseConnections();
		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> this.client.export(TestSpans.request(1)))
			.satisfies((ex) -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
				assertThat(ex).hasCauseInstanceOf(ConnectException.class);
			});
		this.receiver.accept();
		assertThat(this.receiver.grpcPort()).isEqualTo(port);
		this.client.resetConnectBackoff();
		await().untilAsserted(() -> this.client.export(TestSpans.request(1)));
		assertThat(this.receiver.spanCount()).isEqualTo(1);
	}

	@Test
	void refusingClosesOpenConnections() {
		this.client.export(TestSpans.request(1));
		this.receiver.refuseConnections();
		// the first call may still race with the closing connection; once it is gone,
		// every call tries to connect and is refused
		await().untilAsserted(() -> assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> this.client.export(TestSpans.request(1)))
			.satisfies((ex) -> assertThat(ex).hasCauseInstanceOf(ConnectException.class)));
		assertThat(this.receiver.spanCount()).isEqualTo(1);
	}

	@Test
	void requiredHeaderMissingIsUnauthenticated() {
		this.receiver.requireHeader("x-api-key", "good");
		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> this.client.export(TestSpans.request(2)))
			.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> this.client.export(TestSpans.request(2), Map.of("x-api-key", "bad")))
			.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
		this.client.export(TestSpans.request(2), Map.of("x-api-key", "good"));
		assertThat(this.receiver.spanCount()).isEqualTo(2);
		assertThat(this.receiver.requests()).extracting(ReceivedRequest::accepted).containsExactly(false, false, true);
	}

	@Test
	void refusedValueIsEchoedInTheChosenForm() {
		this.receiver.requireHeader("x-api-key", "good", (refused) -> refused.toLowerCase(Locale.ROOT));
		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> this.client.export(TestSpans.request(1), Map.of("x-api-key", "Bad-Key")))
			.satisfies((ex) -> assertThat(ex.getStatus().getDescription())
				.isEqualTo("Header 'x-api-key' has a value that is not accepted: 'bad-key'"));
		this.receiver.requireHeader("x-api-key", "good");
		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> this.client.export(TestSpans.request(1), Map.of("x-api-key", "Bad-Key")))
			.satisfies((ex) -> assertThat(ex.getStatus().getDescription()).endsWith("'Bad-Key'"));
	}

	@ParameterizedTest
	@EnumSource(names = { "RESOURCE_EXHAUSTED", "UNAVAILABLE", "INVALID_ARGUMENT", "UNIMPLEMENTED", "PERMISSION_DENIED",
			"DEADLINE_EXCEEDED" })
	void chosenStatusIsAnsweredAndSpansAreNotCounted(Status.Code code) {
		this.receiver.respondWithGrpcStatus(code);
		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> this.client.export(TestSpans.request(4)))
			.satisfies((ex) -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(code);
				assertThat(StatusProto.fromThrowable(ex).getDetailsList()).isEmpty();
			});
		assertThat(this.receiver.spanCount()).isZero();
		assertThat(this.receiver.requests()).singleElement().satisfies((request) -> {
			assertThat(request.spanCount()).isEqualTo(4);
			assertThat(request.accepted()).isFalse();
		});
	}

	@Test
	void statusWithRetryInfo() {
		this.receiver.respondWithGrpcStatus(Status.Code.RESOURCE_EXHAUSTED, Duration.ofMillis(1500));
		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> this.client.export(TestSpans.request(1)))
			.satisfies((ex) -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
				RetryInfo retryInfo = StatusProto.fromThrowable(ex).getDetails(0).unpack(RetryInfo.class);
				assertThat(retryInfo.getRetryDelay().getSeconds()).isEqualTo(1);
				assertThat(retryInfo.getRetryDelay().getNanos()).isEqualTo(500_000_000);
			});
	}

	@Test
	void partialSuccessIsDecodedAndCountsAcceptedSpans() {
		this.receiver.partialSuccess(2, "two spans too old");
		ExportTraceServiceResponse response = this.client.export(TestSpans.request(5));
		assertThat(response.getPartialSuccess().getRejectedSpans()).isEqualTo(2);
		assertThat(response.getPartialSuccess().getErrorMessage()).isEqualTo("two spans too old");
		assertThat(this.receiver.spanCount()).isEqualTo(3);
		assertThat(this.receiver.requests()).singleElement().satisfies((request) -> {
			assertThat(request.spanCount()).isEqualTo(5);
			assertThat(request.accepted()).isTrue();
		});
	}

	@Test
	void hugeMessageIsValidProtobuf() {
		int bytes = 3 * 1024 * 1024;
		this.receiver.respondWithHugeGrpcMessage(bytes);
		ExportTraceServiceResponse response = this.client.export(TestSpans.request(2));
		assertThat(response.getSerializedSize()).isEqualTo(bytes);
		assertThat(response.hasPartialSuccess()).isFalse();
		assertThat(this.receiver.spanCount()).isEqualTo(2);
	}

	@Test
	void resetConnectionIsUnavailable() {
		this.client.export(TestSpans.request(1));
		this.receiver.resetConnections();
		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> this.client.export(TestSpans.request(1)))
			.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
		assertThat(this.receiver.requestCount()).isEqualTo(1);
		this.receiver.accept();
		// the client may still pick the transport that was just reset, so it retries
		this.client.resetConnectBackoff();
		await().untilAsserted(() -> this.client.export(TestSpans.request(1)));
		assertThat(this.receiver.spanCount()).isEqualTo(2);
	}

	@Test
	void delayHoldsResponseBack() {
		Duration delay = Duration.ofMillis(300);
		this.receiver.delayResponses(delay);
		long start = System.nanoTime();
		this.client.export(TestSpans.request(1));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(delay);
	}

	@Test
	void httpOnlyFaultLeavesGrpcAccepting() {
		this.receiver.respondWithHttpStatus(503);
		this.client.export(TestSpans.request(1));
		assertThat(this.receiver.spanCount()).isEqualTo(1);
	}

}
