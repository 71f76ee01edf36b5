package io.github.otelexport.export;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.export.transport.OtlpTransport;
import io.github.otelexport.export.transport.Signal;
import io.github.otelexport.export.transport.TlsSettings;
import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportErrorCategory;
import io.github.otelexport.stats.ExportSnapshot;
import io.github.otelexport.testkit.OtlpReceiver;
import io.github.otelexport.testkit.OtlpReceiverExtension;
import io.grpc.Status;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Tests that failures met over real loopback sockets, with the SDK's OTLP exporters, are
 * classified, retried or not, and counted.
 *
 * @author otel-export authors
 */
class RealSocketFailureTests {

	private static final int MAX_ATTEMPTS = 3;

	private static final Duration SHORT_TIMEOUT = Duration.ofMillis(300);

	private static final Duration TIMEOUT = Duration.ofSeconds(3);

	private static final OtlpProtocol GRPC = OtlpProtocol.GRPC;

	private static final OtlpProtocol HTTP = OtlpProtocol.HTTP_PROTOBUF;

	@RegisterExtension
	static final OtlpReceiverExtension receiverExtension = new OtlpReceiverExtension();

	@RegisterExtension
	static final OtlpReceiverExtension tlsReceiverExtension = OtlpReceiverExtension.tls();

	private final TestTime time = new TestTime();

	static Stream<Arguments> failures() {
		return Stream.of(
				scenario("refused", GRPC, closedPort("http://127.0.0.1:%d"), none(),
						ExportErrorCategory.CONNECTION_REFUSED, true),
				scenario("refused", HTTP, closedPort("http://127.0.0.1:%d/v1/traces"), none(),
						ExportErrorCategory.CONNECTION_REFUSED, true),
				scenario("unknown host", GRPC, (receiver) -> "http://nonexistent.invalid:4317", none(),
						ExportErrorCategory.UNKNOWN_HOST, true),
				scenario("unknown host", HTTP, (receiver) -> "http://nonexistent.invalid:4318/v1/traces", none(),
						ExportErrorCategory.UNKNOWN_HOST, true),
				scenario("slow", GRPC, OtlpReceiver::grpcEndpoint,
						(receiver) -> receiver.delayResponses(Duration.ofSeconds(2)),
						ExportErrorCategory.DEADLINE_EXCEEDED, true),
				scenario("slow", HTTP, OtlpReceiver::httpEndpoint,
						(receiver) -> receiver.delayResponses(Duration.ofSeconds(2)),
						ExportErrorCategory.DEADLINE_EXCEEDED, true),
				scenario("wrong token", GRPC, OtlpReceiver::grpcEndpoint,
						(receiver) -> receiver.requireHeader("authorization", "Bearer right"),
						ExportErrorCategory.UNAUTHENTICATED, false),
				scenario("wrong token", HTTP, OtlpReceiver::httpEndpoint,
						(receiver) -> receiver.requireHeader("authorization", "Bearer right"),
						ExportErrorCategory.UNAUTHENTICATED, false),
				scenario("payload too large", HTTP, OtlpReceiver::httpEndpoint,
						(receiver) -> receiver.respondWithHttpStatus(413), ExportErrorCategory.RESOURCE_EXHAUSTED,
						false),
				scenario("rate limited", HTTP, OtlpReceiver::httpEndpoint,
						(receiver) -> receiver.respondWithHttpStatus(429, Duration.ofSeconds(1)),
						ExportErrorCategory.RESOURCE_EXHAUSTED, true),
				scenario("resource exhausted", GRPC, OtlpReceiver::grpcEndpoint,
						(receiver) -> receiver.respondWithGrpcStatus(Status.Code.RESOURCE_EXHAUSTED),
						ExportErrorCategory.RESOURCE_EXHAUSTED, false),
				// retried only when the server says when, as the OTLP specification says
				scenario("resource exhausted with retry info", GRPC, OtlpReceiver::grpcEndpoint,
						(receiver) -> receiver.respondWithGrpcStatus(Status.Code.RESOURCE_EXHAUSTED,
								Duration.ofMillis(100)),
						ExportErrorCategory.RESOURCE_EXHAUSTED, true),
				scenario("redirect", HTTP, OtlpReceiver::httpEndpoint,
						(receiver) -> receiver.respondWithHttpStatus(302,
								Map.of("Location", "https://otlp.example.com/v1/traces")),
						ExportErrorCategory.INVALID_ENDPOINT, false),
				scenario("wrong path", HTTP, (receiver) -> receiver.httpEndpoint().replace("/v1/traces", "/v1/trace"),
						none(), ExportErrorCategory.INVALID_ENDPOINT, false),
				scenario("unimplemented", GRPC, OtlpReceiver::grpcEndpoint,
						(receiver) -> receiver.respondWithGrpcStatus(Status.Code.UNIMPLEMENTED),
						ExportErrorCategory.INVALID_ENDPOINT, false),
				scenario("unavailable", HTTP, OtlpReceiver::httpEndpoint,
						(receiver) -> receiver.respondWithHttpStatus(503), ExportErrorCategory.UNAVAILABLE, true),
				scenario("unavailable", GRPC, OtlpReceiver::grpcEndpoint,
						(receiver) -> receiver.respondWithGrpcStatus(Status.Code.UNAVAILABLE),
						ExportErrorCategory.UNAVAILABLE, true),
				scenario("reset", HTTP, OtlpReceiver::httpEndpoint, OtlpReceiver::resetConnections,
						ExportErrorCategory.UNAVAILABLE, true),
				scenario("reset", GRPC, OtlpReceiver::grpcEndpoint, OtlpReceiver::resetConnections,
						ExportErrorCategory.UNAVAILABLE, true),
				scenario("bad request", HTTP, OtlpReceiver::httpEndpoint,
						(receiver) -> receiver.respondWithHttpStatus(400), ExportErrorCategory.REJECTED, false),
				scenario("invalid argument", GRPC, OtlpReceiver::grpcEndpoint,
						(receiver) -> receiver.respondWithGrpcStatus(Status.Code.INVALID_ARGUMENT),
						ExportErrorCategory.REJECTED, false));
	}

	@ParameterizedTest(name = "{0} over {1}")
	@MethodSource("failures")
	void classifiesRetriesAndCounts(String name, OtlpProtocol protocol, Function<OtlpReceiver, String> endpoint,
			Consumer<OtlpReceiver> fault, ExportErrorCategory category, boolean retried) {
		classifiesRetriesAndCounts(Signal.TRACES, protocol, endpoint, fault, category, retried);
	}

	@ParameterizedTest(name = "{0} over {1}")
	@MethodSource("failures")
	void classifiesRetriesAndCountsLogRecords(String name, OtlpProtocol protocol,
			Function<OtlpReceiver, String> endpoint, Consumer<OtlpReceiver> fault, ExportErrorCategory category,
			boolean retried) {
		classifiesRetriesAndCounts(Signal.LOGS, protocol, endpoint, fault, category, retried);
	}

	private void classifiesRetriesAndCounts(Signal signal, OtlpProtocol protocol,
			Function<OtlpReceiver, String> endpoint, Consumer<OtlpReceiver> fault, ExportErrorCategory category,
			boolean retried) {
		OtlpReceiver receiver = receiverExtension.get();
		fault.accept(receiver);
		ExporterSettings settings = ExporterSettings.of(DestinationRole.PRIMARY, protocol, endpoint.apply(receiver))
			.withTimeout((category != ExportErrorCategory.DEADLINE_EXCEEDED) ? TIMEOUT : SHORT_TIMEOUT)
			.withHeaders(Map.of("authorization", "Bearer wrong"));
		ResilientSpanExporter exporter = exporter(settings);
		try {
			CompletableResultCode result = (signal == Signal.TRACES) ? exporter.export(TestSpans.batch(4))
					: exporter.logRecordExporter().export(TestLogs.batch(4));
			assertThat(result.isSuccess()).isFalse();
			ExportSnapshot snapshot = exporter.statistics(signal).snapshot();
			// an unresolvable host is retried only briefly
			int attempts = !retried ? 1 : (category == ExportErrorCategory.UNKNOWN_HOST)
					? ResilientSpanExporter.UNKNOWN_HOST_MAX_ATTEMPTS : MAX_ATTEMPTS;
			assertThat(snapshot.errorsByCategory()).as(() -> "errors: " + snapshot.recentErrors())
				.containsExactly(Map.entry(category, (long) attempts));
			assertThat(snapshot.exporters().get(0).failedAttempts()).isEqualTo(attempts);
			assertThat(snapshot.retries()).isEqualTo(attempts - 1);
			DropReason reason = retried ? DropReason.RETRIES_EXHAUSTED : DropReason.PERMANENT_ERROR;
			assertThat(snapshot.droppedByReason()).containsExactly(Map.entry(reason, 4L));
			// the receiver echoes the refused header value: it must be masked
			assertThat(snapshot.lastError().message()).doesNotContain("wrong");
			if (category != ExportErrorCategory.DEADLINE_EXCEEDED) {
				// A request that timed out on the client may still arrive
				assertThat(receiver.spanCount()).isZero();
				assertThat(receiver.logRecordCount()).isZero();
			}
			ResilientSpanExporterTests.assertIdentity(snapshot, 4);
			// the other signal's counting saw nothing of it
			Signal other = (signal == Signal.TRACES) ? Signal.LOGS : Signal.TRACES;
			assertThat(exporter.statistics(other).snapshot().errorsByCategory()).isEmpty();
		}
		finally {
			exporter.shutdown();
			if (signal == Signal.LOGS) {
				exporter.logRecordExporter().shutdown();
			}
		}
	}

	@Test
	void classifiesGrpcSpokenToTheHttpPortAsInvalidEndpoint() {
		OtlpReceiver receiver = receiverExtension.get();
		ExporterSettings settings = ExporterSettings
			.of(DestinationRole.PRIMARY, GRPC, "http://127.0.0.1:" + receiver.httpPort())
			.withTimeout(TIMEOUT);
		ResilientSpanExporter exporter = exporter(settings);
		try {
			assertThat(exporter.export(TestSpans.batch(4)).isSuccess()).isFalse();
			ExportSnapshot snapshot = exporter.statistics().snapshot();
			// The HTTP/1.1 server answers the HTTP/2 preface with a 400 and closes
			// gracefully; the client reads "HTTP/1.1 400" as a frame header whose length
			// is too large: a protocol error, not retried
			assertThat(snapshot.errorsByCategory())
				.containsExactly(Map.entry(ExportErrorCategory.INVALID_ENDPOINT, 1L));
			assertThat(snapshot.retries()).isZero();
			assertThat(snapshot.droppedByReason()).containsExactly(Map.entry(DropReason.PERMANENT_ERROR, 4L));
			assertThat(snapshot.lastError().message()).isEqualTo("IOException: FRAME_SIZE_ERROR: 4740180");
			assertThat(receiver.spanCount()).isZero();
			ResilientSpanExporterTests.assertIdentity(snapshot, 4);
		}
		finally {
			exporter.shutdown();
		}
	}

	@ParameterizedTest(name = "untrusted certificate over {0}")
	@MethodSource("protocols")
	void classifiesUntrustedCertificateAsTls(OtlpProtocol protocol) {
		OtlpReceiver receiver = tlsReceiverExtension.get();
		String endpoint = GRPC.equals(protocol) ? receiver.grpcEndpoint() : receiver.httpEndpoint();
		ResilientSpanExporter exporter = exporter(
				ExporterSettings.of(DestinationRole.PRIMARY, protocol, endpoint).withTimeout(Duration.ofSeconds(2)));
		try {
			assertThat(exporter.export(TestSpans.batch(2)).isSuccess()).isFalse();
			ExportSnapshot snapshot = exporter.statistics().snapshot();
			assertThat(snapshot.errorsByCategory()).containsExactly(Map.entry(ExportErrorCategory.TLS, 1L));
			assertThat(snapshot.droppedByReason()).containsExactly(Map.entry(DropReason.PERMANENT_ERROR, 2L));
			ResilientSpanExporterTests.assertIdentity(snapshot, 2);
		}
		finally {
			exporter.shutdown();
		}
	}

	@ParameterizedTest(name = "trusted certificate over {0}")
	@MethodSource("protocols")
	void exportsOverTlsWithTheReceiversCa(OtlpProtocol protocol) {
		OtlpReceiver receiver = tlsReceiverExtension.get();
		String endpoint = GRPC.equals(protocol) ? receiver.grpcEndpoint() : receiver.httpEndpoint();
		ResilientSpanExporter exporter = exporter(ExporterSettings.of(DestinationRole.PRIMARY, protocol, endpoint)
			.withTls(TlsSettings.pem(receiver.caCertificatePem(), null, null)));
		try {
			assertThat(exporter.export(TestSpans.batch(3)).isSuccess()).isTrue();
			assertThat(receiver.spanCount()).isEqualTo(3);
			ResilientSpanExporterTests.assertIdentity(exporter.statistics().snapshot(), 3);
		}
		finally {
			exporter.shutdown();
		}
	}

	@ParameterizedTest(name = "insecure skip verify over {0}")
	@MethodSource("protocols")
	void exportsOverTlsWithoutVerificationWhenAskedTo(OtlpProtocol protocol) {
		OtlpReceiver receiver = tlsReceiverExtension.get();
		String endpoint = GRPC.equals(protocol) ? receiver.grpcEndpoint() : receiver.httpEndpoint();
		ResilientSpanExporter exporter = exporter(
				ExporterSettings.of(DestinationRole.PRIMARY, protocol, endpoint).withTls(TlsSettings.insecure()));
		try {
			assertThat(exporter.export(TestSpans.batch(2)).isSuccess()).isTrue();
			assertThat(receiver.spanCount()).isEqualTo(2);
		}
		finally {
			exporter.shutdown();
		}
	}

	@ParameterizedTest(name = "partial success over {0}")
	@MethodSource("protocols")
	void countsSpansRejectedInAPartialSuccess(OtlpProtocol protocol) {
		OtlpReceiver receiver = receiverExtension.get();
		receiver.partialSuccess(2, "invalid attribute");
		String endpoint = GRPC.equals(protocol) ? receiver.grpcEndpoint() : receiver.httpEndpoint();
		ResilientSpanExporter exporter = exporter(ExporterSettings.of(DestinationRole.PRIMARY, protocol, endpoint));
		try {
			assertThat(exporter.export(TestSpans.batch(5)).isSuccess()).isTrue();
			ExportSnapshot snapshot = exporter.statistics().snapshot();
			assertThat(receiver.spanCount()).isEqualTo(3);
			assertThat(snapshot.exporters().get(0).exportedSpans()).isEqualTo(3);
			assertThat(snapshot.droppedByReason()).containsExactly(Map.entry(DropReason.PERMANENT_ERROR, 2L));
			assertThat(snapshot.errorsByCategory()).containsExactly(Map.entry(ExportErrorCategory.REJECTED, 1L));
			assertThat(snapshot.lastError().message())
				.isEqualTo("Partial success: the backend rejected 2 of 5 spans: invalid attribute");
			assertThat(snapshot.lastError().spans()).isEqualTo(2);
			// Not retried, and the backend is reachable: no failure, the circuit stays
			// closed
			assertThat(snapshot.retries()).isZero();
			assertThat(snapshot.exporters().get(0).failedAttempts()).isZero();
			assertThat(snapshot.consecutiveFailures()).isZero();
			assertThat(snapshot.lastSuccess()).isNotNull();
			assertThat(snapshot.failingSince()).isNull();
			ResilientSpanExporterTests.assertIdentity(snapshot, 5);
			receiver.accept();
			assertThat(exporter.export(TestSpans.batch(4)).isSuccess()).isTrue();
			snapshot = exporter.statistics().snapshot();
			assertThat(snapshot.exporters().get(0).exportedSpans()).isEqualTo(7);
			assertThat(snapshot.errorsByCategory()).containsExactly(Map.entry(ExportErrorCategory.REJECTED, 1L));
			ResilientSpanExporterTests.assertIdentity(snapshot, 9);
		}
		finally {
			exporter.shutdown();
		}
	}

	@ParameterizedTest(name = "partial success rejecting every span over {0}")
	@MethodSource("protocols")
	void partialSuccessRejectingEverySpanIsAFailedAttempt(OtlpProtocol protocol) {
		OtlpReceiver receiver = receiverExtension.get();
		receiver.partialSuccess(4, "all refused");
		String endpoint = GRPC.equals(protocol) ? receiver.grpcEndpoint() : receiver.httpEndpoint();
		ResilientSpanExporter exporter = exporter(ExporterSettings.of(DestinationRole.PRIMARY, protocol, endpoint));
		try {
			assertThat(exporter.export(TestSpans.batch(4)).isSuccess()).isFalse();
			ExportSnapshot snapshot = exporter.statistics().snapshot();
			assertThat(receiver.spanCount()).isZero();
			assertThat(snapshot.errorsByCategory()).containsExactly(Map.entry(ExportErrorCategory.REJECTED, 1L));
			assertThat(snapshot.droppedByReason()).containsExactly(Map.entry(DropReason.PERMANENT_ERROR, 4L));
			assertThat(snapshot.exporters().get(0).failedAttempts()).isEqualTo(1);
			assertThat(snapshot.exporters().get(0).successfulBatches()).isZero();
			assertThat(snapshot.lastSuccess()).isNull();
			assertThat(snapshot.lastError().message())
				.isEqualTo("Partial success: the backend rejected 4 of 4 spans: all refused");
			ResilientSpanExporterTests.assertIdentity(snapshot, 4);
		}
		finally {
			exporter.shutdown();
		}
	}

	@ParameterizedTest(name = "partial success warning over {0}")
	@MethodSource("protocols")
	void partialSuccessWithoutRejectedSpansIsASuccess(OtlpProtocol protocol) {
		OtlpReceiver receiver = receiverExtension.get();
		receiver.partialSuccess(0, "attribute value truncated");
		String endpoint = GRPC.equals(protocol) ? receiver.grpcEndpoint() : receiver.httpEndpoint();
		ResilientSpanExporter exporter = exporter(ExporterSettings.of(DestinationRole.PRIMARY, protocol, endpoint));
		try {
			assertThat(exporter.export(TestSpans.batch(3)).isSuccess()).isTrue();
			ExportSnapshot snapshot = exporter.statistics().snapshot();
			assertThat(snapshot.exporters().get(0).exportedSpans()).isEqualTo(3);
			assertThat(snapshot.errorsByCategory()).isEmpty();
			assertThat(snapshot.droppedByReason()).isEmpty();
			assertThat(receiver.spanCount()).isEqualTo(3);
		}
		finally {
			exporter.shutdown();
		}
	}

	static Stream<Arguments> throttlingAnswers() {
		return Stream.of(
				arguments(HTTP,
						(Consumer<OtlpReceiver>) (receiver) -> receiver.respondWithHttpStatus(429,
								Duration.ofSeconds(2))),
				arguments(HTTP,
						(Consumer<OtlpReceiver>) (receiver) -> receiver.respondWithHttpStatus(503,
								Duration.ofSeconds(2))),
				arguments(GRPC,
						(Consumer<OtlpReceiver>) (receiver) -> receiver
							.respondWithGrpcStatus(Status.Code.RESOURCE_EXHAUSTED, Duration.ofSeconds(2))),
				arguments(GRPC, (Consumer<OtlpReceiver>) (receiver) -> receiver
					.respondWithGrpcStatus(Status.Code.UNAVAILABLE, Duration.ofSeconds(2))));
	}

	@ParameterizedTest(name = "{index}: {0}")
	@MethodSource("throttlingAnswers")
	void theDelayTheServerAskedForIsTheNextDelay(OtlpProtocol protocol, Consumer<OtlpReceiver> throttle) {
		OtlpReceiver receiver = receiverExtension.get();
		throttle.accept(receiver);
		String endpoint = (protocol == GRPC) ? receiver.grpcEndpoint() : receiver.httpEndpoint();
		TestSleeper sleeper = new TestSleeper(this.time);
		ResilientSpanExporter exporter = exporter(ExporterSettings.of(DestinationRole.PRIMARY, protocol, endpoint),
				RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(10)).jitter(0).build(), sleeper);
		try {
			assertThat(exporter.export(TestSpans.batch(2)).isSuccess()).isFalse();
			// not the 10ms and 20ms of the policy: the server's 2s, each time
			assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2));
			assertThat(receiver.requestCount()).isEqualTo(3);
			assertThat(exporter.statistics().snapshot().lastError().message())
				.endsWith("; the server asked to retry after 2s");
		}
		finally {
			exporter.shutdown();
		}
	}

	@ParameterizedTest
	@MethodSource("protocols")
	void anAbsurdServerDelayNeverHoldsABatchPastItsBudget(OtlpProtocol protocol) {
		OtlpReceiver receiver = receiverExtension.get();
		if (protocol == GRPC) {
			receiver.respondWithGrpcStatus(Status.Code.UNAVAILABLE, Duration.ofSeconds(999_999));
		}
		else {
			receiver.respondWithHttpStatus(429, Duration.ofSeconds(999_999));
		}
		String endpoint = (protocol == GRPC) ? receiver.grpcEndpoint() : receiver.httpEndpoint();
		TestSleeper sleeper = new TestSleeper(this.time);
		RetryPolicy policy = RetryPolicy.builder().maxElapsedTime(Duration.ofSeconds(5)).build();
		ResilientSpanExporter exporter = exporter(ExporterSettings.of(DestinationRole.PRIMARY, protocol, endpoint),
				policy, sleeper);
		try {
			assertThat(exporter.export(TestSpans.batch(2)).isSuccess()).isFalse();
			assertThat(sleeper.sleeps()).isEmpty();
			assertThat(receiver.requestCount()).isEqualTo(1);
			assertThat(exporter.statistics().snapshot().droppedByReason())
				.containsExactly(Map.entry(DropReason.RETRIES_EXHAUSTED, 2L));
			assertThat(this.time.elapsed()).isLessThan(policy.maxElapsedTime());
		}
		finally {
			exporter.shutdown();
		}
	}

	@ParameterizedTest
	@MethodSource("protocols")
	void aThrottlingAnswerPausesTheDestinationForEveryBatch(OtlpProtocol protocol) {
		OtlpReceiver receiver = receiverExtension.get();
		if (protocol == GRPC) {
			receiver.respondWithGrpcStatus(Status.Code.RESOURCE_EXHAUSTED, Duration.ofSeconds(7));
		}
		else {
			receiver.respondWithHttpStatus(429, Duration.ofSeconds(7));
		}
		String endpoint = (protocol == GRPC) ? receiver.grpcEndpoint() : receiver.httpEndpoint();
		TestSleeper sleeper = new TestSleeper(this.time);
		// one attempt a batch: the first batch gives up at once, the pause stays (the
		// others wait at most the longest backoff: longer than the 7s here)
		ResilientSpanExporter exporter = exporter(ExporterSettings.of(DestinationRole.PRIMARY, protocol, endpoint),
				RetryPolicy.builder()
					.maxAttempts(1)
					.maxBackoff(Duration.ofSeconds(30))
					.maxElapsedTime(Duration.ofSeconds(25))
					.build(),
				sleeper);
		try {
			assertThat(exporter.export(TestSpans.batch(2)).isSuccess()).isFalse();
			assertThat(sleeper.sleeps()).isEmpty();
			receiver.accept();
			Duration before = this.time.elapsed();
			assertThat(exporter.export(TestSpans.batch(3)).isSuccess()).isTrue();
			// the next batch waited out the 7s the server asked for before it was sent
			assertThat(sleeper.sleeps()).singleElement()
				.satisfies((sleep) -> assertThat(sleep).isLessThanOrEqualTo(Duration.ofSeconds(7))
					.isGreaterThan(Duration.ofSeconds(6)));
			assertThat(this.time.elapsed().minus(before)).isGreaterThan(Duration.ofSeconds(6));
			assertThat(receiver.requestCount()).isEqualTo(2);
			assertThat(receiver.spanCount()).isEqualTo(3);
		}
		finally {
			exporter.shutdown();
		}
	}

	@Test
	void aRedirectShowsWhereItPoints() {
		OtlpReceiver receiver = receiverExtension.get();
		receiver.respondWithHttpStatus(307, Map.of("Location", "https://otlp.example.com/v1/traces"));
		ResilientSpanExporter exporter = exporter(
				ExporterSettings.of(DestinationRole.PRIMARY, HTTP, receiver.httpEndpoint()).withTimeout(TIMEOUT));
		try {
			assertThat(exporter.export(TestSpans.batch(1)).isSuccess()).isFalse();
			assertThat(exporter.statistics().snapshot().lastError().message())
				.startsWith("HTTP 307 redirect to https://otlp.example.com/v1/traces: ")
				.contains("do not follow redirects");
		}
		finally {
			exporter.shutdown();
		}
	}

	@Test
	void aBodyThatTricklesEndsAtTheDeadlineAndTheExporterWorksOnceTheBackendIsWell() {
		OtlpReceiver receiver = receiverExtension.get();
		receiver.respondWithTricklingBody(Duration.ofSeconds(1));
		ResilientSpanExporter exporter = exporter(
				ExporterSettings.of(DestinationRole.PRIMARY, HTTP, receiver.httpEndpoint()).withTimeout(SHORT_TIMEOUT));
		try {
			// more trickling answers than the transport has threads
			for (int i = 0; i < 4; i++) {
				assertThat(exporter.export(TestSpans.batch(1)).isSuccess()).isFalse();
			}
			ExportSnapshot snapshot = exporter.statistics().snapshot();
			assertThat(snapshot.errorsByCategory())
				.containsExactly(Map.entry(ExportErrorCategory.DEADLINE_EXCEEDED, 4L * MAX_ATTEMPTS));
			receiver.accept();
			receiver.clear();
			assertThat(exporter.export(TestSpans.batch(2)).isSuccess()).isTrue();
			assertThat(receiver.spanCount()).isEqualTo(2);
		}
		finally {
			exporter.shutdown();
		}
	}

	@Test
	void aResetInTheMiddleOfTheAnswerIsUnavailableAndRetried() {
		OtlpReceiver receiver = receiverExtension.get();
		// the receiver stored the spans; the client never learns it
		receiver.resetDuringResponses();
		ResilientSpanExporter exporter = exporter(
				ExporterSettings.of(DestinationRole.PRIMARY, HTTP, receiver.httpEndpoint()).withTimeout(TIMEOUT));
		try {
			assertThat(exporter.export(TestSpans.batch(2)).isSuccess()).isFalse();
			ExportSnapshot snapshot = exporter.statistics().snapshot();
			assertThat(snapshot.errorsByCategory()).as(() -> "errors: " + snapshot.recentErrors())
				.containsExactly(Map.entry(ExportErrorCategory.UNAVAILABLE, (long) MAX_ATTEMPTS));
			receiver.accept();
			assertThat(exporter.export(TestSpans.batch(2)).isSuccess()).isTrue();
		}
		finally {
			exporter.shutdown();
		}
	}

	@Test
	void exportsEveryProtocolToAHealthyReceiver() {
		OtlpReceiver receiver = receiverExtension.get();
		for (OtlpProtocol protocol : new OtlpProtocol[] { GRPC, HTTP }) {
			String endpoint = GRPC.equals(protocol) ? receiver.grpcEndpoint() : receiver.httpEndpoint();
			ResilientSpanExporter exporter = exporter(ExporterSettings.of(DestinationRole.PRIMARY, protocol, endpoint));
			try {
				assertThat(exporter.export(TestSpans.batch(2)).isSuccess()).isTrue();
			}
			finally {
				exporter.shutdown();
			}
		}
		assertThat(receiver.spanCount()).isEqualTo(4);
	}

	static Stream<OtlpProtocol> protocols() {
		return Stream.of(GRPC, HTTP);
	}

	private ResilientSpanExporter exporter(ExporterSettings settings) {
		return exporter(settings,
				RetryPolicy.builder()
					.maxAttempts(MAX_ATTEMPTS)
					.initialBackoff(Duration.ofMillis(10))
					.jitter(0)
					.maxElapsedTime(Duration.ofSeconds(5))
					.build(),
				new TestSleeper(this.time));
	}

	private ResilientSpanExporter exporter(ExporterSettings settings, RetryPolicy policy, TestSleeper sleeper) {
		OtlpTransport delegate = OtlpTransports.create(settings);
		return ResilientSpanExporter.builder(delegate, settings.description())
			.retryPolicy(policy)
			.attemptTimeout(settings.timeout().plusSeconds(1))
			.redactSecrets(settings.secretHeaderValues())
			.clock(this.time)
			.ticker(this.time)
			.sleeper(sleeper)
			.build();
	}

	private static Arguments scenario(String name, OtlpProtocol protocol, Function<OtlpReceiver, String> endpoint,
			Consumer<OtlpReceiver> fault, ExportErrorCategory category, boolean retried) {
		return arguments(name, protocol, endpoint, fault, category, retried);
	}

	private static Consumer<OtlpReceiver> none() {
		return (receiver) -> {
		};
	}

	private static Function<OtlpReceiver, String> closedPort(String format) {
		return (receiver) -> String.format(format, closedPort());
	}

	static int closedPort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
