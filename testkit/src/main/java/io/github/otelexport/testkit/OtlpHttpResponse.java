package io.github.otelexport.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import com.google.protobuf.CodedOutputStream;
import io.grpc.Status;

/**
 * An HTTP response of the receiver, built from an {@link ExportOutcome}, and its wire
 * form.
 *
 * @author otel-export authors
 */
final class OtlpHttpResponse {

	private static final String PROTOBUF = "application/x-protobuf";

	private static final byte[] GARBAGE = "<html><body>Not an OTLP response</body></html>"
		.getBytes(StandardCharsets.US_ASCII);

	/** A field number that no {@code Export...ServiceResponse} defines. */
	private static final int UNKNOWN_FIELD = 1000;

	/** Long enough that a client's deadline passes before the last byte. */
	private static final int TRICKLING_BODY_BYTES = 64;

	/** Half of it is sent before the reset. */
	private static final int RESET_BODY_BYTES = 4096;

	private final int status;

	private final Map<String, String> headers = new LinkedHashMap<>();

	private final byte[] body;

	/** When set, the body is sent one byte per interval. */
	private Duration byteInterval;

	/** When set, only the head and half the body are sent, then the caller resets. */
	private boolean resetMidway;

	private OtlpHttpResponse(int status, String contentType, byte[] body) {
		this.status = status;
		this.body = body;
		this.headers.put("Content-Type", contentType);
	}

	static OtlpHttpResponse of(Signal signal, ExportOutcome outcome) {
		if (outcome instanceof ExportOutcome.Success success) {
			return new OtlpHttpResponse(200, PROTOBUF, success.response(signal).toByteArray());
		}
		if (outcome instanceof ExportOutcome.Unauthenticated unauthenticated) {
			return error(401, unauthenticated.message());
		}
		if (outcome instanceof ExportOutcome.HttpFailure failure) {
			OtlpHttpResponse response = error(failure.status(),
					"Answered with " + failure.status() + " by the test receiver");
			failure.headers().forEach(response::withHeader);
			return response;
		}
		if (outcome instanceof ExportOutcome.HugeBody huge) {
			return new OtlpHttpResponse(200, PROTOBUF, hugeBody(huge.bytes()));
		}
		if (outcome instanceof ExportOutcome.TricklingBody trickling) {
			OtlpHttpResponse response = new OtlpHttpResponse(200, PROTOBUF, hugeBody(TRICKLING_BODY_BYTES));
			response.byteInterval = trickling.byteInterval();
			return response;
		}
		if (outcome instanceof ExportOutcome.ResetDuringResponse) {
			OtlpHttpResponse response = new OtlpHttpResponse(200, PROTOBUF, hugeBody(RESET_BODY_BYTES));
			response.resetMidway = true;
			return response;
		}
		if (outcome instanceof ExportOutcome.Garbage) {
			return new OtlpHttpResponse(200, PROTOBUF, GARBAGE);
		}
		return error(500, "Unexpected outcome " + outcome);
	}

	/**
	 * An error answer whose body is a {@code google.rpc.Status}, as the OTLP
	 * specification asks.
	 * @param status the HTTP status
	 * @param message the message
	 * @return the response
	 */
	static OtlpHttpResponse error(int status, String message) {
		com.google.rpc.Status body = com.google.rpc.Status.newBuilder()
			.setCode(Status.Code.UNKNOWN.value())
			.setMessage(message)
			.build();
		return new OtlpHttpResponse(status, PROTOBUF, body.toByteArray());
	}

	/**
	 * A plain-text answer, as a web server gives outside OTLP.
	 * @param status the HTTP status
	 * @param text the body
	 * @return the response
	 */
	static OtlpHttpResponse text(int status, String text) {
		return new OtlpHttpResponse(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
	}

	OtlpHttpResponse withHeader(String name, String value) {
		this.headers.put(name, value);
		return this;
	}

	void writeTo(OutputStream out, boolean close) throws IOException {
		writeTo(out, close, (pause) -> {
		});
	}

	/**
	 * Write the response; a trickling body pauses between bytes, and a response that
	 * resets stops halfway (see {@link #resetsMidway()}).
	 * @param out the connection's stream
	 * @param close whether to announce that the connection closes
	 * @param pause waits between the bytes of a trickling body
	 * @throws IOException when the client went away
	 */
	void writeTo(OutputStream out, boolean close, Consumer<Duration> pause) throws IOException {
		StringBuilder head = new StringBuilder();
		head.append("HTTP/1.1 ").append(this.status).append(' ').append(reason(this.status)).append("\r\n");
		this.headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
		head.append("Content-Length: ").append(this.body.length).append("\r\n");
		if (close) {
			head.append("Connection: close\r\n");
		}
		head.append("\r\n");
		out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
		if (this.resetMidway) {
			out.write(this.body, 0, this.body.length / 2);
			out.flush();
			return;
		}
		if (this.byteInterval == null) {
			out.write(this.body);
			out.flush();
			return;
		}
		for (byte next : this.body) {
			out.write(next);
			out.flush();
			pause.accept(this.byteInterval);
		}
	}

	/**
	 * Whether the connection is to be reset once {@link #writeTo} returns, in the middle
	 * of the response.
	 * @return whether to reset the connection
	 */
	boolean resetsMidway() {
		return this.resetMidway;
	}

	/**
	 * A valid {@code Export...ServiceResponse} of any signal, of about {@code bytes}
	 * bytes: one unknown length-delimited field that parsers skip, so only the size is
	 * unusual.
	 */
	static byte[] hugeBody(int bytes) {
		int overhead = CodedOutputStream.computeTagSize(UNKNOWN_FIELD)
				+ CodedOutputStream.computeUInt32SizeNoTag(Math.max(0, bytes));
		byte[] padding = new byte[Math.max(0, bytes - overhead)];
		ByteArrayOutputStream body = new ByteArrayOutputStream(bytes + 8);
		try {
			CodedOutputStream coded = CodedOutputStream.newInstance(body);
			coded.writeByteArray(UNKNOWN_FIELD, padding);
			coded.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return body.toByteArray();
	}

	private static String reason(int status) {
		return switch (status) {
			case 200 -> "OK";
			case 400 -> "Bad Request";
			case 401 -> "Unauthorized";
			case 403 -> "Forbidden";
			case 404 -> "Not Found";
			case 405 -> "Method Not Allowed";
			case 413 -> "Payload Too Large";
			case 415 -> "Unsupported Media Type";
			case 429 -> "Too Many Requests";
			case 500 -> "Internal Server Error";
			case 502 -> "Bad Gateway";
			case 503 -> "Service Unavailable";
			case 504 -> "Gateway Timeout";
			default -> "Status " + status;
		};
	}

}
