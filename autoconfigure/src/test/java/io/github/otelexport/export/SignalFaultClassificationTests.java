package io.github.otelexport.export;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.export.transport.OtlpRequestEncoder;
import io.github.otelexport.export.transport.OtlpResponse;
import io.github.otelexport.export.transport.OtlpTransport;
import io.github.otelexport.export.transport.Signal;
import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.stats.ExportErrorCategory;
import io.github.otelexport.stats.ExportFailure;
import io.github.otelexport.testkit.OtlpReceiver;
import io.github.otelexport.testkit.OtlpReceiverExtension;
import io.grpc.Status;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * A fault met by a log request is classified as the same fault met by a span request: one
 * transport sends both, against the testkit's real servers and faults.
 *
 * @author otel-export authors
 */
class SignalFaultClassificationTests {

	private static final OtlpProtocol GRPC = OtlpProtocol.GRPC;

	private static final OtlpProtocol HTTP = OtlpProtocol.HTTP_PROTOBUF;

	@RegisterExtension
	static final OtlpReceiverExtension receiverExtension = new OtlpReceiverExtension();

	static Stream<Arguments> faults() {
		Consumer<OtlpReceiver> slow = (receiver) -> receiver.delayResponses(Duration.ofSeconds(2));
		Consumer<OtlpReceiver> token = (receiver) -> receiver.requireHeader("authorization", "Bearer right");
		return Stream.of(arguments("refused", GRPC, null, ExportErrorCategory.CONNECTION_REFUSED),
				arguments("refused", HTTP, null, ExportErrorCategory.CONNECTION_REFUSED),
				arguments("slow", GRPC, slow, ExportErrorCategory.DEADLINE_EXCEEDED),
				arguments("slow", HTTP, slow, ExportErrorCategory.DEADLINE_EXCEEDED),
				arguments("wrong token", GRPC, token, ExportErrorCategory.UNAUTHENTICATED),
				arguments("wrong token", HTTP, token, ExportErrorCategory.UNAUTHENTICATED),
				arguments("rate limited", HTTP,
						(Consumer<OtlpReceiver>) (receiver) -> receiver.respondWithHttpStatus(429,
								Duration.ofSeconds(1)),
						ExportErrorCategory.RESOURCE_EXHAUSTED),
				arguments("unavailable", GRPC,
						(Consumer<OtlpReceiver>) (receiver) -> receiver.respondWithGrpcStatus(Status.Code.UNAVAILABLE),
						ExportErrorCategory.UNAVAILABLE),
				arguments("unavailable", HTTP,
						(Consumer<OtlpReceiver>) (receiver) -> receiver.respondWithHttpStatus(503),
						ExportErrorCategory.UNAVAILABLE),
				arguments("reset", GRPC, (Consumer<OtlpReceiver>) OtlpReceiver::resetConnections,
						ExportErrorCategory.UNAVAILABLE),
				arguments("reset", HTTP, (Consumer<OtlpReceiver>) OtlpReceiver::resetConnections,
						ExportErrorCategory.UNAVAILABLE),
				arguments("invalid argument", GRPC,
						(Consumer<OtlpReceiver>) (receiver) -> receiver
							.respondWithGrpcStatus(Status.Code.INVALID_ARGUMENT),
						ExportErrorCategory.REJECTED),
				arguments("bad request", HTTP,
						(Consumer<OtlpReceiver>) (receiver) -> receiver.respondWithHttpStatus(400),
						ExportErrorCategory.REJECTED));
	}

	@ParameterizedTest(name = "{0} over {1}")
	@MethodSource("faults")
	void logRequestFailsInTheCategoryOfASpanRequest(String name, OtlpProtocol protocol, Consumer<OtlpReceiver> fault,
			ExportErrorCategory category) throws Exception {
		OtlpReceiver receiver = receiverExtension.get();
		String endpoint;
		if (fault == null) {
			endpoint = "http://127.0.0.1:" + TestPorts.closedPort() + ((protocol == HTTP) ? "/v1/traces" : "");
		}
		else {
			fault.accept(receiver);
			endpoint = (protocol == GRPC) ? receiver.grpcEndpoint() : receiver.httpEndpoint();
		}
		ExporterSettings settings = ExporterSettings.of(DestinationRole.PRIMARY, protocol, endpoint)
			.withTimeout(Duration.ofMillis(category == ExportErrorCategory.DEADLINE_EXCEEDED ? 300 : 5_000))
			.withHeaders(Map.of("authorization", "Bearer wrong"));
		ExportErrorClassifier classifier = new ExportErrorClassifier();
		try (OtlpTransport transport = OtlpTransports.create(settings)) {
			ExportFailure spans = classify(classifier,
					transport.send(Signal.TRACES, OtlpRequestEncoder.spans(TestSpans.batch(2))));
			ExportFailure logs = classify(classifier, transport.send(Signal.LOGS, TestLogs.requestOf(2)));
			assertThat(spans.category()).isEqualTo(category);
			assertThat(logs.category()).isEqualTo(category);
			assertThat(logs.retryable()).isEqualTo(spans.retryable());
		}
		if (category != ExportErrorCategory.DEADLINE_EXCEEDED) {
			// a request the client stopped waiting for is still accepted later
			assertThat(receiver.logRecordCount()).isZero();
		}
	}

	private static ExportFailure classify(ExportErrorClassifier classifier, CompletableFuture<OtlpResponse> attempt)
			throws InterruptedException, java.util.concurrent.TimeoutException {
		try {
			OtlpResponse response = attempt.get(30, TimeUnit.SECONDS);
			assertThat(response.isSuccess()).as("the fault's answer").isFalse();
			return classifier.classify(response);
		}
		catch (ExecutionException ex) {
			return classifier.classify(ex.getCause());
		}
	}

}
