package io.github.otelexport.export.transport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link GrpcWire}.
 *
 * @author otel-export authors
 */
class GrpcWireTests {

	@Test
	void frameIsFlagLengthAndMessage() {
		byte[] message = new byte[300];
		message[299] = 42;
		byte[] framed = GrpcWire.frame(message, true);
		assertThat(framed).startsWith(1, 0, 0, 1, 44).hasSize(305);
		assertThat(GrpcWire.unframe(framed)).isEqualTo(message);
	}

	@Test
	void unframeKeepsWhatArrivedOfACutMessage() {
		byte[] framed = GrpcWire.frame(new byte[] { 1, 2, 3, 4 }, false);
		byte[] cut = java.util.Arrays.copyOf(framed, 7);
		assertThat(GrpcWire.unframe(cut)).containsExactly(1, 2);
		assertThat(GrpcWire.unframe(new byte[] { 0, 0 })).containsExactly(0, 0);
	}

	@ParameterizedTest
	@CsvSource({ "PT10S, 10000m", "PT0.0005S, 1m", "P2D, 172800S", "P1200D, 1728000M", "P3000000D, 72000000H",
			"P9000000D, 99999999H" })
	void timeoutUsesTheFinestUnitThatFitsInEightDigits(Duration timeout, String header) {
		assertThat(GrpcWire.timeout(timeout)).isEqualTo(header);
	}

	@ParameterizedTest
	@CsvSource({ "plain text, plain text", "a%20b, a b", "caf%C3%A9, café", "100%25, 100%", "100%, 100%",
			"%zz%4, %zz%4" })
	void messageIsPercentDecoded(String header, String message) {
		assertThat(GrpcWire.decodeMessage(header)).isEqualTo(message);
	}

	@Test
	void unframeExpandsACompressedGzipMessage() {
		byte[] message = "an ExportTraceServiceResponse".getBytes(StandardCharsets.UTF_8);
		byte[] framed = GrpcWire.frame(Gzip.compress(message), true);
		assertThat(GrpcWire.unframe(framed, "gzip")).isEqualTo(message);
		// a compressed flag without an encoding this client knows: kept as it came
		assertThat(GrpcWire.unframe(framed, null)).isEqualTo(Gzip.compress(message));
	}

	@Test
	void aCompressedMessageExpandsToTheBodyLimitAndNoFurther() {
		byte[] bomb = Gzip.compress(new byte[3 * OtlpResponse.MAX_BODY_BYTES]);
		assertThat(bomb.length).isLessThan(64 * 1024);
		assertThat(GrpcWire.unframe(GrpcWire.frame(bomb, true), "gzip")).hasSize(OtlpResponse.MAX_BODY_BYTES);
	}

	@Test
	void bytesThatAreNotGzipAreKeptAsTheyCame() {
		byte[] text = "not gzip".getBytes(StandardCharsets.UTF_8);
		assertThat(Gzip.decompress(text, 100)).isEqualTo(text);
	}

}
