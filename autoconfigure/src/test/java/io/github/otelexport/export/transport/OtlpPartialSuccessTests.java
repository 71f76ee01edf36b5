package io.github.otelexport.export.transport;

import java.util.Arrays;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OtlpPartialSuccess}, reading responses encoded by the official OTLP
 * protobuf classes.
 *
 * @author otel-export authors
 */
class PartialSuccessTests {

	@Test
	void readsRejectedSpansAndMessage() {
		byte[] response = response(7, "spans too old");
		assertThat(OtlpPartialSuccess.parse(response)).isEqualTo(new OtlpPartialSuccess(7, "spans too old"));
	}

	@Test
	void readsRejectedLogRecordsAndMessage() {
		byte[] response = ExportLogsServiceResponse.newBuilder()
			.setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
				.setRejectedLogRecords(300_000)
				.setErrorMessage("log records too old"))
			.build()
			.toByteArray();
		assertThat(OtlpPartialSuccess.parse(response))
			.isEqualTo(new OtlpPartialSuccess(300_000, "log records too old"));
	}

	@Test
	void readsAMultiByteCountAndUtf8Message() {
		byte[] response = response(300_000, "attribut ungültig: “name”");
		assertThat(OtlpPartialSuccess.parse(response))
			.isEqualTo(new OtlpPartialSuccess(300_000, "attribut ungültig: “name”"));
	}

	@Test
	void emptyResponseHasNoRejectedSpans() {
		assertThat(OtlpPartialSuccess.parse(ExportTraceServiceResponse.getDefaultInstance().toByteArray()))
			.isEqualTo(OtlpPartialSuccess.NONE);
		assertThat(OtlpPartialSuccess.parse(null)).isEqualTo(OtlpPartialSuccess.NONE);
		assertThat(OtlpPartialSuccess.parse(new byte[0]).hasRejected()).isFalse();
	}

	@Test
	void warningWithoutRejectedSpansHasNone() {
		OtlpPartialSuccess partialSuccess = OtlpPartialSuccess.parse(response(0, "truncated an attribute"));
		assertThat(partialSuccess.hasRejected()).isFalse();
		assertThat(partialSuccess.message()).isEqualTo("truncated an attribute");
	}

	@Test
	void skipsFieldsItDoesNotKnow() {
		UnknownFieldSet unknown = UnknownFieldSet.newBuilder()
			.addField(2, UnknownFieldSet.Field.newBuilder().addVarint(42).build())
			.addField(3, UnknownFieldSet.Field.newBuilder().addFixed64(1).addFixed32(2).build())
			.addField(4,
					UnknownFieldSet.Field.newBuilder()
						.addLengthDelimited(com.google.protobuf.ByteString.copyFromUtf8("x"))
						.build())
			.build();
		ExportTraceServiceResponse response = ExportTraceServiceResponse.newBuilder()
			.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
				.setRejectedSpans(3)
				.setErrorMessage("m")
				.setUnknownFields(unknown))
			.setUnknownFields(unknown)
			.build();
		assertThat(OtlpPartialSuccess.parse(response.toByteArray())).isEqualTo(new OtlpPartialSuccess(3, "m"));
	}

	@Test
	void repeatedPartialSuccessFieldIsMerged() {
		byte[] first = ExportTraceServiceResponse.newBuilder()
			.setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(5))
			.build()
			.toByteArray();
		byte[] second = ExportTraceServiceResponse.newBuilder()
			.setPartialSuccess(ExportTracePartialSuccess.newBuilder().setErrorMessage("why"))
			.build()
			.toByteArray();
		byte[] both = Arrays.copyOf(first, first.length + second.length);
		System.arraycopy(second, 0, both, first.length, second.length);
		// protobuf-java merges the two occurrences; so must the reader
		ExportTracePartialSuccess merged = parseOfficially(both);
		assertThat(OtlpPartialSuccess.parse(both))
			.isEqualTo(new OtlpPartialSuccess(merged.getRejectedSpans(), merged.getErrorMessage()))
			.isEqualTo(new OtlpPartialSuccess(5, "why"));
	}

	@Test
	void longErrorMessageIsCut() {
		OtlpPartialSuccess partialSuccess = OtlpPartialSuccess.parse(response(1, "x".repeat(1_000_000)));
		assertThat(partialSuccess.rejected()).isEqualTo(1);
		assertThat(partialSuccess.message()).hasSize(BackendText.MAX_LENGTH + BackendText.CUT_MARK.length())
			.endsWith(BackendText.CUT_MARK);
	}

	@Test
	void negativeCountReadsAsNoneRejected() {
		assertThat(OtlpPartialSuccess.parse(response(-5, "odd")).rejected()).isZero();
	}

	@Test
	void bodyThatIsNotProtobufReadsAsNone() {
		assertThat(OtlpPartialSuccess.parse("<html>Bad gateway</html>".getBytes())).isEqualTo(OtlpPartialSuccess.NONE);
		assertThat(OtlpPartialSuccess.parse(new byte[] { (byte) 0xFF, (byte) 0xFF, (byte) 0xFF }))
			.isEqualTo(OtlpPartialSuccess.NONE);
	}

	@Test
	void truncatedResponseReadsAsNone() {
		byte[] response = response(7, "spans too old");
		for (int length = 1; length < response.length; length++) {
			assertThat(OtlpPartialSuccess.parse(Arrays.copyOf(response, length))).as("first %d bytes", length)
				.isEqualTo(OtlpPartialSuccess.NONE);
		}
	}

	private static ExportTracePartialSuccess parseOfficially(byte[] response) {
		try {
			return ExportTraceServiceResponse.parseFrom(response).getPartialSuccess();
		}
		catch (InvalidProtocolBufferException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] response(long rejected, String message) {
		return ExportTraceServiceResponse.newBuilder()
			.setPartialSuccess(
					ExportTracePartialSuccess.newBuilder().setRejectedSpans(rejected).setErrorMessage(message))
			.build()
			.toByteArray();
	}

}
