package io.github.otelexport.sample;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The playground over OTLP/HTTP: the faults whose HTTP status (413, 503, 404) differs
 * from their gRPC one, each seen in {@code /actuator/otelexport} and the health, then
 * recovered. The embedded backend gives the receivers' HTTP endpoints for this protocol.
 *
 * @author otel-export authors
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "otel.export.protocol=http/protobuf", "sample.traffic.requests-per-second=20",
				"otel.export.timeout=1s", "otel.export.connect-timeout=1s", "otel.export.retry.initial-backoff=50ms",
				"otel.export.retry.max-backoff=200ms", "otel.export.retry.max-attempts=2",
				"otel.export.retry.max-elapsed-time=4s", "otel.export.batch.schedule-delay=100ms",
				"otel.export.batch.export-timeout=10s", "otel.export.fallback.failure-threshold=1",
				"otel.export.fallback.probe-interval=500ms", "otel.export.health.grace-period=2s",
				"otel.export.diagnostics.startup-check=false" })
class SamplePlaygroundHttpProtobufTests {

	private static final Duration PATIENCE = Duration.ofSeconds(30);

	@LocalServerPort
	private int port;

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource({ "too-large, RESOURCE_EXHAUSTED, 413", "unavailable, UNAVAILABLE, 503",
			"wrong-path, INVALID_ENDPOINT, 404" })
	void eachHttpFaultShowsItsCategoryAndRecovers(String fault, String category, String status) throws Exception {
		PlaygroundClient client = new PlaygroundClient(this.port);
		client.post("/playground/healthy");
		await().atMost(PATIENCE).until(() -> "UP".equals(client.healthStatus()));
		client.post("/playground/" + fault);
		await().atMost(PATIENCE).until(() -> category.equals(client.latestErrorCategory()));
		assertThat(client.<String>read("/actuator/otelexport", "$.recentErrors[0].message")).contains(status);
		await().atMost(PATIENCE).until(() -> "DEGRADED".equals(client.healthStatus()));
		int fallbackSpans = client.read("/playground", "$.fallbackSpans");
		int fallbackLogRecords = client.read("/playground", "$.fallbackLogRecords");
		await().atMost(PATIENCE).until(() -> client.<Integer>read("/playground", "$.fallbackSpans") > fallbackSpans);
		// log records, to /v1/logs, fail over as well
		await().atMost(PATIENCE)
			.until(() -> client.<Integer>read("/playground", "$.fallbackLogRecords") > fallbackLogRecords);
		client.post("/playground/healthy");
		await().atMost(PATIENCE).until(() -> "UP".equals(client.healthStatus()));
	}

}
