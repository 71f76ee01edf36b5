package io.github.otelexport.export.transport;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.github.otelexport.export.TestPorts;
import io.github.otelexport.testkit.OtlpReceiver;
import io.github.otelexport.testkit.OtlpReceiverExtension;
import io.github.otelexport.testkit.ReceivedRequest;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.otelexport.export.transport.TransportTestSupport.failure;
import static io.github.otelexport.export.transport.TransportTestSupport.response;
import static io.github.otelexport.export.transport.TransportTestSupport.settings;
import static io.github.otelexport.export.transport.TransportTestSupport.transportThreads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gRPC transport against the testkit's real gRPC server (grpc-java on Netty) and its
 * faults.
 *
 * @author otel-export authors
 */
class GrpcTransportTests {

	@RegisterExtension
	static final OtlpReceiverExtension receiver = new OtlpReceiverExtension();

	private final List<OtlpTransport> transports = new ArrayList<>();

	@AfterEach
	void closeTransports() {
		this.transports.forEach(OtlpTransport::close);
	}

	@Test
	void acceptedRequestReadsTheStatusFromTheTrailers(OtlpReceiver receiver) throws Exception {
		OtlpResponse response = response(open(receiver).send(TestRequests.spans(3)));
		assertThat(response.isSuccess()).isTrue();
		assertThat(response.isGrpc()).isTrue();
		assertThat(response.httpStatus()).isEqualTo(200);
		assertThat(response.grpcStatus()).hasValue(0);
		assertThat(response.trailers()).containsEntry("grpc-status", List.of("0"));
		assertThat(response.headers()).doesNotContainKey("grpc-status");
		assertThat(response.body()).isEmpty();
		assertThat(response.message()).isEmpty();
		assertThat(response.partialSuccess()).isEqualTo(OtlpPartialSuccess.NONE);
		assertThat(receiver.spanCount()).isEqualTo(3);
		assertThat(receiver.requests()).singleElement().satisfies((request) -> {
			assertThat(request.header("x-api-key")).isEqualTo("k3y-for-tests");
			assertThat(request.gzip()).isFalse();
		});
	}

	@Test
	void gzipCompressesTheMessage(OtlpReceiver receiver) throws Exception {
		OtlpTransport transport = open(
				settings(receiver.grpcEndpoint(), TransportTestSupport.TIMEOUT, true, TlsSettings.none()));
		assertThat(response(transport.send(TestRequests.spans(4))).isSuccess()).isTrue();
		assertThat(receiver.requests()).extracting(ReceivedRequest::gzip).containsExactly(true);
		assertThat(receiver.spanCount()).isEqualTo(4);
	}

	@Test
	void connectsThroughSocketsThatDoNotWaitForDelayedAcknowledgements(OtlpReceiver receiver) throws Exception {
		// Without TCP_NODELAY every request over about 10 kB waits for the receiver's
		// delayed ACK (40 ms on Linux); the benchmarks measure the effect, this pins the
		// cause
		GrpcTransport transport = (GrpcTransport) open(receiver);
		assertThat(transport.client().socketFactory()).isInstanceOf(NoDelaySocketFactory.class);
		assertThat(response(transport.send(TestRequests.spans(512))).isSuccess()).isTrue();
		assertThat(receiver.spanCount()).isEqualTo(512);
	}

	@Test
	void partialSuccessIsReadFromTheUnframedMessage(OtlpReceiver receiver) throws Exception {
		receiver.partialSuccess(2, "two spans too old");
		OtlpResponse response = response(open(receiver).send(TestRequests.spans(5)));
		assertThat(response.isSuccess()).isTrue();
		assertThat(response.partialSuccess()).isEqualTo(new OtlpPartialSuccess(2, "two spans too old"));
	}

	@Test
	void resourceExhaustedWithRetryInfoInATrailersOnlyResponse(OtlpReceiver receiver) throws Exception {
		receiver.respondWithGrpcStatus(Status.Code.RESOURCE_EXHAUSTED, Duration.ofMillis(1500));
		OtlpResponse response = response(open(receiver).send(TestRequests.spans(1)));
		assertThat(response.isSuccess()).isFalse();
		assertThat(response.grpcStatus()).hasValue(Status.Code.RESOURCE_EXHAUSTED.value());
		assertThat(response.headers()).containsKey("grpc-status").containsKey("grpc-status-details-bin");
		assertThat(response.trailers()).isEmpty();
		assertThat(response.message()).isEqualTo("Answered with RESOURCE_EXHAUSTED by the test receiver");
		assertThat(response.retryAfter()).hasValue(Duration.ofMillis(1500));
	}

	@Test
	void resourceExhaustedWithoutRetryInfo(OtlpReceiver receiver) throws Exception {
		receiver.respondWithGrpcStatus(Status.Code.RESOURCE_EXHAUSTED);
		OtlpResponse response = response(open(receiver).send(TestRequests.spans(1)));
		assertThat(response.grpcStatus()).hasValue(Status.Code.RESOURCE_EXHAUSTED.value());
		assertThat(response.retryAfter()).isEmpty();
	}

	@Test
	void messageIsPercentDecodedAndKeptWhole(OtlpReceiver receiver) throws Exception {
		// the receiver echoes the refused header value in its status message, which
		// grpc-java percent-encodes ('%' included)
		receiver.requireHeader("x-api-key", "the-right-one");
		String refused = "100%-wrong-" + "%".repeat(3000);
		OtlpTransport transport = open(
				new TransportSettings(settings(receiver.grpcEndpoint()).endpoint(), Map.of("x-api-key", refused),
						TransportTestSupport.TIMEOUT, Duration.ofSeconds(5), false, TlsSettings.none()));
		OtlpResponse response = response(transport.send(TestRequests.spans(1)));
		assertThat(response.grpcStatus()).hasValue(Status.Code.UNAUTHENTICATED.value());
		assertThat(response.message())
			.isEqualTo("Header 'x-api-key' has a value that is not accepted: '" + refused + "'");
	}

	@Test
	void hugeResponseIsCutAtTheLimitAndItsStatusStillRead(OtlpReceiver receiver) throws Exception {
		receiver.respondWithHugeGrpcMessage(2 * OtlpResponse.MAX_BODY_BYTES);
		OtlpResponse response = response(open(receiver).send(TestRequests.spans(2)));
		assertThat(response.isBodyCut()).isTrue();
		assertThat(response.body()).hasSize(OtlpResponse.MAX_BODY_BYTES - GrpcWire.FRAME_HEADER_BYTES);
		// the rest was read past, never kept, to reach the status in the trailers
		assertThat(response.grpcStatus()).hasValue(0);
		assertThat(response.isSuccess()).isTrue();
		assertThat(receiver.spanCount()).isEqualTo(2);
	}

	@Test
	void responseThatNeverComesEndsAtTheDeadline(OtlpReceiver receiver) throws Exception {
		receiver.delayResponses(Duration.ofMinutes(5));
		OtlpTransport transport = open(
				settings(receiver.grpcEndpoint(), Duration.ofMillis(500), false, TlsSettings.none()));
		assertThat(failure(transport.send(TestRequests.spans(1)))).isInstanceOf(InterruptedIOException.class)
			.hasMessageContaining("timeout");
		receiver.accept();
		assertThat(response(transport.send(TestRequests.spans(1))).isSuccess()).isTrue();
	}

	@Test
	void resetConnectionFailsTheAttempt(OtlpReceiver receiver) throws Exception {
		receiver.resetConnections();
		assertThat(failure(open(receiver).send(TestRequests.spans(1)))).isInstanceOf(IOException.class);
	}

	@Test
	void refusedConnectionFailsWithTheRealException() throws Exception {
		OtlpTransport transport = open(settings("http://127.0.0.1:" + TestPorts.closedPort()));
		assertThat(failure(transport.send(TestRequests.spans(1)))).isInstanceOf(ConnectException.class);
	}

	@Test
	void http1PortAnswersWithSomethingThatIsNotHttp2(OtlpReceiver receiver) throws Exception {
		OtlpTransport transport = open(settings("http://127.0.0.1:" + receiver.httpPort()));
		assertThat(failure(transport.send(TestRequests.spans(1)))).isInstanceOf(IOException.class)
			.hasMessageContaining("FRAME_SIZE_ERROR");
	}

	@Test
	void closeFailsTheWaitingAttemptsAndGivesTheThreadsBack(OtlpReceiver receiver) throws Exception {
		receiver.delayResponses(Duration.ofMinutes(5));
		OtlpTransport transport = open(receiver);
		CompletableFuture<OtlpResponse> waiting = transport.send(TestRequests.spans(1));
		await().until(() -> receiver.requestCount() == 1);
		transport.close();
		assertThat(failure(waiting)).isInstanceOf(IOException.class);
		assertThat(failure(transport.send(TestRequests.spans(1)))).isInstanceOf(IllegalStateException.class);
		await().untilAsserted(() -> assertThat(transportThreads(transport)).isEmpty());
		transport.close();
	}

	private OtlpTransport open(OtlpReceiver receiver) {
		return open(settings(receiver.grpcEndpoint()));
	}

	private OtlpTransport open(TransportSettings settings) {
		OtlpTransport transport = OtlpTransport.grpc(settings);
		this.transports.add(transport);
		return transport;
	}

}
