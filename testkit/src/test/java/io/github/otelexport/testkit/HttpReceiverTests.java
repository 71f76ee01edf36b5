package io.github.otelexport.testkit;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * Tests for the OTLP/HTTP side of {@link OtlpReceiver}, with
 * {@link java.net.http.HttpClient}.
 *
 * @author otel-export authors
 */
class HttpReceiverTests {

	private final HttpExport client = new HttpExport();

	private OtlpReceiver receiver;

	@BeforeEach
	void start() {
		this.receiver = OtlpReceiver.start();
	}

	@AfterEach
	void close() {
		this.receiver.close();
	}

	@Test
	void endpointIsLoopbackTracesPath() {
		assertThat(this.receiver.httpEndpoint())
			.isEqualTo("http://127.0.0.1:" + this.receiver.httpPort() + "/v1/traces");
	}

	@Test
	void acceptedRequestIsRecorded() throws Exception {
		HttpResponse<byte[]> response = this.client.export(this.receiver.httpEndpoint(), TestSpans.request(3),
				"X-Api-Key", "secret");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("content-type")).hasValue("application/x-protobuf");
		assertThat(ExportTraceServiceResponse.parseFrom(response.body()).hasPartialSuccess()).isFalse();
		assertThat(this.receiver.spanCount()).isEqualTo(3);
		assertThat(this.receiver.spans()).extracting((span) -> span.getName())
			.containsExactly("span-0", "span-1", "span-2");
		assertThat(this.receiver.spansByTraceId()).containsOnlyKeys(TestSpans.TRACE_ID);
		assertThat(this.receiver.requests()).singleElement().satisfies((request) -> {
			assertThat(request.signal()).isEqualTo(Signal.TRACES);
			assertThat(request.protocol()).isEqualTo(Protocol.HTTP);
			assertThat(request.header("x-api-key")).isEqualTo("secret");
			assertThat(request.headers()).containsEntry("content-type", "application/x-protobuf");
			assertThat(request.gzip()).isFalse();
			assertThat(request.spanCount()).isEqualTo(3);
			assertThat(request.accepted()).isTrue();
		});
	}

	@Test
	void gzipBodyIsDecodedAndFlagged() throws Exception {
		HttpResponse<byte[]> response = this.client.exportGzip(this.receiver.httpEndpoint(), TestSpans.request(2));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(this.receiver.spanCount()).isEqualTo(2);
		assertThat(this.receiver.requests()).singleElement().satisfies((request) -> {
			assertThat(request.gzip()).isTrue();
			assertThat(request.header("content-encoding")).isEqualTo("gzip");
		});
	}

	@Test
	void chunkedBodyIsRead() throws Exception {
		byte[] body = TestSpans.request(3).toByteArray();
		HttpResponse<byte[]> response = this.client
			.send(HttpRequest.newBuilder(URI.create(this.receiver.httpEndpoint()))
				.header("Content-Type", "application/x-protobuf")
				.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(this.receiver.spanCount()).isEqualTo(3);
		assertThat(this.receiver.requests()).singleElement()
			.satisfies((request) -> assertThat(request.header("transfer-encoding")).isEqualTo("chunked"));
	}

	@Test
	void http2PriorKnowledgeClientIsAnswered400OnceItsRequestArrived() throws Exception {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.receiver.httpPort())) {
			socket.setSoTimeout(5000);
			OutputStream out = socket.getOutputStream();
			out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
			// an empty SETTINGS frame, then a HEADERS frame without END_STREAM
			out.write(new byte[] { 0, 0, 0, 4, 0, 0, 0, 0, 0 });
			out.write(new byte[] { 0, 0, 1, 1, 4, 0, 0, 0, 1, (byte) 0x82 });
			out.flush();
			// no answer before the request is complete
			assertThat(socket.getInputStream().available()).isZero();
			// a DATA frame ending the stream completes it
			out.write(new byte[] { 0, 0, 2, 0, 1, 0, 0, 0, 1, 0, 0 });
			out.flush();
			String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
			assertThat(answer).startsWith("HTTP/1.1 400 ").contains("Connection: close");
		}
		assertThat(this.receiver.requestCount()).isZero();
	}

	@Test
	void clientOfferingHttp2UpgradeIsAnsweredWithHttp11() throws Exception {
		HttpExport client = new HttpExport(null, HttpClient.Version.HTTP_2);
		HttpResponse<byte[]> response = client.export(this.receiver.httpEndpoint(), TestSpans.request(1));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
		assertThat(this.receiver.spanCount()).isEqualTo(1);
	}

	@Test
	void keepAliveConnectionServesManyRequests() throws Exception {
		for (int i = 0; i < 5; i++) {
			assertThat(this.client.export(this.receiver.httpEndpoint(), TestSpans.request(1)).statusCode())
				.isEqualTo(200);
		}
		assertThat(this.receiver.spanCount()).isEqualTo(5);
		assertThat(this.receiver.requestCount()).isEqualTo(5);
	}

	@Test
	void otherPathIsNotFound() throws Exception {
		String url = "http://127.0.0.1:" + this.receiver.httpPort() + "/v1/metrics";
		HttpResponse<byte[]> response = this.client.export(url, TestSpans.request(1));
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(com.google.rpc.Status.parseFrom(response.body()).getMessage())
			.isEqualTo("No OTLP signal at /v1/metrics; traces go to /v1/traces, logs to /v1/logs");
		assertThat(this.receiver.spanCount()).isZero();
		assertThat(this.receiver.requests()).singleElement().satisfies((request) -> {
			assertThat(request.signal()).isNull();
			assertThat(request.accepted()).isFalse();
		});
		assertThat(this.receiver.requests(Signal.TRACES)).isEmpty();
		assertThat(this.receiver.requests(Signal.LOGS)).isEmpty();
	}

	@Test
	void logsPathRefusesWhatIsNotAnOtlpLogsRequest() throws Exception {
		URI logs = URI.create(this.receiver.httpEndpoint(Signal.LOGS));
		assertThat(this.client.send(HttpRequest.newBuilder(logs).GET()).statusCode()).isEqualTo(405);
		assertThat(this.client
			.send(HttpRequest.newBuilder(logs)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{}")))
			.statusCode()).isEqualTo(415);
		assertThat(this.client
			.send(HttpRequest.newBuilder(logs)
				.header("Content-Type", "application/x-protobuf")
				.POST(HttpRequest.BodyPublishers.ofString("<not protobuf>")))
			.statusCode()).isEqualTo(400);
		assertThat(this.receiver.requests(Signal.LOGS)).hasSize(3)
			.allSatisfy((request) -> assertThat(request.accepted()).isFalse());
		assertThat(this.receiver.logRecordCount()).isZero();
	}

	@Test
	void otherMethodIsNotAllowed() throws Exception {
		HttpResponse<byte[]> response = this.client
			.send(HttpRequest.newBuilder(URI.create(this.receiver.httpEndpoint())).GET());
		assertThat(response.statusCode()).isEqualTo(405);
		assertThat(response.headers().firstValue("allow")).hasValue("POST");
	}

	@Test
	void nonProtobufRequestIsRejected() throws Exception {
		HttpResponse<byte[]> response = this.client
			.send(HttpRequest.newBuilder(URI.create(this.receiver.httpEndpoint()))
				.header("Content-Type", "application/x-protobuf")
				.POST(HttpRequest.BodyPublishers.ofString("<not protobuf>")));
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(com.google.rpc.Status.parseFrom(response.body()).getMessage()).startsWith("Cannot decode");
		assertThat(this.receiver.spanCount()).isZero();
	}

	@Test
	void refusedConnectionThenAcceptOnSamePort() throws Exception {
		int port = this.receiver.httpPort();
		this.receiver.refuseConnections();
		assertThatExceptionOfType(ConnectException.class)
			.isThrownBy(() -> this.client.export(this.receiver.httpEndpoint(), TestSpans.request(1)));
		this.receiver.accept();
		assertThat(this.receiver.httpPort()).isEqualTo(port);
		assertThat(this.client.export(this.receiver.httpEndpoint(), TestSpans.request(1)).statusCode()).isEqualTo(200);
		assertThat(this.receiver.spanCount()).isEqualTo(1);
	}

	@Test
	void requiredHeaderMissingOrWrongIsUnauthorized() throws Exception {
		this.receiver.requireHeader("Authorization", "Bearer good");
		assertThat(this.client.export(this.receiver.httpEndpoint(), TestSpans.request(2)).statusCode()).isEqualTo(401);
		assertThat(this.client.export(this.receiver.httpEndpoint(), TestSpans.request(2), "Authorization", "Bearer bad")
			.statusCode()).isEqualTo(401);
		assertThat(
				this.client.export(this.receiver.httpEndpoint(), TestSpans.request(2), "Authorization", "Bearer good")
					.statusCode())
			.isEqualTo(200);
		assertThat(this.receiver.spanCount()).isEqualTo(2);
		assertThat(this.receiver.requests()).extracting(ReceivedRequest::accepted).containsExactly(false, false, true);
	}

	@ParameterizedTest
	@ValueSource(ints = { 400, 404, 413, 500, 502, 503, 504 })
	void chosenStatusIsAnsweredAndSpansAreNotCounted(int status) throws Exception {
		this.receiver.respondWithHttpStatus(status);
		HttpResponse<byte[]> response = this.client.export(this.receiver.httpEndpoint(), TestSpans.request(4));
		assertThat(response.statusCode()).isEqualTo(status);
		assertThat(response.headers().firstValue("retry-after")).isEmpty();
		assertThat(this.receiver.spanCount()).isZero();
		assertThat(this.receiver.requests()).singleElement().satisfies((request) -> {
			assertThat(request.spanCount()).isEqualTo(4);
			assertThat(request.accepted()).isFalse();
		});
	}

	@Test
	void tooManyRequestsWithRetryAfter() throws Exception {
		this.receiver.respondWithHttpStatus(429, Duration.ofMillis(2500));
		HttpResponse<byte[]> response = this.client.export(this.receiver.httpEndpoint(), TestSpans.request(1));
		assertThat(response.statusCode()).isEqualTo(429);
		assertThat(response.headers().firstValue("retry-after")).hasValue("3");
	}

	@Test
	void chosenHeadersAreSentAsGiven() throws Exception {
		this.receiver.respondWithHttpStatus(302, Map.of("Location", "https://elsewhere.example/v1/traces",
				"Retry-After", "Wed, 21 Oct 2026 07:28:00 GMT"));
		HttpResponse<byte[]> response = this.client.export(this.receiver.httpEndpoint(), TestSpans.request(1));
		assertThat(response.statusCode()).isEqualTo(302);
		assertThat(response.headers().firstValue("location")).hasValue("https://elsewhere.example/v1/traces");
		assertThat(response.headers().firstValue("retry-after")).hasValue("Wed, 21 Oct 2026 07:28:00 GMT");
		assertThat(this.receiver.spanCount()).isZero();
	}

	@Test
	void tricklingBodyArrivesWholeButSlowly() throws Exception {
		Duration byteInterval = Duration.ofMillis(10);
		this.receiver.respondWithTricklingBody(byteInterval);
		long start = System.nanoTime();
		HttpResponse<byte[]> response = this.client.export(this.receiver.httpEndpoint(), TestSpans.request(2));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).hasSize(64);
		assertThat(ExportTraceServiceResponse.parseFrom(response.body()).hasPartialSuccess()).isFalse();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(byteInterval.multipliedBy(63));
		assertThat(this.receiver.spanCount()).isEqualTo(2);
	}

	@Test
	void resetDuringResponseCutsTheBodyAfterTheSpansArrived() throws Exception {
		this.receiver.resetDuringResponses();
		byte[] request = TestSpans.request(3).toByteArray();
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.receiver.httpPort())) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(("POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\n"
					+ "Content-Length: " + request.length + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.write(request);
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] buffer = new byte[8192];
			assertThatExceptionOfType(SocketException.class).isThrownBy(() -> {
				for (int read; (read = in.read(buffer)) != -1;) {
					received.write(buffer, 0, read);
				}
			}).withMessageContaining("Connection reset");
		}
		String head = received.toString(StandardCharsets.ISO_8859_1);
		assertThat(head).startsWith("HTTP/1.1 200").contains("Content-Length: 4096");
		assertThat(received.size()).isLessThan(head.indexOf("\r\n\r\n") + 4 + 4096);
		assertThat(this.receiver.spanCount()).isEqualTo(3);
		this.receiver.accept();
		assertThat(this.client.export(this.receiver.httpEndpoint(), TestSpans.request(1)).statusCode()).isEqualTo(200);
	}

	@Test
	void partialSuccessIsDecodedAndCountsAcceptedSpans() throws Exception {
		this.receiver.partialSuccess(2, "two spans too old");
		HttpResponse<byte[]> response = this.client.export(this.receiver.httpEndpoint(), TestSpans.request(5));
		assertThat(response.statusCode()).isEqualTo(200);
		ExportTraceServiceResponse decoded = ExportTraceServiceResponse.parseFrom(response.body());
		assertThat(decoded.getPartialSuccess().getRejectedSpans()).isEqualTo(2);
		assertThat(decoded.getPartialSuccess().getErrorMessage()).isEqualTo("two spans too old");
		assertThat(this.receiver.spanCount()).isEqualTo(3);
	}

	@Test
	void garbageBodyIsNotProtobuf() throws Exception {
		this.receiver.respondWithGarbage();
		HttpResponse<byte[]> response = this.client.export(this.receiver.httpEndpoint(), TestSpans.request(1));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThatExceptionOfType(InvalidProtocolBufferException.class)
			.isThrownBy(() -> ExportTraceServiceResponse.parseFrom(response.body()));
	}

	@Test
	void hugeBodyIsValidProtobuf() throws Exception {
		this.receiver.respondWithHugeBody(8 * 1024 * 1024);
		HttpResponse<byte[]> response = this.client.export(this.receiver.httpEndpoint(), TestSpans.request(1));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).hasSize(8 * 1024 * 1024);
		assertThat(ExportTraceServiceResponse.parseFrom(response.body()).hasPartialSuccess()).isFalse();
	}

	@Test
	void resetConnectionIsSeenByClient() throws Exception {
		this.receiver.resetConnections();
		// Linux reports a received RST once: as "Connection reset" to whichever call
		// meets it first. When the client's write meets it, its read sees end of stream.
		assertThatIOException().isThrownBy(() -> this.client.export(this.receiver.httpEndpoint(), TestSpans.request(1)))
			.satisfies((ex) -> assertThat(ex).rootCause()
				.satisfiesAnyOf((cause) -> assertThat(cause).hasMessageContaining("Connection reset"),
						(cause) -> assertThat(cause).isInstanceOf(EOFException.class)));
		assertThat(this.receiver.requestCount()).isZero();
		this.receiver.accept();
		assertThat(this.client.export(this.receiver.httpEndpoint(), TestSpans.request(1)).statusCode()).isEqualTo(200);
	}

	@Test
	void resetIsATcpResetNotAnOrderlyClose() throws Exception {
		this.receiver.resetConnections();
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.receiver.httpPort())) {
			socket.setSoTimeout(10_000);
			// one write, so the reset can only be met by the read that follows
			socket.getOutputStream()
				.write("POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"
					.getBytes(StandardCharsets.US_ASCII));
			assertThatExceptionOfType(SocketException.class).isThrownBy(() -> socket.getInputStream().read())
				.withMessageContaining("Connection reset");
		}
		assertThat(this.receiver.requestCount()).isZero();
	}

	@Test
	void delayHoldsResponseBack() throws Exception {
		Duration delay = Duration.ofMillis(300);
		this.receiver.delayResponses(delay);
		long start = System.nanoTime();
		assertThat(this.client.export(this.receiver.httpEndpoint(), TestSpans.request(1)).statusCode()).isEqualTo(200);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(delay);
	}

	@Test
	void grpcOnlyFaultLeavesHttpAccepting() throws Exception {
		this.receiver.respondWithGrpcStatus(io.grpc.Status.Code.UNAVAILABLE);
		assertThat(this.client.export(this.receiver.httpEndpoint(), TestSpans.request(1)).statusCode()).isEqualTo(200);
	}

}
