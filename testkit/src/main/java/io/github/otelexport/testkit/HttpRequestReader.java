package io.github.otelexport.testkit;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads HTTP/1.1 requests (head, then a {@code Content-Length} or chunked body) from a
 * connection.
 *
 * @author otel-export authors
 */
final class HttpRequestReader {

	private static final int MAX_LINE = 16 * 1024;

	private final InputStream in;

	private final int maxBodyBytes;

	HttpRequestReader(InputStream in, int maxBodyBytes) {
		this.in = in;
		this.maxBodyBytes = maxBodyBytes;
	}

	/**
	 * Read the request line and headers.
	 * @return the head, or {@code null} when the client closed the connection between
	 * requests
	 * @throws IOException on a malformed request or a broken connection
	 */
	Head readHead() throws IOException {
		String requestLine = readLine();
		if (requestLine == null) {
			return null;
		}
		String[] parts = requestLine.split(" ");
		if (parts.length != 3) {
			throw new IOException("Malformed request line: " + requestLine);
		}
		Map<String, String> headers = new LinkedHashMap<>();
		String line;
		while ((line = readLine()) != null && !line.isEmpty()) {
			int colon = line.indexOf(':');
			if (colon <= 0) {
				throw new IOException("Malformed header: " + line);
			}
			String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
			String value = line.substring(colon + 1).trim();
			headers.merge(name, value, (first, second) -> first + "," + second);
		}
		if (line == null) {
			throw new EOFException("Connection closed in the request head");
		}
		int query = parts[1].indexOf('?');
		String path = (query >= 0) ? parts[1].substring(0, query) : parts[1];
		return new Head(parts[0], path, headers);
	}

	/**
	 * Read the body that follows a head.
	 * @param head the head
	 * @return the body bytes (possibly empty)
	 * @throws BodyTooLargeException if the body is larger than the limit
	 * @throws IOException on a broken connection
	 */
	byte[] readBody(Head head) throws IOException {
		String transferEncoding = head.headers().get("transfer-encoding");
		if (transferEncoding != null && transferEncoding.toLowerCase(Locale.ROOT).contains("chunked")) {
			return readChunked();
		}
		String contentLength = head.headers().get("content-length");
		if (contentLength == null) {
			return new byte[0];
		}
		long length = Long.parseLong(contentLength.trim());
		if (length > this.maxBodyBytes) {
			throw new BodyTooLargeException();
		}
		return this.in.readNBytes((int) length);
	}

	private byte[] readChunked() throws IOException {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		while (true) {
			String sizeLine = readLine();
			if (sizeLine == null) {
				throw new EOFException("Connection closed in a chunked body");
			}
			int extension = sizeLine.indexOf(';');
			int size = Integer.parseInt((extension >= 0) ? sizeLine.substring(0, extension).trim() : sizeLine.trim(),
					16);
			if (size == 0) {
				String trailer;
				while ((trailer = readLine()) != null && !trailer.isEmpty()) {
					// trailers are not used by OTLP
				}
				return body.toByteArray();
			}
			if (body.size() + (long) size > this.maxBodyBytes) {
				throw new BodyTooLargeException();
			}
			body.write(this.in.readNBytes(size));
			readLine();
		}
	}

	private String readLine() throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int next;
		while ((next = this.in.read()) != -1) {
			if (next == '\n') {
				byte[] bytes = line.toByteArray();
				int length = (bytes.length > 0 && bytes[bytes.length - 1] == '\r') ? bytes.length - 1 : bytes.length;
				return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
			}
			if (line.size() >= MAX_LINE) {
				throw new IOException("Request line or header longer than " + MAX_LINE + " bytes");
			}
			line.write(next);
		}
		if (line.size() > 0) {
			throw new EOFException("Connection closed in the middle of a line");
		}
		return null;
	}

	/**
	 * A request line and its headers.
	 *
	 * @param method the method
	 * @param path the path without query
	 * @param headers the headers, names lower-cased
	 */
	record Head(String method, String path, Map<String, String> headers) {

		boolean expectsContinue() {
			return "100-continue".equalsIgnoreCase(this.headers.get("expect"));
		}

		/**
		 * Whether this is the connection preface of an HTTP/2 client with prior knowledge
		 * ({@code PRI * HTTP/2.0}), such as a gRPC client sent to this port.
		 */
		boolean isHttp2Preface() {
			return "PRI".equals(this.method) && "*".equals(this.path);
		}

		boolean wantsClose() {
			String connection = this.headers.get("connection");
			return connection != null && connection.toLowerCase(Locale.ROOT).contains("close");
		}

	}

	/**
	 * Thrown when a body exceeds the receiver's limit.
	 */
	static final class BodyTooLargeException extends IOException {

		BodyTooLargeException() {
			super("Request body too large");
		}

	}

}
