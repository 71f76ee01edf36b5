package io.github.otelexport.autoconfigure;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.IntSupplier;

/**
 * Sends requests over real HTTP to the application under test on its local port.
 *
 * @author otel-export authors
 */
final class LocalHttpClient {

	private final HttpClient http = HttpClient.newHttpClient();

	private final IntSupplier port;

	/**
	 * Create a new instance.
	 * @param port supplies the port, read on every request because a test's
	 * {@code @LocalServerPort} field is injected after the test instance is created
	 */
	LocalHttpClient(IntSupplier port) {
		this.port = port;
	}

	HttpResponse<String> get(String path) {
		return send(HttpRequest.newBuilder(uri(path)).GET().build());
	}

	HttpResponse<String> post(String path) {
		return send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.noBody())
			.build());
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port.getAsInt() + path);
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
