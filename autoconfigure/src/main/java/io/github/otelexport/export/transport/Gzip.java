package io.github.otelexport.export.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

/**
 * Compresses request bodies for {@code Content-Encoding: gzip} and
 * {@code grpc-encoding: gzip}.
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

}
