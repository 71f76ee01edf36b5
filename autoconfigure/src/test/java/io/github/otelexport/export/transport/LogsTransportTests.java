package io.github.otelexport.export.transport;

import java.net.MalformedURLException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import io.github.otelexport.export.TestTime;
import io.github.otelexport.testkit.OtlpReceiver;
import io.github.otelexport.testkit.OtlpReceiverExtension;
import io.github.otelexport.testkit.ReceivedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.github.otelexport.export.transport.TransportTestSupport.failure;
import static io.github.otelexport.export.transport.TransportTestSupport.response;
import static io.github.otelexport.export.transport.TransportTestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Log records over both transports against the testkit's real servers: the logs service
 * and URL, beside spans on the same transport.
 *
 * @author otel-export authors
 */
class LogsTransportTests {

	@RegisterExtension
	static final OtlpReceiverExtension receiver = new OtlpReceiverExtension();

	private final TestTime time = new TestTime();

	private final List<OtlpTransport> transports = new ArrayList<>();

	@AfterEach
	void closeTransports() {
		this.transports.forEach(OtlpTransport::close);
	}

	@ParameterizedTest
	@EnumSource(OtlpProtocol.class)
	void logRecordsReachTheLogsServiceAndSpansTheTraceServiceOverOneTransport(OtlpProtocol protocol,
			OtlpReceiver receiver) throws Exception {
		OtlpTransport transport = open(protocol, receiver, false);
		assertThat(response(transport.send(Signal.LOGS, TestRequests.logs(3))).isSuccess()).isTrue();
		assertThat(response(transport.send(Signal.TRACES, TestRequests.spans(2))).isSuccess()).isTrue();
		assertThat(receiver.logRecordCount()).isEqualTo(3);
		assertThat(receiver.logRecords()).extracting((log) -> log.getBody().getStringValue())
			.containsExactly("log-0", "log-1", "log-2");
		assertThat(receiver.spanCount()).isEqualTo(2);
		assertThat(receiver.requests(io.github.otelexport.testkit.Signal.LOGS)).singleElement()
			.satisfies((request) -> assertThat(request.header("x-api-key")).isEqualTo("k3y-for-tests"));
	}

	@ParameterizedTest
	@EnumSource(OtlpProtocol.class)
	void gzipCompressesLogRequests(OtlpProtocol protocol, OtlpReceiver receiver) throws Exception {
		OtlpTransport transport = open(protocol, receiver, true);
		assertThat(response(transport.send(Signal.LOGS, TestRequests.logs(4))).isSuccess()).isTrue();
		assertThat(receiver.requests(io.github.otelexport.testkit.Signal.LOGS)).extracting(ReceivedRequest::gzip)
			.containsExactly(true);
		assertThat(receiver.logRecordCount()).isEqualTo(4);
	}

	@ParameterizedTest
	@EnumSource(OtlpProtocol.class)
	void partialSuccessOfLogsIsRead(OtlpProtocol protocol, OtlpReceiver receiver) throws Exception {
		receiver.partialSuccess(2, "two log records too old");
		OtlpResponse response = response(open(protocol, receiver, false).send(Signal.LOGS, TestRequests.logs(5)));
		assertThat(response.isSuccess()).isTrue();
		assertThat(response.partialSuccess()).isEqualTo(new OtlpPartialSuccess(2, "two log records too old"));
		assertThat(receiver.logRecordCount()).isEqualTo(3);
	}

	@Test
	void httpLogsGoToTheLogsEndpointWhenOneIsGiven(OtlpReceiver receiver) throws Exception {
		// a traces path of its own, which no logs URL can be derived from
		URI traces = URI.create(receiver.httpEndpoint().replace("/v1/traces", "/v1/trace"));
		OtlpTransport transport = open(settings(traces.toString())
			.withLogsEndpoint(URI.create(receiver.httpEndpoint(io.github.otelexport.testkit.Signal.LOGS))));
		assertThat(response(transport.send(Signal.LOGS, TestRequests.logs(2))).isSuccess()).isTrue();
		assertThat(receiver.logRecordCount()).isEqualTo(2);
	}

	@Test
	void httpLogsWithoutAnEndpointFailSayingWhyWhileSpansStillGo(OtlpReceiver receiver) throws Exception {
		String custom = receiver.httpEndpoint().replace("/v1/traces", "/otlp/spans");
		OtlpTransport transport = open(settings(custom));
		assertThat(failure(transport.send(Signal.LOGS, TestRequests.logs(2)))).isInstanceOf(MalformedURLException.class)
			.hasMessageContaining("does not end in /v1/traces")
			.hasMessageContaining("withLogsEndpoint");
		assertThat(receiver.requests()).isEmpty();
		// the path is wrong for the receiver, but the request went there
		assertThat(response(transport.send(Signal.TRACES, TestRequests.spans(1))).httpStatus()).isEqualTo(404);
	}

	private OtlpTransport open(OtlpProtocol protocol, OtlpReceiver receiver, boolean gzip) {
		String endpoint = (protocol == OtlpProtocol.GRPC) ? receiver.grpcEndpoint() : receiver.httpEndpoint();
		TransportSettings settings = settings(endpoint, TransportTestSupport.TIMEOUT, gzip, TlsSettings.none());
		return (protocol == OtlpProtocol.GRPC) ? keep(OtlpTransport.grpc(settings)) : open(settings);
	}

	private OtlpTransport open(TransportSettings settings) {
		return keep(OtlpTransport.httpProtobuf(settings, this.time));
	}

	private OtlpTransport keep(OtlpTransport transport) {
		this.transports.add(transport);
		return transport;
	}

}
