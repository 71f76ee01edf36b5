package io.github.otelexport.export.transport;

import java.util.List;
import java.util.Map;

import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OtlpResponse}: what it keeps of what a backend sends. Reading from the
 * wire is tested against real servers by the transports' tests.
 *
 * @author otel-export authors
 */
class OtlpResponseTests {

	private static final String MEGABYTE = "m".repeat(1024 * 1024);

	private static final String CAPPED = "m".repeat(BackendText.MAX_LENGTH) + BackendText.CUT_MARK;

	@Test
	void megabytesOfBackendTextAreCappedAndMarked() {
		byte[] partial = ExportTraceServiceResponse.newBuilder()
			.setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(1).setErrorMessage(MEGABYTE))
			.build()
			.toByteArray();
		OtlpResponse response = OtlpResponse.grpc(200)
			.grpcStatus(0)
			.message(MEGABYTE)
			.headers(Map.of("X-Echo", List.of(MEGABYTE, "short")))
			.trailers(Map.of("Grpc-Message", List.of(MEGABYTE)))
			.body(partial, false)
			.build();
		assertThat(response.message()).isEqualTo(CAPPED);
		assertThat(response.headers()).containsEntry("x-echo", List.of(CAPPED, "short"));
		assertThat(response.header("X-ECHO")).hasValue(CAPPED);
		assertThat(response.trailers()).containsEntry("grpc-message", List.of(CAPPED));
		assertThat(response.partialSuccess()).isEqualTo(new OtlpPartialSuccess(1, CAPPED));
	}

	@Test
	void bodyIsCopiedOutSoTheResponseStaysUnchanged() {
		OtlpResponse response = OtlpResponse.http(200).body(new byte[] { 1, 2 }, false).build();
		response.body()[0] = 9;
		assertThat(response.body()).containsExactly(1, 2);
	}

	@Test
	void partialSuccessIsReadOnlyFromAnAcceptedRequest() {
		byte[] partial = ExportTraceServiceResponse.newBuilder()
			.setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(3))
			.build()
			.toByteArray();
		assertThat(OtlpResponse.http(200).body(partial, false).build().partialSuccess().rejected()).isEqualTo(3);
		assertThat(OtlpResponse.http(400).body(partial, false).build().partialSuccess())
			.isEqualTo(OtlpPartialSuccess.NONE);
		assertThat(OtlpResponse.grpc(200).body(partial, false).build().partialSuccess())
			.as("a gRPC response without a status")
			.isEqualTo(OtlpPartialSuccess.NONE);
	}

	@Test
	void toStringShowsNeitherMessageNorHeadersNorBody() {
		OtlpResponse response = OtlpResponse.http(401)
			.message("refused k3y-secret")
			.headers(Map.of("x-echo", List.of("k3y-secret")))
			.build();
		assertThat(response.toString()).doesNotContain("k3y-secret").contains("http=401");
	}

}
