package io.github.otelexport.export.transport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * The parts of the gRPC wire protocol that the gRPC transport writes and reads itself:
 * the 5-byte message framing, the {@code grpc-timeout} header and the percent-encoded
 * {@code grpc-message}.
 *
 * @author otel-export authors
 */
final class GrpcWire {

	static final int FRAME_HEADER_BYTES = 5;

	/** The {@code grpc-timeout} value has at most eight digits. */
	private static final long MAX_TIMEOUT_DIGITS = 99_999_999;

	private GrpcWire() {
	}

	/**
	 * Frame a message: a compressed flag, its length (big-endian) and the message.
	 * @param message the (possibly compressed) message
	 * @param compressed whether the message is compressed
	 * @return the framed bytes
	 */
	static byte[] frame(byte[] message, boolean compressed) {
		byte[] framed = new byte[FRAME_HEADER_BYTES + message.length];
		framed[0] = (byte) (compressed ? 1 : 0);
		framed[1] = (byte) (message.length >>> 24);
		framed[2] = (byte) (message.length >>> 16);
		framed[3] = (byte) (message.length >>> 8);
		framed[4] = (byte) message.length;
		System.arraycopy(message, 0, framed, FRAME_HEADER_BYTES, message.length);
		return framed;
	}

	/**
	 * Return the first message of a response body, or what arrived of it when the body
	 * was cut. A body too short to hold a frame header is returned as it is.
	 * @param body the response body
	 * @return the message bytes
	 */
	static byte[] unframe(byte[] body) {
		return unframe(body, null);
	}

	/**
	 * Return the first message of a response body, expanded when its frame says it is
	 * compressed and the response's {@code grpc-encoding} is gzip, to at most
	 * {@link OtlpResponse#MAX_BODY_BYTES}.
	 * @param body the response body
	 * @param encoding the response's {@code grpc-encoding}, or {@code null}
	 * @return the message bytes
	 */
	static byte[] unframe(byte[] body, String encoding) {
		if (body.length < FRAME_HEADER_BYTES) {
			return body;
		}
		long length = ((body[1] & 0xFFL) << 24) | ((body[2] & 0xFF) << 16) | ((body[3] & 0xFF) << 8) | (body[4] & 0xFF);
		int end = (int) Math.min(body.length, FRAME_HEADER_BYTES + length);
		byte[] message = Arrays.copyOfRange(body, FRAME_HEADER_BYTES, end);
		boolean compressed = body[0] == 1;
		return (compressed && "gzip".equalsIgnoreCase(encoding)) ? Gzip.decompress(message, OtlpResponse.MAX_BODY_BYTES)
				: message;
	}

	/**
	 * Return the {@code grpc-timeout} value for a timeout, in the finest unit that fits
	 * in eight digits.
	 * @param timeout the timeout
	 * @return the header value, such as {@code 10000m}
	 */
	static String timeout(Duration timeout) {
		long millis = Math.max(1, timeout.toMillis());
		if (millis <= MAX_TIMEOUT_DIGITS) {
			return millis + "m";
		}
		long seconds = timeout.toSeconds();
		if (seconds <= MAX_TIMEOUT_DIGITS) {
			return seconds + "S";
		}
		long minutes = timeout.toMinutes();
		if (minutes <= MAX_TIMEOUT_DIGITS) {
			return minutes + "M";
		}
		return Math.min(MAX_TIMEOUT_DIGITS, timeout.toHours()) + "H";
	}

	/**
	 * Decode a {@code grpc-message}: UTF-8, percent-encoded. A {@code %} that does not
	 * start a valid escape is kept as it is, as gRPC implementations do.
	 * @param value the header value
	 * @return the message
	 */
	static String decodeMessage(String value) {
		if (value.indexOf('%') < 0) {
			return value;
		}
		byte[] raw = value.getBytes(StandardCharsets.UTF_8);
		ByteArrayOutputStream decoded = new ByteArrayOutputStream(raw.length);
		for (int i = 0; i < raw.length; i++) {
			if (raw[i] == '%' && i + 2 < raw.length && hex(raw[i + 1]) >= 0 && hex(raw[i + 2]) >= 0) {
				decoded.write((hex(raw[i + 1]) << 4) | hex(raw[i + 2]));
				i += 2;
			}
			else {
				decoded.write(raw[i]);
			}
		}
		return decoded.toString(StandardCharsets.UTF_8);
	}

	private static int hex(byte character) {
		return Character.digit(character, 16);
	}

}
