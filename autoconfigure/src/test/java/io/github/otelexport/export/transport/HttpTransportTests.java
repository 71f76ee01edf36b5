package io.github.otelexport.export.transport;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.github.otelexport.export.TestPorts;
import io.github.otelexport.export.TestTime;
import io.github.otelexport.testkit.OtlpReceiver;
import io.github.otelexport.testkit.OtlpReceiverExtension;
import io.github.otelexport.testkit.ReceivedRequest;
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
 * The http/protobuf transport against the testkit's real HTTP server and its faults.
 *
 * @author otel-export authors
 */
class HttpTransportTests {

	@RegisterExtension
	static final OtlpReceiverExtension receiver = new OtlpReceiverExtension();

	private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

	private final TestTime time = new TestTime(NOW);

	private final List<OtlpTransport> transports = new ArrayList<>();

	@AfterEach
	void closeTransports() {
		this.transports.forEach(OtlpTransport::close);
	}

	@Test
	void acceptedRequestReturnsTheWholeResponse(OtlpReceiver receiver) throws Exception {
		OtlpResponse response = response(open(receiver).send(TestRequests.spans(3)));
		assertThat(response.isSuccess()).isTrue();
		assertThat(response.isGrpc()).isFalse();
		assertThat(response.httpStatus()).isEqualTo(200);
		assertThat(response.grpcStatus()).isEmpty();
		assertThat(response.header("Content-Type")).hasValue("application/x-protobuf");
		assertThat(response.body()).isEmpty();
		assertThat(response.isBodyCut()).isFalse();
		assertThat(response.message()).isEmpty();
		assertThat(response.retryAfter()).isEmpty();
		assertThat(response.partialSuccess()).isEqualTo(OtlpPartialSuccess.NONE);
		assertThat(receiver.spanCount()).isEqualTo(3);
		assertThat(receiver.requests()).singleElement().satisfies((request) -> {
			assertThat(request.header("content-type")).isEqualTo("application/x-protobuf");
			assertThat(request.header("x-api-key")).isEqualTo("k3y-for-tests");
			assertThat(request.gzip()).isFalse();
		});
	}

	@Test
	void gzipCompressesTheRequest(OtlpReceiver receiver) throws Exception {
		OtlpTransport transport = open(
				settings(receiver.httpEndpoint(), TransportTestSupport.TIMEOUT, true, TlsSettings.none()));
		assertThat(response(transport.send(TestRequests.spans(4))).isSuccess()).isTrue();
		assertThat(receiver.requests()).extracting(ReceivedRequest::gzip).containsExactly(true);
		assertThat(receiver.spanCount()).isEqualTo(4);
	}

	@Test
	void partialSuccessIsRead(OtlpReceiver receiver) throws Exception {
		receiver.partialSuccess(2, "two spans too old");
		OtlpResponse response = response(open(receiver).send(TestRequests.spans(5)));
		assertThat(response.isSuccess()).isTrue();
		assertThat(response.partialSuccess()).isEqualTo(new OtlpPartialSuccess(2, "two spans too old"));
	}

	@Test
	void bodyThatIsNotProtobufIsNoPartialSuccess(OtlpReceiver receiver) throws Exception {
		receiver.respondWithGarbage();
		OtlpResponse response = response(open(receiver).send(TestRequests.spans(1)));
		assertThat(response.isSuccess()).isTrue();
		assertThat(response.body()).isNotEmpty();
		assertThat(response.partialSuccess()).isEqualTo(OtlpPartialSuccess.NONE);
	}

	@Test
	void errorStatusComesWithTheMessageOfItsBody(OtlpReceiver receiver) throws Exception {
		receiver.respondWithHttpStatus(400);
		OtlpResponse response = response(open(receiver).send(TestRequests.spans(1)));
		assertThat(response.isSuccess()).isFalse();
		assertThat(response.httpStatus()).isEqualTo(400);
		assertThat(response.message()).isEqualTo("Answered with 400 by the test receiver");
		assertThat(response.body()).isNotEmpty();
		assertThat(response.partialSuccess()).isEqualTo(OtlpPartialSuccess.NONE);
	}

	@Test
	void retryAfterInSeconds(OtlpReceiver receiver) throws Exception {
		receiver.respondWithHttpStatus(429, Duration.ofSeconds(7));
		OtlpResponse response = response(open(receiver).send(TestRequests.spans(1)));
		assertThat(response.httpStatus()).isEqualTo(429);
		assertThat(response.retryAfter()).hasValue(Duration.ofSeconds(7));
	}

	@Test
	void retryAfterAsAnHttpDateIsMeasuredWithTheClock(OtlpReceiver receiver) throws Exception {
		receiver.respondWithHttpStatus(503, Map.of("Retry-After", httpDate(NOW.plusSeconds(30))));
		OtlpResponse response = response(open(receiver).send(TestRequests.spans(1)));
		assertThat(response.retryAfter()).hasValue(Duration.ofSeconds(30));
	}

	@Test
	void retryAfterAsAnHttpDateIsMeasuredFromTheServersDateWhenItSendsOne(OtlpReceiver receiver) throws Exception {
		// the server's clock is an hour behind ours: it still means 20 seconds
		Instant serverNow = NOW.minusSeconds(3600);
		receiver.respondWithHttpStatus(503,
				Map.of("Retry-After", httpDate(serverNow.plusSeconds(20)), "Date", httpDate(serverNow)));
		OtlpResponse response = response(open(receiver).send(TestRequests.spans(1)));
		assertThat(response.retryAfter()).hasValue(Duration.ofSeconds(20));
	}

	@Test
	void redirectIsReturnedNotFollowed(OtlpReceiver receiver) throws Exception {
		receiver.respondWithHttpStatus(302, Map.of("Location", "https://collector.example/v1/traces"));
		OtlpResponse response = response(open(receiver).send(TestRequests.spans(1)));
		assertThat(response.httpStatus()).isEqualTo(302);
		assertThat(response.isSuccess()).isFalse();
		assertThat(response.header("location")).hasValue("https://collector.example/v1/traces");
		assertThat(receiver.requestCount()).isEqualTo(1);
	}

	@Test
	void longErrorMessageIsKeptWholeForTheSecretsInItToBeMaskedBeforeItIsCutForDisplay(OtlpReceiver receiver)
			throws Exception {
		// the receiver echoes the refused header value in its error message
		receiver.requireHeader("x-api-key", "the-right-one");
		String refused = "x".repeat(3000);
		OtlpTransport transport = open(
				new TransportSettings(settings(receiver.httpEndpoint()).endpoint(), Map.of("x-api-key", refused),
						TransportTestSupport.TIMEOUT, Duration.ofSeconds(5), false, TlsSettings.none()));
		OtlpResponse response = response(transport.send(TestRequests.spans(1)));
		assertThat(response.httpStatus()).isEqualTo(401);
		assertThat(response.message())
			.isEqualTo("Header 'x-api-key' has a value that is not accepted: '" + refused + "'");
	}

	@Test
	void hugeBodyIsCutAtTheLimit(OtlpReceiver receiver) throws Exception {
		receiver.respondWithHugeBody(2 * OtlpResponse.MAX_BODY_BYTES);
		OtlpResponse response = response(open(receiver).send(TestRequests.spans(2)));
		assertThat(response.isSuccess()).isTrue();
		assertThat(response.isBodyCut()).isTrue();
		assertThat(response.body()).hasSize(OtlpResponse.MAX_BODY_BYTES);
		assertThat(response.partialSuccess()).isEqualTo(OtlpPartialSuccess.NONE);
		assertThat(receiver.spanCount()).isEqualTo(2);
	}

	@Test
	void responseThatNeverComesEndsAtTheDeadline(OtlpReceiver receiver) throws Exception {
		receiver.delayResponses(Duration.ofMinutes(5));
		OtlpTransport transport = open(
				settings(receiver.httpEndpoint(), Duration.ofMillis(500), false, TlsSettings.none()));
		assertThat(failure(transport.send(TestRequests.spans(1)))).isInstanceOf(HttpTimeoutException.class);
	}

	@Test
	void tricklingBodiesEndAtTheDeadlineWithoutTyingThreadsUpAndTheBackendIsReachedOnceWell(OtlpReceiver receiver)
			throws Exception {
		receiver.respondWithTricklingBody(Duration.ofMillis(200));
		OtlpTransport transport = open(
				settings(receiver.httpEndpoint(), Duration.ofMillis(800), false, TlsSettings.none()));
		// more attempts at once than the SDK's sender has threads
		List<CompletableFuture<OtlpResponse>> attempts = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			attempts.add(transport.send(TestRequests.spans(1)));
		}
		for (CompletableFuture<OtlpResponse> attempt : attempts) {
			assertThat(failure(attempt)).isInstanceOf(HttpTimeoutException.class)
				.hasMessageContaining("No complete response");
		}
		assertThat(transportThreads(transport)).hasSizeLessThanOrEqualTo(2);
		receiver.accept();
		assertThat(response(transport.send(TestRequests.spans(1))).isSuccess()).isTrue();
	}

	@Test
	void resetDuringTheResponseFailsTheAttempt(OtlpReceiver receiver) throws Exception {
		receiver.resetDuringResponses();
		assertThat(failure(open(receiver).send(TestRequests.spans(2)))).isInstanceOf(IOException.class);
		// the backend got the spans: a retry will send them twice
		assertThat(receiver.spanCount()).isEqualTo(2);
	}

	@Test
	void refusedConnectionFailsWithTheRealException() throws Exception {
		OtlpTransport transport = open(settings("http://127.0.0.1:" + TestPorts.closedPort() + "/v1/traces"));
		assertThat(failure(transport.send(TestRequests.spans(1)))).isInstanceOf(ConnectException.class);
	}

	@Test
	void portThatSpeaksOnlyHttp2IsClosedWithoutAnAnswer(OtlpReceiver receiver) throws Exception {
		OtlpTransport transport = open(settings(receiver.grpcEndpoint() + "/v1/traces"));
		assertThat(failure(transport.send(TestRequests.spans(1)))).isInstanceOf(IOException.class);
	}

	@Test
	void closeFailsTheWaitingAttemptsAndGivesTheThreadsBack(OtlpReceiver receiver) throws Exception {
		receiver.delayResponses(Duration.ofMinutes(5));
		OtlpTransport transport = open(receiver);
		CompletableFuture<OtlpResponse> waiting = transport.send(TestRequests.spans(1));
		await().until(() -> receiver.requestCount() == 1);
		transport.close();
		assertThat(failure(waiting)).isInstanceOf(IOException.class).hasMessageContaining("closed");
		assertThat(failure(transport.send(TestRequests.spans(1)))).isInstanceOf(IllegalStateException.class);
		await().untilAsserted(() -> assertThat(transportThreads(transport)).isEmpty());
		transport.close();
	}

	private OtlpTransport open(OtlpReceiver receiver) {
		return open(settings(receiver.httpEndpoint()));
	}

	private OtlpTransport open(TransportSettings settings) {
		OtlpTransport transport = OtlpTransport.httpProtobuf(settings, this.time);
		this.transports.add(transport);
		return transport;
	}

	private static String httpDate(Instant instant) {
		return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
	}

}
