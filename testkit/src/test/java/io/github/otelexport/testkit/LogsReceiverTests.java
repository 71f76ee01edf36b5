package io.github.otelexport.testkit;

import java.net.ConnectException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.SSLHandshakeException;

import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.GrpcStatusCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for log records on both ports of {@link OtlpReceiver}: the SDK's own OTLP log
 * exporters meet every fault as the span exporters do, and the wire answers are those of
 * the OTLP logs service.
 *
 * @author otel-export authors
 */
class LogsReceiverTests {

	private static final String SPAN_ID = "00f067aa0ba902b7";

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
	void httpEndpointForLogs() {
		assertThat(this.receiver.httpEndpoint(Signal.LOGS))
			.isEqualTo("http://127.0.0.1:" + this.receiver.httpPort() + "/v1/logs");
		assertThat(this.receiver.httpEndpoint(Signal.TRACES)).isEqualTo(this.receiver.httpEndpoint());
	}

	@ParameterizedTest
	@EnumSource(Protocol.class)
	void logRecordArrivesWithBodyAttributesSeverityAndTraceContext(Protocol protocol) {
		SpanContext spanContext = SpanContext.create(TestSpans.TRACE_ID, SPAN_ID, TraceFlags.getSampled(),
				TraceState.getDefault());
		try (LogExport export = LogExport.to(this.receiver, protocol);
				SdkLoggerProvider loggers = SdkLoggerProvider.builder()
					.setResource(Resource.getDefault().toBuilder().put("service.name", "shop").build())
					.addLogRecordProcessor(SimpleLogRecordProcessor.create(export.exporter()))
					.build()) {
			loggers.get("checkout")
				.logRecordBuilder()
				.setContext(Context.root().with(io.opentelemetry.api.trace.Span.wrap(spanContext)))
				.setSeverity(Severity.WARN)
				.setSeverityText("WARN")
				.setBody("payment declined")
				.setAttribute(AttributeKey.stringKey("order.id"), "A-17")
				.setAttribute(AttributeKey.longKey("attempt"), 2L)
				.emit();
			assertThat(loggers.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		}
		assertThat(this.receiver.logRecordCount()).isEqualTo(1);
		assertThat(this.receiver.logRecords()).singleElement().satisfies((record) -> {
			assertThat(record.getBody().getStringValue()).isEqualTo("payment declined");
			assertThat(record.getSeverityNumber()).isEqualTo(SeverityNumber.SEVERITY_NUMBER_WARN);
			assertThat(record.getSeverityText()).isEqualTo("WARN");
			Map<String, AnyValue> attributes = record.getAttributesList()
				.stream()
				.collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
			assertThat(attributes).containsOnlyKeys("order.id", "attempt");
			assertThat(attributes.get("order.id").getStringValue()).isEqualTo("A-17");
			assertThat(attributes.get("attempt").getIntValue()).isEqualTo(2);
			assertThat(HexFormat.of().formatHex(record.getSpanId().toByteArray())).isEqualTo(SPAN_ID);
		});
		assertThat(this.receiver.logRecordsByTraceId()).containsOnlyKeys(TestSpans.TRACE_ID);
		assertThat(this.receiver.requests(Signal.LOGS)).singleElement().satisfies((request) -> {
			assertThat(request.signal()).isEqualTo(Signal.LOGS);
			assertThat(request.protocol()).isEqualTo(protocol);
			assertThat(request.itemCount()).isEqualTo(1);
			assertThat(request.logRecordCount()).isEqualTo(1);
			assertThat(request.spanCount()).isZero();
			assertThat(request.accepted()).isTrue();
		});
		assertThat(this.receiver.requests(Signal.TRACES)).isEmpty();
		assertThat(this.receiver.spans()).isEmpty();
		assertThat(this.receiver.spanCount()).isZero();
	}

	@ParameterizedTest
	@EnumSource(Protocol.class)
	void gzipLogRecordsAreDecodedAndFlagged(Protocol protocol) {
		try (LogExport export = LogExport.to(this.receiver, protocol, Map.of(), true, Duration.ofSeconds(10))) {
			assertThat(export.export(TestLogs.record("a"), TestLogs.record("b")).isSuccess()).isTrue();
		}
		assertThat(this.receiver.logRecords()).extracting((record) -> record.getBody().getStringValue())
			.containsExactly("a", "b");
		assertThat(this.receiver.requests(Signal.LOGS)).singleElement()
			.satisfies((request) -> assertThat(request.gzip()).isTrue());
	}

	@ParameterizedTest
	@EnumSource(Protocol.class)
	void refusedConnectionFailsTheExportUntilAccepted(Protocol protocol) {
		try (LogExport export = LogExport.to(this.receiver, protocol)) {
			this.receiver.refuseConnections();
			CompletableResultCode refused = export.export(TestLogs.record("refused"));
			assertThat(refused.isSuccess()).isFalse();
			assertThat(refused.getFailureThrowable()).hasRootCauseInstanceOf(ConnectException.class);
			this.receiver.accept();
			await().until(() -> export.export(TestLogs.record("accepted")).isSuccess());
		}
		assertThat(this.receiver.logRecords()).extracting((record) -> record.getBody().getStringValue())
			.containsExactly("accepted");
	}

	@ParameterizedTest
	@EnumSource(Protocol.class)
	void resetConnectionFailsTheExportBeforeTheRequestArrives(Protocol protocol) {
		try (LogExport export = LogExport.to(this.receiver, protocol)) {
			this.receiver.resetConnections();
			assertThat(export.export(TestLogs.record("reset")).isSuccess()).isFalse();
		}
		assertThat(this.receiver.requestCount()).isZero();
		assertThat(this.receiver.logRecordCount()).isZero();
	}

	@ParameterizedTest
	@EnumSource(Protocol.class)
	void missingHeaderIsUnauthenticated(Protocol protocol) {
		this.receiver.requireHeader("x-api-key", "good");
		try (LogExport without = LogExport.to(this.receiver, protocol);
				LogExport with = LogExport.to(this.receiver, protocol, Map.of("x-api-key", "good"), false,
						Duration.ofSeconds(10))) {
			CompletableResultCode refused = without.export(TestLogs.record("refused"));
			if (protocol == Protocol.HTTP) {
				assertThat(LogExport.httpStatus(refused)).isEqualTo(401);
			}
			else {
				assertThat(LogExport.grpcStatus(refused)).isEqualTo(GrpcStatusCode.UNAUTHENTICATED);
			}
			assertThat(with.export(TestLogs.record("accepted")).isSuccess()).isTrue();
		}
		assertThat(this.receiver.logRecordCount()).isEqualTo(1);
		assertThat(this.receiver.requests(Signal.LOGS)).extracting(ReceivedRequest::accepted)
			.containsExactly(false, true);
	}

	@ParameterizedTest
	@ValueSource(ints = { 400, 404, 413, 429, 500, 502, 503, 504 })
	void chosenHttpStatusFailsTheHttpExportOnly(int status) {
		this.receiver.respondWithHttpStatus(status);
		try (LogExport http = LogExport.to(this.receiver, Protocol.HTTP);
				LogExport grpc = LogExport.to(this.receiver, Protocol.GRPC)) {
			assertThat(LogExport.httpStatus(http.export(TestLogs.record("refused")))).isEqualTo(status);
			assertThat(grpc.export(TestLogs.record("accepted")).isSuccess()).isTrue();
		}
		assertThat(this.receiver.logRecords()).extracting((record) -> record.getBody().getStringValue())
			.containsExactly("accepted");
		assertThat(this.receiver.requests(Signal.LOGS)).extracting(ReceivedRequest::logRecordCount)
			.containsExactly(1, 1);
	}

	@ParameterizedTest
	@EnumSource(names = { "RESOURCE_EXHAUSTED", "UNAVAILABLE", "INVALID_ARGUMENT", "UNIMPLEMENTED", "PERMISSION_DENIED",
			"DEADLINE_EXCEEDED" })
	void chosenGrpcStatusFailsTheGrpcExportOnly(Status.Code code) {
		this.receiver.respondWithGrpcStatus(code);
		try (LogExport grpc = LogExport.to(this.receiver, Protocol.GRPC);
				LogExport http = LogExport.to(this.receiver, Protocol.HTTP)) {
			assertThat(LogExport.grpcStatus(grpc.export(TestLogs.record("refused"))).getValue())
				.isEqualTo(code.value());
			assertThat(http.export(TestLogs.record("accepted")).isSuccess()).isTrue();
		}
		assertThat(this.receiver.logRecords()).extracting((record) -> record.getBody().getStringValue())
			.containsExactly("accepted");
	}

	@ParameterizedTest
	@EnumSource(Protocol.class)
	void delayedResponseTimesTheExportOut(Protocol protocol) {
		this.receiver.delayResponses(Duration.ofMinutes(1));
		try (LogExport export = LogExport.to(this.receiver, protocol, Map.of(), false, Duration.ofMillis(300))) {
			assertThat(export.export(TestLogs.record("late")).isSuccess()).isFalse();
		}
		assertThat(this.receiver.requests(Signal.LOGS)).hasSize(1);
	}

	@ParameterizedTest
	@EnumSource(Protocol.class)
	void untrustedCertificateFailsTheHandshakeUntilAccepted(Protocol protocol) {
		try (OtlpReceiver tls = OtlpReceiver.builder().tls().build(); LogExport export = LogExport.to(tls, protocol)) {
			assertThat(export.export(TestLogs.record("trusted")).isSuccess()).isTrue();
			tls.presentUntrustedCertificate();
			CompletableResultCode untrusted = export.export(TestLogs.record("untrusted"));
			assertThat(untrusted.isSuccess()).isFalse();
			assertThat(untrusted.getFailureThrowable()).hasCauseInstanceOf(SSLHandshakeException.class);
			tls.accept();
			await().until(() -> export.export(TestLogs.record("trusted again")).isSuccess());
			assertThat(tls.logRecords()).extracting((record) -> record.getBody().getStringValue())
				.containsExactly("trusted", "trusted again");
		}
	}

	@ParameterizedTest
	@EnumSource(Protocol.class)
	void partialSuccessRecordsAllButTheRejectedLogRecords(Protocol protocol) {
		this.receiver.partialSuccess(1, "one log record too old");
		try (LogExport export = LogExport.to(this.receiver, protocol)) {
			// the OTLP specification makes a partial success a success for the client
			assertThat(export.export(TestLogs.record("a"), TestLogs.record("b"), TestLogs.record("c")).isSuccess())
				.isTrue();
		}
		assertThat(this.receiver.logRecordCount()).isEqualTo(2);
		assertThat(this.receiver.logRecords()).extracting((record) -> record.getBody().getStringValue())
			.containsExactly("a", "b");
		assertThat(this.receiver.requests(Signal.LOGS)).singleElement().satisfies((request) -> {
			assertThat(request.logRecordCount()).isEqualTo(3);
			assertThat(request.accepted()).isTrue();
		});
	}

	@Test
	void partialSuccessIsAnExportLogsPartialSuccessOverGrpc() throws InterruptedException {
		this.receiver.partialSuccess(2, "two log records too old");
		try (GrpcExport client = new GrpcExport(this.receiver.grpcPort())) {
			ExportLogsServiceResponse response = client.export(TestLogs.request(5));
			assertThat(response.getPartialSuccess().getRejectedLogRecords()).isEqualTo(2);
			assertThat(response.getPartialSuccess().getErrorMessage()).isEqualTo("two log records too old");
		}
		assertThat(this.receiver.logRecordCount()).isEqualTo(3);
	}

	@Test
	void partialSuccessIsAnExportLogsPartialSuccessOverHttp() throws Exception {
		this.receiver.partialSuccess(2, "two log records too old");
		var response = new HttpExport().export(this.receiver.httpEndpoint(Signal.LOGS), TestLogs.request(5));
		assertThat(response.statusCode()).isEqualTo(200);
		ExportLogsServiceResponse decoded = ExportLogsServiceResponse.parseFrom(response.body());
		assertThat(decoded.getPartialSuccess().getRejectedLogRecords()).isEqualTo(2);
		assertThat(decoded.getPartialSuccess().getErrorMessage()).isEqualTo("two log records too old");
		assertThat(this.receiver.logRecordCount()).isEqualTo(3);
	}

	@Test
	void traceOnlyReceiverAnswersLogsAsNotImplementedOnBothPorts() throws Exception {
		this.receiver.serveOnly(Signal.TRACES);
		HttpExport http = new HttpExport();
		assertThat(http.export(this.receiver.httpEndpoint(Signal.LOGS), TestLogs.request(2)).statusCode())
			.isEqualTo(404);
		assertThat(http.export(this.receiver.httpEndpoint(), TestSpans.request(3)).statusCode()).isEqualTo(200);
		try (GrpcExport grpc = new GrpcExport(this.receiver.grpcPort())) {
			assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(() -> grpc.export(TestLogs.request(2)))
				.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
			grpc.export(TestSpans.request(3));
		}
		assertThat(this.receiver.spanCount()).isEqualTo(6);
		assertThat(this.receiver.logRecordCount()).isZero();
		assertThat(this.receiver.requests(Signal.LOGS)).extracting(ReceivedRequest::accepted)
			.containsExactly(false, false);
	}

	@Test
	void logsOnlyReceiverRefusesSpansAndCombinesWithAFault() throws Exception {
		this.receiver.serveOnly(Signal.LOGS);
		this.receiver.respondWithHttpStatus(503);
		HttpExport http = new HttpExport();
		assertThat(http.export(this.receiver.httpEndpoint(), TestSpans.request(1)).statusCode()).isEqualTo(404);
		assertThat(http.export(this.receiver.httpEndpoint(Signal.LOGS), TestLogs.request(1)).statusCode())
			.isEqualTo(503);
		this.receiver.serveOnly(null);
		assertThat(http.export(this.receiver.httpEndpoint(), TestSpans.request(1)).statusCode()).isEqualTo(503);
		this.receiver.accept();
		this.receiver.serveOnly(Signal.LOGS);
		this.receiver.accept();
		assertThat(http.export(this.receiver.httpEndpoint(), TestSpans.request(1)).statusCode()).isEqualTo(200);
		assertThat(this.receiver.spanCount()).isEqualTo(1);
	}

	@Test
	void retryAfterIsSentForLogs() throws Exception {
		this.receiver.respondWithHttpStatus(429, Duration.ofMillis(2500));
		var response = new HttpExport().export(this.receiver.httpEndpoint(Signal.LOGS), TestLogs.request(1));
		assertThat(response.statusCode()).isEqualTo(429);
		assertThat(response.headers().firstValue("retry-after")).hasValue("3");
	}

	@Test
	void retryInfoIsSentForLogs() throws InterruptedException {
		this.receiver.respondWithGrpcStatus(Status.Code.RESOURCE_EXHAUSTED, Duration.ofMillis(1500));
		try (GrpcExport client = new GrpcExport(this.receiver.grpcPort())) {
			assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(() -> client.export(TestLogs.request(1)))
				.satisfies((ex) -> {
					assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
					RetryInfo retryInfo = StatusProto.fromThrowable(ex).getDetails(0).unpack(RetryInfo.class);
					assertThat(retryInfo.getRetryDelay().getSeconds()).isEqualTo(1);
					assertThat(retryInfo.getRetryDelay().getNanos()).isEqualTo(500_000_000);
				});
		}
	}

	@Test
	void hugeGrpcMessageIsAValidLogsResponse() throws InterruptedException {
		int bytes = 3 * 1024 * 1024;
		this.receiver.respondWithHugeGrpcMessage(bytes);
		try (GrpcExport client = new GrpcExport(this.receiver.grpcPort())) {
			ExportLogsServiceResponse response = client.export(TestLogs.request(2));
			assertThat(response.getSerializedSize()).isEqualTo(bytes);
			assertThat(response.hasPartialSuccess()).isFalse();
		}
		assertThat(this.receiver.logRecordCount()).isEqualTo(2);
	}

	@Test
	void garbageBodyIsNotALogsResponse() throws Exception {
		this.receiver.respondWithGarbage();
		var response = new HttpExport().export(this.receiver.httpEndpoint(Signal.LOGS), TestLogs.request(1));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThatExceptionOfType(com.google.protobuf.InvalidProtocolBufferException.class)
			.isThrownBy(() -> ExportLogsServiceResponse.parseFrom(response.body()));
	}

}
