package io.github.otelexport.export.transport;

import java.net.URI;

import org.junit.jupiter.api.Test;

import static io.github.otelexport.export.transport.TransportTestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link TransportSettings}: where each signal's requests go.
 *
 * @author otel-export authors
 */
class TransportSettingsTests {

	@Test
	void httpLogsEndpointIsDerivedFromATracesEndpoint() {
		assertThat(settings("http://collector:4318/v1/traces").httpEndpoint(Signal.LOGS))
			.isEqualTo(URI.create("http://collector:4318/v1/logs"));
		assertThat(settings("https://otlp.example.com/otlp/v1/traces?tenant=a%20b").httpEndpoint(Signal.LOGS))
			.isEqualTo(URI.create("https://otlp.example.com/otlp/v1/logs?tenant=a%20b"));
		assertThat(settings("http://collector:4318/v1/traces").httpEndpoint(Signal.TRACES))
			.isEqualTo(URI.create("http://collector:4318/v1/traces"));
	}

	@Test
	void givenLogsEndpointWins() {
		TransportSettings settings = settings("http://collector:4318/v1/traces")
			.withLogsEndpoint(URI.create("http://logs:4318/v1/logs"));
		assertThat(settings.httpEndpoint(Signal.LOGS)).isEqualTo(URI.create("http://logs:4318/v1/logs"));
		assertThat(settings.grpcEndpoint(Signal.LOGS)).isEqualTo(URI.create("http://logs:4318/v1/logs"));
		assertThat(settings.withHeader("x", "y").logsEndpoint()).isEqualTo(URI.create("http://logs:4318/v1/logs"));
	}

	@Test
	void grpcLogsGoToTheEndpointItself() {
		assertThat(settings("http://collector:4317").grpcEndpoint(Signal.LOGS))
			.isEqualTo(URI.create("http://collector:4317"));
	}

	@Test
	void httpLogsEndpointThatCannotBeDerivedSaysWhatToGive() {
		assertThatIllegalStateException()
			.isThrownBy(() -> settings("http://user:secret@collector:4318/ingest").httpEndpoint(Signal.LOGS))
			.withMessage("No logs endpoint for http/protobuf: the endpoint 'http://collector:4318/ingest' does not "
					+ "end in /v1/traces, so the URL of log records cannot be derived from it; give the logs "
					+ "endpoint (TransportSettings.withLogsEndpoint), usually the endpoint's base URL with /v1/logs");
	}

	@Test
	void logsEndpointMustShareTheScheme() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> settings("http://collector:4318/v1/traces")
				.withLogsEndpoint(URI.create("https://collector:4318/v1/logs")))
			.withMessageContaining("logsEndpoint must use the scheme of endpoint (http)");
		assertThatIllegalArgumentException()
			.isThrownBy(
					() -> settings("http://collector:4318/v1/traces").withLogsEndpoint(URI.create("ftp://x/v1/logs")))
			.withMessageContaining("logsEndpoint must be an http:// or https:// URL");
	}

}
