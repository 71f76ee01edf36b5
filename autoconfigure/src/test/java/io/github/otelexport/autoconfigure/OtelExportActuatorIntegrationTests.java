package io.github.otelexport.autoconfigure;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import com.jayway.jsonpath.JsonPath;
import io.github.otelexport.actuate.ExportStateEvaluator;
import io.github.otelexport.export.TestTime;
import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.stats.ExportErrorCategory;
import io.github.otelexport.testkit.OtlpReceiver;
import io.opentelemetry.api.OpenTelemetry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Walks the {@code otelExport} health indicator and the {@code otelexport} endpoint
 * through real failures of real OTLP receivers, over real HTTP on a random port.
 *
 * @author otel-export authors
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health,otelexport,metrics,prometheus",
				"management.endpoint.health.show-details=always", "otel.export.protocol=http/protobuf",
				"otel.export.timeout=1s", "otel.export.connect-timeout=1s", "otel.export.retry.max-attempts=2",
				"otel.export.retry.initial-backoff=50ms", "otel.export.retry.max-backoff=100ms",
				"otel.export.retry.max-elapsed-time=2s", "otel.export.batch.schedule-delay=50ms",
				"otel.export.batch.export-timeout=5s", "otel.export.fallback.failure-threshold=1",
				"otel.export.fallback.probe-interval=500ms", "otel.export.health.grace-period=1h",
				"otel.export.headers.x-api-key=" + OtelExportActuatorIntegrationTests.API_KEY,
				"management.tracing.sampling.probability=1.0",
				// spans only: OtelExportBootLoggingTests walks log records over HTTP
				"otel.export.logs.enabled=false" })
@ExtendWith(OutputCaptureExtension.class)
// Closes the context, its batch processor thread included, once the class is done
@DirtiesContext
class OtelExportActuatorIntegrationTests {

	static final String API_KEY = "hdr-s3cr3t-4711";

	static final String URL_PASSWORD = "url-pa55w0rd-0815";

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final OtlpReceiver primary = OtlpReceiver.start();

	private static final OtlpReceiver fallback = OtlpReceiver.start();

	/**
	 * The health's clock: it stands still from the start of the class until the test
	 * moves it, so the one-hour grace period passes without waiting.
	 */
	private static final TestTime time = new TestTime(Instant.now());

	private static final Duration GRACE_PERIOD = Duration.ofHours(1);

	private static final String DETAILS = "$.components.otelExport.details";

	private final LocalHttpClient http = new LocalHttpClient(() -> this.port);

	@LocalServerPort
	private int port;

	@Autowired
	private OpenTelemetry openTelemetry;

	@DynamicPropertySource
	static void endpoints(DynamicPropertyRegistry registry) {
		registry.add("otel.export.endpoint",
				() -> primary.httpEndpoint().replace("http://", "http://otel:" + URL_PASSWORD + "@"));
		registry.add("otel.export.fallback.endpoint",
				() -> fallback.httpEndpoint().replace("http://", "http://otel:" + URL_PASSWORD + "@"));
	}

	@AfterAll
	static void closeReceivers() {
		primary.close();
		fallback.close();
	}

	@Test
	void walksUpDegradedDownAndUnauthenticated(CapturedOutput output) {
		primary.accept();
		primary.requireHeader("x-api-key", API_KEY);
		fallback.accept();
		awaitHealth("UP", (health) -> assertThat(primary.spanCount()).isPositive());

		primary.refuseConnections();
		awaitHealth("DEGRADED", (health) -> {
			assertThat(read(health, "$.components.otelExport.details.lastError.category"))
				.isEqualTo("CONNECTION_REFUSED");
			assertThat(read(health, "$.components.otelExport.details.lastError.hint"))
				.isEqualTo(ExportErrorCategory.CONNECTION_REFUSED.hint(DestinationRole.PRIMARY));
			assertThat(fallback.spanCount()).isPositive();
		});
		HttpResponse<String> degraded = this.http.get("/actuator/health");
		assertThat(degraded.statusCode()).isEqualTo(200);
		assertThat(read(degraded.body(), "$.status")).isEqualTo("DEGRADED");

		fallback.refuseConnections();
		String failing = awaitHealth("DEGRADED", (health) -> {
			// Both endpoints fail: a run of failures has started
			assertThat(health).contains("\"failingSince\"");
			assertThat(read(health, DETAILS + ".lastError.category")).isEqualTo("CONNECTION_REFUSED");
		});
		Instant failingSince = Instant.parse(read(failing, DETAILS + ".failingSince"));
		moveClockTo(failingSince.plus(GRACE_PERIOD).minusMillis(1));
		HttpResponse<String> withinGrace = this.http.get("/actuator/health");
		assertThat(withinGrace.statusCode()).isEqualTo(200);
		assertThat(read(withinGrace.body(), "$.status")).isEqualTo("DEGRADED");
		assertFailing(withinGrace.body(), "DEGRADED", failingSince,
				"Exports failing for 59m59s, retrying (DOWN after the grace period of 1h)");

		moveClockTo(failingSince.plus(GRACE_PERIOD));
		// past the grace period the state is DOWN, but the application stays in service
		// (OtelExportHealthOutageTests: 503 only with otel.export.health.report-down)
		HttpResponse<String> down = this.http.get("/actuator/health");
		assertThat(down.statusCode()).isEqualTo(200);
		assertThat(read(down.body(), "$.status")).isEqualTo("DEGRADED");
		assertFailing(down.body(), "DEGRADED", failingSince,
				"Nothing exported for 1h while exports fail (grace period 1h); reported as DEGRADED, not DOWN, "
						+ "as otel.export.health.report-down is false");
		assertThat(read(down.body(), DETAILS + ".state")).isEqualTo("DOWN");
		HttpResponse<String> downState = this.http.get("/actuator/otelexport");
		assertThat(read(downState.body(), "$.state")).isEqualTo("DOWN");
		// Back to the start of that run, so the failures that follow are younger than the
		// grace period again
		moveClockTo(failingSince);

		fallback.accept();
		primary.accept();
		primary.requireHeader("x-api-key", "another-key");
		awaitHealth("DEGRADED", (health) -> {
			assertThat(read(health, "$.components.otelExport.details.lastError.category")).isEqualTo("UNAUTHENTICATED");
			assertThat(read(health, "$.components.otelExport.details.lastError.hint"))
				.isEqualTo(ExportErrorCategory.UNAUTHENTICATED.hint(DestinationRole.PRIMARY));
		});

		HttpResponse<String> unauthenticated = this.http.get("/actuator/otelexport/unauthenticated");
		assertThat(unauthenticated.statusCode()).isEqualTo(200);
		assertThat(read(unauthenticated.body(), "$.category")).isEqualTo("UNAUTHENTICATED");
		assertThat(read(unauthenticated.body(), "$.hint"))
			.isEqualTo(ExportErrorCategory.UNAUTHENTICATED.hint(DestinationRole.PRIMARY));
		assertThat(JsonPath.<List<String>>read(unauthenticated.body(), "$.recentErrors[*].message")).isNotEmpty()
			.allSatisfy((message) -> assertThat(message).contains("401"));
		HttpResponse<String> refused = this.http.get("/actuator/otelexport/Connection_Refused");
		assertThat(JsonPath.<Integer>read(refused.body(), "$.count")).isPositive();

		HttpResponse<String> export = this.http.get("/actuator/otelexport");
		assertThat(export.statusCode()).isEqualTo(200);
		assertThat(read(export.body(), "$.state")).isEqualTo("DEGRADED");
		assertThat(JsonPath.<Integer>read(export.body(), "$.errors.CONNECTION_REFUSED.count")).isPositive();
		assertThat(JsonPath.<List<String>>read(export.body(), "$.exporters[*].role")).containsExactly("primary",
				"fallback");
		// log export is off: the logs section and the category's logs counts are null
		assertThat(JsonPath.<Map<String, Object>>read(export.body(), "$")).containsEntry("logs", null);
		assertThat(JsonPath.<Map<String, Object>>read(refused.body(), "$")).containsEntry("logs", null);
		assertThat(read(export.body(), "$.configuration.destinations[0].headers.x-api-key")).isEqualTo("******");
		assertThat(read(export.body(), "$.configuration.destinations[0].endpoint")).isEqualTo(primary.httpEndpoint());
		assertThat(read(export.body(), "$.configuration.destinations[1].endpoint")).isEqualTo(fallback.httpEndpoint());
		// the buffer, as the endpoint and the health show it
		List<Map<String, Object>> buffers = List.of(JsonPath.read(export.body(), "$.buffer"),
				JsonPath.read(this.http.get("/actuator/health").body(), DETAILS + ".buffer"));
		assertThat(buffers).allSatisfy((buffer) -> assertThat(buffer)
			.containsKeys("bytes", "maxBytes", "batches", "spans", "oldestAgeMillis", "drainRate")
			.containsEntry("maxBytes", 64 * 1024 * 1024));

		assertNoSecrets(output, "/actuator/health", "/actuator/otelexport", "/actuator/otelexport/unauthenticated",
				"/actuator/metrics/otel.export.spans", "/actuator/prometheus");

		// Last, as it may leave a secret in the captured output: a backend whose error
		// message echoes the API key it was sent
		String echo = "span rejected: quota exceeded for key " + API_KEY;
		primary.accept();
		primary.partialSuccess(1, echo);
		fallback.partialSuccess(1, echo);
		await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
			emitSpan();
			HttpResponse<String> rejected = this.http.get("/actuator/otelexport/rejected");
			assertThat(JsonPath.<Integer>read(rejected.body(), "$.count")).isPositive();
		});
		// The backend's message echoes the key: the recent errors, the health's
		// lastError.message and the log must show it masked
		assertNoSecrets(output, "/actuator/health", "/actuator/otelexport", "/actuator/otelexport/rejected");
	}

	@Test
	void unknownCategoryIsABadRequest() {
		HttpResponse<String> response = this.http.get("/actuator/otelexport/refused");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(read(response.body(), "$.error")).contains("'refused'");
		assertThat(JsonPath.<List<String>>read(response.body(), "$.validCategories")).hasSize(10)
			.contains("connection_refused", "unauthenticated", "tls");
	}

	@Test
	void diagnosisIsRefusedWhileTheEndpointIsReadOnly() {
		HttpResponse<String> response = this.http.post("/actuator/otelexport");
		assertThat(response.statusCode()).isEqualTo(405);
		assertThat(this.http.get("/actuator/otelexport").statusCode()).isEqualTo(200);
	}

	@Test
	void metricsAreVisibleWithTheirTags() {
		emitSpan();
		HttpResponse<String> spans = this.http.get("/actuator/metrics/otel.export.spans");
		assertThat(spans.statusCode()).isEqualTo(200);
		assertThat(JsonPath.<List<String>>read(spans.body(), "$.availableTags[*].tag"))
			.containsExactlyInAnyOrder("exporter", "outcome", "signal");
		for (String name : List.of("otel.export.spans.dropped", "otel.export.errors", "otel.export.retries",
				"otel.export.queue.size", "otel.export.queue.capacity", "otel.export.buffer.oldest.age",
				"otel.export.buffer.drain.rate", "otel.export.circuit.state", "otel.export.duration")) {
			assertThat(this.http.get("/actuator/metrics/" + name).statusCode()).as(name).isEqualTo(200);
		}
		HttpResponse<String> prometheus = this.http.get("/actuator/prometheus");
		assertThat(prometheus.statusCode()).isEqualTo(200);
		assertThat(prometheus.body()).contains(
				"otel_export_spans_total{exporter=\"primary\",outcome=\"exported\",signal=\"traces\"}",
				"otel_export_spans_dropped_total{reason=\"queue_full\",signal=\"traces\"}",
				"otel_export_errors_total{category=\"tls\",signal=\"traces\"}",
				"otel_export_retries_total{signal=\"traces\"}", "otel_export_queue_size{signal=\"traces\"}",
				"otel_export_queue_capacity{signal=\"traces\"}", "otel_export_circuit_state{signal=\"traces\"}",
				"otel_export_duration_seconds_count{exporter=\"primary\"", "otel_export_buffer_oldest_age_seconds ",
				"otel_export_buffer_drain_rate{signal=\"traces\"}");
		// log export is off: no meter of log records
		assertThat(prometheus.body()).doesNotContain("signal=\"logs\"");
	}

	private String awaitHealth(String status, Consumer<String> assertions) {
		AtomicReference<String> matched = new AtomicReference<>();
		await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
			emitSpan();
			String health = this.http.get("/actuator/health").body();
			assertThat(read(health, "$.components.otelExport.status")).as(health).isEqualTo(status);
			assertions.accept(health);
			matched.set(health);
		});
		return matched.get();
	}

	private static void assertFailing(String health, String status, Instant failingSince, String reason) {
		assertThat(read(health, "$.components.otelExport.status")).as(health).isEqualTo(status);
		assertThat(read(health, DETAILS + ".reason")).isEqualTo(reason);
		assertThat(Instant.parse(read(health, DETAILS + ".failingSince"))).isEqualTo(failingSince);
		assertThat(read(health, DETAILS + ".lastError.category")).isEqualTo("CONNECTION_REFUSED");
		assertThat(read(health, DETAILS + ".lastError.exporter")).isIn("primary", "fallback");
	}

	private static void moveClockTo(Instant instant) {
		time.advance(Duration.between(time.instant(), instant));
	}

	private void assertNoSecrets(CapturedOutput output, String... paths) {
		for (String path : paths) {
			String body = this.http.get(path).body();
			assertThat(body).as(path).isNotEmpty().doesNotContain(API_KEY).doesNotContain(URL_PASSWORD);
		}
		assertThat(output.getAll()).doesNotContain(API_KEY).doesNotContain(URL_PASSWORD);
	}

	private void emitSpan() {
		this.openTelemetry.getTracer("test").spanBuilder("probe").startSpan().end();
	}

	private static String read(String json, String path) {
		Object value = JsonPath.read(json, path);
		return String.valueOf(value);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

		// Replaces the shared evaluator, so the health and the endpoint read the test's
		// clock
		@Bean
		ExportStateEvaluator testExportStateEvaluator() {
			return new ExportStateEvaluator(GRACE_PERIOD, time);
		}

	}

}
