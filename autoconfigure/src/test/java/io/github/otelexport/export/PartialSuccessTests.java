package io.github.otelexport.export;

import java.util.Arrays;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PartialSuccess}, reading responses encoded by the official OTLP
 * protobuf classes.
 *
 * @author otel-export authors
 */
class PartialSuccessTests {

	@Test
	void readsRejectedSpansAndMessage() {
		byte[] response = response(7, "spans too old");
		assertThat(PartialSuccess.parse(response)).isEqualTo(new PartialSuccess(7, "spans too old"));
	}

	@Test
	void readsAMultiByteCountAndUtf8Message() {
		byte[] response = response(300_000, "attribut ungültig: “name”");
		assertThat(PartialSuccess.parse(response)).isEqualTo(new PartialSuccess(300_000, "attribut ungültig: “name”"));
	}

	@Test
	void emptyResponseHasNoRejectedSpans() {
		assertThat(PartialSuccess.parse(ExportTraceServiceResponse.getDefaultInstance().toByteArray()))
			.isEqualTo(PartialSuccess.NONE);
		assertThat(PartialSuccess.parse(null)).isEqualTo(PartialSuccess.NONE);
		assertThat(PartialSuccess.parse(new byte[0]).hasRejectedSpans()).isFalse();
	}

	@Test
	void warningWithoutRejectedSpansHasNone() {
		PartialSuccess partialSuccess = PartialSuccess.parse(response(0, "truncated an attribute"));
		assertThat(partialSuccess.hasRejectedSpans()).isFalse();
		assertThat(partialSuccess.errorMessage()).isEqualTo("truncated an attribute");
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
		assertThat(PartialSuccess.parse(response.toByteArray())).isEqualTo(new PartialSuccess(3, "m"));
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
		assertThat(PartialSuccess.parse(both))
			.isEqualTo(new PartialSuccess(merged.getRejectedSpans(), merged.getErrorMessage()))
			.isEqualTo(new PartialSuccess(5, "why"));
	}

	@Test
	void longErrorMessageIsCut() {
		PartialSuccess partialSuccess = PartialSuccess.parse(response(1, "x".repeat(1_000_000)));
		assertThat(partialSuccess.rejectedSpans()).isEqualTo(1);
		assertThat(partialSuccess.errorMessage()).hasSize(PartialSuccess.MAX_ERROR_MESSAGE_BYTES);
	}

	@Test
	void negativeCountReadsAsNoneRejected() {
		assertThat(PartialSuccess.parse(response(-5, "odd")).rejectedSpans()).isZero();
	}

	@Test
	void bodyThatIsNotProtobufReadsAsNone() {
		assertThat(PartialSuccess.parse("<html>Bad gateway</html>".getBytes())).isEqualTo(PartialSuccess.NONE);
		assertThat(PartialSuccess.parse(new byte[] { (byte) 0xFF, (byte) 0xFF, (byte) 0xFF }))
			.isEqualTo(PartialSuccess.NONE);
	}

	@Test
	void truncatedResponseReadsAsNone() {
		byte[] response = response(7, "spans too old");
		for (int length = 1; length < response.length; length++) {
			assertThat(PartialSuccess.parse(Arrays.copyOf(response, length))).as("first %d bytes", length)
				.isEqualTo(PartialSuccess.NONE);
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
