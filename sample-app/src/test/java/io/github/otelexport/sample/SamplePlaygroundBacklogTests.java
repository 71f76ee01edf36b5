package io.github.otelexport.sample;

import java.time.Duration;
import java.util.Map;

import io.github.otelexport.actuate.ExportStateEvaluator;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The playground's outage of both receivers, watched through the buffer numbers its
 * status shows: a backlog builds while they are down and drains once they are back, and
 * no span or log record is lost. Each batch retries far longer than the outage lasts
 * here.
 *
 * @author otel-export authors
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.traffic.requests-per-second=20", "otel.export.timeout=1s",
				"otel.export.connect-timeout=1s", "otel.export.retry.initial-backoff=50ms",
				"otel.export.retry.max-backoff=200ms", "otel.export.retry.max-attempts=1000",
				"otel.export.batch.schedule-delay=100ms", "otel.export.batch.export-timeout=10s",
				"otel.export.fallback.failure-threshold=1", "otel.export.fallback.probe-interval=500ms",
				"otel.export.diagnostics.startup-check=false" })
class SamplePlaygroundBacklogTests {

	private static final Duration PATIENCE = Duration.ofSeconds(30);

	@LocalServerPort
	private int port;

	@Test
	void aBacklogBuildsWhileBothReceiversAreDownAndDrainsOnceTheyAreBack() throws Exception {
		PlaygroundClient client = new PlaygroundClient(this.port);
		client.post("/playground/healthy");
		await().atMost(PATIENCE).until(() -> "UP".equals(client.healthStatus()));
		client.post("/playground/all-down");
		int logRecordsReceived = logRecordsReceived(client);
		long backlogMillis = ExportStateEvaluator.BACKLOG_AGE.toMillis();
		// a backlog, and nothing exported for a whole drain-rate window
		await().atMost(PATIENCE)
			.until(() -> this.<Number>buffer(client, "oldestAgeMillis").longValue() > backlogMillis
					&& this.<Number>buffer(client, "drainRate").doubleValue() == 0);
		Map<String, Object> backlog = client.read("/playground", "$.buffer");
		assertThat(((Number) backlog.get("spans")).longValue()).isPositive();
		assertThat(((Number) backlog.get("bytes")).longValue()).isPositive();
		assertThat(backlog.get("timeToDrainMillis")).as("nothing goes out: no estimate").isNull();
		assertThat(client.healthStatus()).isEqualTo("DEGRADED");
		client.post("/playground/healthy");
		await().atMost(PATIENCE)
			.until(() -> this.<Number>buffer(client, "spans").longValue() == 0
					&& this.<Number>buffer(client, "drainRate").doubleValue() > 0);
		assertThat(client.<Number>read("/actuator/otelexport", "$.spans.dropped").longValue())
			.as("the buffer rode out the outage")
			.isZero();
		// the log records waited in the same buffer
		assertThat(client.<Number>read("/playground", "$.logs.logRecords.dropped").longValue()).isZero();
		assertThat(logRecordsReceived(client)).isGreaterThan(logRecordsReceived);
		await().atMost(PATIENCE).until(() -> "UP".equals(client.healthStatus()));
	}

	private int logRecordsReceived(PlaygroundClient client) throws Exception {
		return client.<Integer>read("/playground", "$.primaryLogRecords")
				+ client.<Integer>read("/playground", "$.fallbackLogRecords");
	}

	private <T> T buffer(PlaygroundClient client, String field) throws Exception {
		return client.read("/playground", "$.buffer." + field);
	}

}
