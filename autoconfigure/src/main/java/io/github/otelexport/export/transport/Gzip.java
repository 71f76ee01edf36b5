package io.github.otelexport.export.transport;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Compresses request bodies for {@code Content-Encoding: gzip} and
 * {@code grpc-encoding: gzip}, and expands compressed answers, never beyond a limit.
 *
 * @author otel-export authors
 */
final class Gzip {

	private Gzip() {
	}

	static byte[] compress(byte[] bytes) {
		ByteArrayOutputStream compressed = new ByteArrayOutputStream(Math.max(64, bytes.length / 4));
		try (GZIPOutputStream out = new GZIPOutputStream(compressed)) {
			out.write(bytes);
		}
		catch (IOException ex) {
			// no I/O happens: the target is an array
			throw new UncheckedIOException(ex);
		}
		return compressed.toByteArray();
	}

	/**
	 * Expand gzip bytes, at most {@code limit} of them: a small answer that expands to
	 * gigabytes is cut, not read. Bytes that are not gzip come back as they are.
	 * @param bytes the compressed bytes
	 * @param limit the most bytes to return
	 * @return the expanded bytes, or {@code bytes} when they are not gzip
	 */
	static byte[] decompress(byte[] bytes, int limit) {
		try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
			return in.readNBytes(limit);
		}
		catch (IOException ex) {
			// not gzip after all, or cut short: keep what the server sent
			return bytes;
		}
	}

}
