package io.github.otelexport.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLContext;

import com.google.protobuf.MessageLite;

/**
 * A real OTLP/HTTP client for tests, on {@link HttpClient}.
 *
 * @author otel-export authors
 */
final class HttpExport {

	private final HttpClient client;

	HttpExport() {
		this(null);
	}

	HttpExport(SSLContext sslContext) {
		this(sslContext, HttpClient.Version.HTTP_1_1);
	}

	HttpExport(SSLContext sslContext, HttpClient.Version version) {
		HttpClient.Builder builder = HttpClient.newBuilder().version(version).connectTimeout(Duration.ofSeconds(5));
		if (sslContext != null) {
			builder.sslContext(sslContext);
		}
		this.client = builder.build();
	}

	HttpResponse<byte[]> export(String url, MessageLite request, String... headers)
			throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(URI.create(url))
			.header("Content-Type", "application/x-protobuf")
			.POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray())), headers);
	}

	HttpResponse<byte[]> exportGzip(String url, MessageLite request) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(URI.create(url))
			.header("Content-Type", "application/x-protobuf")
			.header("Content-Encoding", "gzip")
			.POST(HttpRequest.BodyPublishers.ofByteArray(gzip(request.toByteArray()))));
	}

	HttpResponse<byte[]> send(HttpRequest.Builder request, String... headers) throws IOException, InterruptedException {
		if (headers.length > 0) {
			request.headers(headers);
		}
		return this.client.send(request.timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofByteArray());
	}

	private static byte[] gzip(byte[] bytes) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
			gzip.write(bytes);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

}
