package io.github.otelexport.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import com.jayway.jsonpath.JsonPath;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Talks to a running sample over real HTTP: the playground, the health and the
 * {@code otelexport} endpoint.
 *
 * @author otel-export authors
 */
final class PlaygroundClient {

	private final HttpClient http = HttpClient.newHttpClient();

	private final int port;

	PlaygroundClient(int port) {
		this.port = port;
	}

	String latestErrorCategory() throws IOException, InterruptedException {
		List<String> categories = read("/actuator/otelexport", "$.recentErrors[*].category");
		return categories.isEmpty() ? null : categories.get(0);
	}

	String healthStatus() throws IOException, InterruptedException {
		return read("/actuator/health", "$.components.otelExport.status");
	}

	<T> T read(String path, String jsonPath) throws IOException, InterruptedException {
		return JsonPath.read(get(path).body(), jsonPath);
	}

	HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
	}

	void post(String path) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(path).isEqualTo(200);
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

}
