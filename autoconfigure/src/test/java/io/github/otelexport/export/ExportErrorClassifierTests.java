package io.github.otelexport.export;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.MalformedURLException;
import java.net.ProtocolException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertPathValidatorException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

import io.github.otelexport.export.transport.OtlpResponse;
import io.github.otelexport.export.transport.TestOtlpResponses;
import io.github.otelexport.stats.ExportErrorCategory;
import io.github.otelexport.stats.ExportFailure;
import io.opentelemetry.sdk.common.export.GrpcStatusCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Tests for {@link ExportErrorClassifier}.
 *
 * @author otel-export authors
 */
class ExportErrorClassifierTests {

	private final ExportErrorClassifier classifier = new ExportErrorClassifier();

	static Stream<Arguments> exceptions() {
		return Stream.of(
				arguments(new ConnectException("Connection refused"), ExportErrorCategory.CONNECTION_REFUSED, true),
				arguments(
						new IOException("Failed to connect to localhost/127.0.0.1:4317",
								new ConnectException("Connection refused")),
						ExportErrorCategory.CONNECTION_REFUSED, true),
				arguments(new UnknownHostException("nonexistent.invalid"), ExportErrorCategory.UNKNOWN_HOST, true),
				arguments(new SocketTimeoutException("Read timed out"), ExportErrorCategory.DEADLINE_EXCEEDED, true),
				arguments(new InterruptedIOException("timeout"), ExportErrorCategory.DEADLINE_EXCEEDED, true),
				arguments(new SSLHandshakeException("PKIX path building failed"), ExportErrorCategory.TLS, false),
				arguments(new SSLException("Unrecognized SSL message, plaintext connection?"), ExportErrorCategory.TLS,
						false),
				arguments(new SSLPeerUnverifiedException("Hostname collector not verified"), ExportErrorCategory.TLS,
						false),
				arguments(new IOException("handshake", new CertPathValidatorException("expired")),
						ExportErrorCategory.TLS, false),
				arguments(new MalformedURLException("no protocol: localhost:4317"),
						ExportErrorCategory.INVALID_ENDPOINT, false),
				arguments(new ProtocolException("Too many follow-up requests"), ExportErrorCategory.INVALID_ENDPOINT,
						false),
				arguments(new IOException("Expected a SETTINGS frame but was 4"), ExportErrorCategory.INVALID_ENDPOINT,
						false),
				// OkHttp reading "HTTP/1.1 400 ..." from an HTTP/1.1 port as an HTTP/2
				// frame
				arguments(new IOException("FRAME_SIZE_ERROR: 4740180"), ExportErrorCategory.INVALID_ENDPOINT, false),
				arguments(new IOException("stream failed", new IOException("FRAME_SIZE_ERROR: 4740180")),
						ExportErrorCategory.INVALID_ENDPOINT, false),
				arguments(new SocketException("Connection reset"), ExportErrorCategory.UNAVAILABLE, true),
				arguments(new IOException("unexpected end of stream on http://localhost:4317/...",
						new EOFException("\\n not found")), ExportErrorCategory.UNAVAILABLE, true),
				arguments(new IOException("closed"), ExportErrorCategory.UNAVAILABLE, true),
				// OkHttp: the server accepted the connection and closed it before its
				// HTTP/2 settings, as one going away does
				arguments(new IOException("Required SETTINGS preface not received"), ExportErrorCategory.UNAVAILABLE,
						true),
				// the JDK HttpClient's failures for the same faults
				arguments(jdkConnectFailure(new ConnectException("Connection refused")),
						ExportErrorCategory.CONNECTION_REFUSED, true),
				arguments(jdkConnectFailure(new UnresolvedAddressException()), ExportErrorCategory.UNKNOWN_HOST, true),
				arguments(new HttpTimeoutException("request timed out"), ExportErrorCategory.DEADLINE_EXCEEDED, true),
				arguments(
						new HttpConnectTimeoutException("HTTP connect timed out")
							.initCause(new ConnectException("HTTP connect timed out")),
						ExportErrorCategory.DEADLINE_EXCEEDED, true),
				arguments(new EOFException("EOF reached while reading"), ExportErrorCategory.UNAVAILABLE, true),
				arguments(new IOException("Connection reset"), ExportErrorCategory.UNAVAILABLE, true),
				arguments(new IOException("connection closed locally"), ExportErrorCategory.UNAVAILABLE, true),
				arguments(new IOException("HTTP/1.1 header parser received no bytes"), ExportErrorCategory.UNAVAILABLE,
						true),
				arguments(
						new SSLHandshakeException("PKIX path building failed: unable to find valid certification path"),
						ExportErrorCategory.TLS, false),
				arguments(new IllegalStateException("boom"), ExportErrorCategory.UNKNOWN, false),
				arguments(new InterruptedIOException("interrupted"), ExportErrorCategory.UNKNOWN, false));
	}

	/**
	 * The JDK HttpClient reports every failure to connect as a ConnectException without a
	 * message, caused by what happened.
	 */
	private static ConnectException jdkConnectFailure(Throwable cause) {
		ConnectException failure = new ConnectException();
		failure.initCause(cause);
		return failure;
	}

	@ParameterizedTest
	@MethodSource("exceptions")
	void classifiesExceptionsFromTheCauseChain(Throwable failure, ExportErrorCategory category, boolean retryable) {
		assertClassified(this.classifier.classify(failure), category, retryable);
	}

	@Test
	void hostNameNotNamedByTheCertificateSaysSoAndThatInsecureSkipVerifyDoesNotHelp() {
		ExportFailure failure = this.classifier.classify(new SSLPeerUnverifiedException(
				"Hostname collector.internal not verified: DN: CN=localhost subjectAltNames: [127.0.0.1, localhost]"));
		assertThat(failure.category()).isEqualTo(ExportErrorCategory.TLS);
		assertThat(failure.message()).startsWith("The server's certificate does not name the host collector.internal")
			.contains("insecure-skip-verify skips the certificate chain check, not the host name check")
			.contains("subjectAltNames: [127.0.0.1, localhost]");
	}

	@Test
	void hostNameNotNamedByTheCertificateSaysSoForTheJdkHttpClient() {
		ExportFailure failure = this.classifier
			.classify(new IOException("No subject alternative names matching IP address 127.0.0.2 found",
					new SSLHandshakeException("No subject alternative names matching IP address 127.0.0.2 found")));
		assertThat(failure.category()).isEqualTo(ExportErrorCategory.TLS);
		assertThat(failure.retryable()).isFalse();
		assertThat(failure.message()).startsWith("The server's certificate does not name the host 127.0.0.2")
			.contains("insecure-skip-verify skips the certificate chain check, not the host name check");
	}

	static Stream<Arguments> httpStatuses() {
		return Stream.of(arguments(400, ExportErrorCategory.REJECTED, false),
				arguments(401, ExportErrorCategory.UNAUTHENTICATED, false),
				arguments(403, ExportErrorCategory.UNAUTHENTICATED, false),
				arguments(404, ExportErrorCategory.INVALID_ENDPOINT, false),
				arguments(405, ExportErrorCategory.INVALID_ENDPOINT, false),
				arguments(413, ExportErrorCategory.RESOURCE_EXHAUSTED, false),
				arguments(429, ExportErrorCategory.RESOURCE_EXHAUSTED, true),
				arguments(500, ExportErrorCategory.UNKNOWN, false),
				arguments(502, ExportErrorCategory.UNAVAILABLE, true),
				arguments(503, ExportErrorCategory.UNAVAILABLE, true),
				arguments(504, ExportErrorCategory.DEADLINE_EXCEEDED, true));
	}

	@ParameterizedTest
	@MethodSource("httpStatuses")
	void classifiesHttpResponses(int status, ExportErrorCategory category, boolean retryable) {
		ExportFailure classified = this.classifier.classify(TestOtlpResponses.http(status));
		assertClassified(classified, category, retryable);
		assertThat(classified.message()).startsWith("HTTP " + status);
	}

	static Stream<Arguments> grpcStatuses() {
		return Stream.of(arguments(GrpcStatusCode.CANCELLED, ExportErrorCategory.UNKNOWN, true),
				arguments(GrpcStatusCode.DEADLINE_EXCEEDED, ExportErrorCategory.DEADLINE_EXCEEDED, true),
				arguments(GrpcStatusCode.ABORTED, ExportErrorCategory.UNKNOWN, true),
				arguments(GrpcStatusCode.OUT_OF_RANGE, ExportErrorCategory.UNKNOWN, true),
				arguments(GrpcStatusCode.DATA_LOSS, ExportErrorCategory.UNKNOWN, true),
				arguments(GrpcStatusCode.UNAVAILABLE, ExportErrorCategory.UNAVAILABLE, true),
				arguments(GrpcStatusCode.UNAUTHENTICATED, ExportErrorCategory.UNAUTHENTICATED, false),
				arguments(GrpcStatusCode.PERMISSION_DENIED, ExportErrorCategory.UNAUTHENTICATED, false),
				arguments(GrpcStatusCode.RESOURCE_EXHAUSTED, ExportErrorCategory.RESOURCE_EXHAUSTED, false),
				arguments(GrpcStatusCode.UNIMPLEMENTED, ExportErrorCategory.INVALID_ENDPOINT, false),
				arguments(GrpcStatusCode.INVALID_ARGUMENT, ExportErrorCategory.REJECTED, false),
				arguments(GrpcStatusCode.INTERNAL, ExportErrorCategory.UNKNOWN, false));
	}

	@ParameterizedTest
	@MethodSource("grpcStatuses")
	void classifiesGrpcResponses(GrpcStatusCode status, ExportErrorCategory category, boolean retryable) {
		ExportFailure classified = this.classifier.classify(TestOtlpResponses.grpc(status.getValue(), "details", null));
		assertClassified(classified, category, retryable);
		assertThat(classified.message()).isEqualTo("gRPC " + status + ": details");
	}

	@Test
	void retriesRateLimitAfterTheDelayTheBackendAskedFor() {
		ExportFailure failure = this.classifier.classifyHttpStatus(429, "Too Many Requests", Duration.ofSeconds(3));
		assertThat(failure.retryable()).isTrue();
		assertThat(failure.retryAfter()).isEqualTo(Duration.ofSeconds(3));
	}

	@Test
	void doesNotRetryPayloadTooLargeEvenWithRetryAfter() {
		ExportFailure failure = this.classifier.classifyHttpStatus(413, null, Duration.ofSeconds(3));
		assertThat(failure.retryable()).isFalse();
		assertThat(failure.retryAfter()).isNull();
	}

	@Test
	void retriesGrpcResourceExhaustedOnlyWithRetryInfo() {
		assertThat(this.classifier.classifyGrpcStatus(GrpcStatusCode.RESOURCE_EXHAUSTED, "quota", null).retryable())
			.isFalse();
		ExportFailure withRetryInfo = this.classifier.classifyGrpcStatus(GrpcStatusCode.RESOURCE_EXHAUSTED, "quota",
				Duration.ofMillis(500));
		assertThat(withRetryInfo.retryable()).isTrue();
		assertThat(withRetryInfo.retryAfter()).isEqualTo(Duration.ofMillis(500));
	}

	@Test
	void theRecentErrorSaysWhatTheServerAskedFor() {
		ExportFailure http = this.classifier.classify(TestOtlpResponses.http(429, Duration.ofSeconds(7)));
		assertClassified(http, ExportErrorCategory.RESOURCE_EXHAUSTED, true);
		assertThat(http.retryAfter()).isEqualTo(Duration.ofSeconds(7));
		assertThat(http.message()).isEqualTo("HTTP 429; the server asked to retry after 7s");
		ExportFailure grpc = this.classifier.classify(
				TestOtlpResponses.grpc(GrpcStatusCode.RESOURCE_EXHAUSTED.getValue(), "quota", Duration.ofMillis(1500)));
		assertClassified(grpc, ExportErrorCategory.RESOURCE_EXHAUSTED, true);
		assertThat(grpc.message()).isEqualTo("gRPC RESOURCE_EXHAUSTED: quota; the server asked to retry after 1500ms");
	}

	@ParameterizedTest
	@ValueSource(ints = { 301, 302, 307, 308 })
	void aRedirectIsAnInvalidEndpointThatShowsWhereItPoints(int status) {
		ExportFailure failure = this.classifier.classify(TestOtlpResponses.http(status, "",
				Map.of("Location", List.of("https://user:pw@otlp.example.com/v1/traces?token=abc")), new byte[0]));
		assertClassified(failure, ExportErrorCategory.INVALID_ENDPOINT, false);
		assertThat(failure.message()).startsWith("HTTP " + status + " redirect to https://otlp.example.com/v1/traces: ")
			.contains("OTLP exporters do not follow redirects")
			.doesNotContain("pw")
			.doesNotContain("abc");
	}

	@Test
	void aRedirectWithoutLocationSaysSo() {
		assertThat(this.classifier.classify(TestOtlpResponses.http(302)).message())
			.startsWith("HTTP 302 redirect to nowhere");
	}

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void aProxyThatRequiresAClientCertificateIsTls(boolean grpc) {
		String page = "400 Bad Request: No required SSL certificate was sent";
		OtlpResponse response = grpc ? TestOtlpResponses.grpcWithoutStatus(400, page, false)
				: TestOtlpResponses.http(400, page, Map.of(), new byte[0]);
		ExportFailure failure = this.classifier.classify(response);
		assertClassified(failure, ExportErrorCategory.TLS, false);
		assertThat(failure.message()).contains("requires a client certificate")
			.contains("tls.client-certificate")
			.contains("No required SSL certificate was sent");
	}

	@Test
	void aProxyThatRequiresAClientCertificateAndAnswersGrpcInternalIsTls() {
		ExportFailure failure = this.classifier.classify(TestOtlpResponses.grpc(GrpcStatusCode.INTERNAL.getValue(),
				"upstream: client certificate required", null));
		assertClassified(failure, ExportErrorCategory.TLS, false);
		assertThat(failure.message()).startsWith("gRPC INTERNAL: the server requires a client certificate");
	}

	@Test
	void anAuthenticationAnswerThatMentionsCertificatesIsStillUnauthenticated() {
		String text = "missing API key or client certificate";
		assertClassified(this.classifier.classify(TestOtlpResponses.http(401, text, Map.of(), new byte[0])),
				ExportErrorCategory.UNAUTHENTICATED, false);
		assertClassified(
				this.classifier.classify(TestOtlpResponses.grpc(GrpcStatusCode.UNAUTHENTICATED.getValue(), text, null)),
				ExportErrorCategory.UNAUTHENTICATED, false);
	}

	@Test
	void aLongBackendTextIsCutAndMarked() {
		ExportFailure failure = this.classifier
			.classify(TestOtlpResponses.grpc(GrpcStatusCode.INVALID_ARGUMENT.getValue(), "x".repeat(1_000_000), null));
		assertThat(failure.message()).hasSizeLessThan(1024).endsWith("...");
	}

	@Test
	void aGrpcAnswerWithoutStatusIsClassifiedByItsHttpStatus() {
		ExportFailure failure = this.classifier
			.classify(TestOtlpResponses.grpcWithoutStatus(503, "upstream connect error", false));
		assertClassified(failure, ExportErrorCategory.UNAVAILABLE, true);
		assertThat(failure.message()).isEqualTo("no gRPC status, HTTP 503: upstream connect error");
	}

	@Test
	void anOversizedGrpcResponseDoesNotBlameTheRequest() {
		ExportFailure failure = this.classifier.classify(TestOtlpResponses.grpcWithoutStatus(200, "", true));
		assertClassified(failure, ExportErrorCategory.UNKNOWN, false);
		assertThat(failure.message()).contains("response was longer than 4 MiB").doesNotContain("batch-size");
	}

	@Test
	void keepsCredentialsOutOfMessages() {
		ExportFailure failure = this.classifier
			.classify(new ConnectException("Failed to connect to https://user:secret@collector:4318/v1/traces"));
		assertThat(failure.message()).doesNotContain("secret").contains("https://collector:4318/v1/traces");
	}

	@Test
	void keepsCredentialsAndSecretsOutOfStatusMessages() {
		ExportErrorClassifier redacting = new ExportErrorClassifier(SecretRedactor.of(List.of("Bearer tok-4711")));
		ExportFailure http = redacting.classifyHttpStatus(401,
				"token tok-4711 refused by https://user:secret@collector:4318", null);
		assertThat(http.message()).doesNotContain("tok-4711")
			.doesNotContain("secret")
			.contains("token ****** refused by https://collector:4318");
		ExportFailure grpc = redacting.classify(TestOtlpResponses.grpc(GrpcStatusCode.UNAUTHENTICATED.getValue(),
				"key 'Bearer tok-4711' at http://u:secret@proxy is wrong", null));
		assertThat(grpc.message()).isEqualTo("gRPC UNAUTHENTICATED: key '******' at http://proxy is wrong");
		assertThat(this.classifier.classifyHttpStatus(502, "Bad gateway http://u:pw@proxy", null).message())
			.isEqualTo("HTTP 502: Bad gateway http://proxy");
		assertThat(redacting.classify(new ConnectException("tok-4711")).message())
			.isEqualTo("ConnectException: ******");
	}

	@Test
	void timedOutIsRetryableDeadlineExceeded() {
		ExportFailure failure = this.classifier.timedOut(Duration.ofMillis(300));
		assertClassified(failure, ExportErrorCategory.DEADLINE_EXCEEDED, true);
		assertThat(failure.message()).contains("300ms");
	}

	private static void assertClassified(ExportFailure failure, ExportErrorCategory category, boolean retryable) {
		assertThat(failure.category()).isEqualTo(category);
		assertThat(failure.retryable()).as("retryable").isEqualTo(retryable);
	}

}
