package io.github.otelexport.sample;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import io.github.otelexport.testkit.OtlpReceiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Drives the sample's fault playground over real HTTP and watches each error category
 * appear in {@code /actuator/otelexport} and {@code /actuator/health}, then recover, for
 * the spans and for the log records of the shop's log lines.
 *
 * @author otel-export authors
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.traffic.requests-per-second=20", "otel.export.timeout=1s",
				"otel.export.connect-timeout=1s", "otel.export.retry.initial-backoff=50ms",
				"otel.export.retry.max-backoff=200ms", "otel.export.retry.max-attempts=2",
				"otel.export.retry.max-elapsed-time=4s", "otel.export.batch.schedule-delay=100ms",
				"otel.export.batch.export-timeout=10s", "otel.export.fallback.failure-threshold=1",
				"otel.export.fallback.probe-interval=500ms", "otel.export.health.grace-period=2s",
				"otel.export.diagnostics.startup-check=false" })
class SamplePlaygroundTests {

	private static final Duration PATIENCE = Duration.ofSeconds(30);

	@LocalServerPort
	private int port;

	@Autowired
	private EmbeddedBackend backend;

	@Test
	void spansFromBothApisReachTheEmbeddedBackend() throws Exception {
		post("/playground/healthy");
		assertThat(get("/hello?name=test").body()).contains("Hello, test!");
		assertThat(get("/checkout?items=2").statusCode()).isEqualTo(200);
		await().atMost(PATIENCE).until(() -> this.<Integer>read("/playground", "$.primarySpans") > 0);
		await().atMost(PATIENCE).until(() -> "UP".equals(healthStatus()));
	}

	@Test
	void aLogLineOfTheShopReachesTheEmbeddedBackendOnceAsALogRecordAndThePlaygroundShowsIt() throws Exception {
		post("/playground/healthy");
		await().atMost(PATIENCE).until(() -> "UP".equals(healthStatus()));
		String traceId = read("/checkout?items=42", "$.order");
		await().atMost(PATIENCE).until(() -> !checkoutLogLines(traceId).isEmpty());
		// a line logged after it arrives too: its batch went out, and was not sent again
		String later = read("/checkout?items=43", "$.order");
		await().atMost(PATIENCE).until(() -> !checkoutLogLines(later).isEmpty());
		assertThat(checkoutLogLines(traceId)).containsExactly("Checked out 42 items");
		assertThat(this.<Integer>read("/playground", "$.primaryLogRecords")
				+ this.<Integer>read("/playground", "$.fallbackLogRecords"))
			.isGreaterThanOrEqualTo(2);
		assertThat(this.<Number>read("/playground", "$.logs.logRecords.exported").longValue())
			.isGreaterThanOrEqualTo(2);
		assertThat(this.<String>read("/playground", "$.logs.state")).isEqualTo("UP");
	}

	/**
	 * The bodies of the log records of one trace that either receiver got.
	 */
	private List<String> checkoutLogLines(String traceId) {
		return Stream.of(this.backend.primary(), this.backend.fallback())
			.map(OtlpReceiver::logRecordsByTraceId)
			.flatMap((byTraceId) -> byTraceId.getOrDefault(traceId, List.of()).stream())
			.map((record) -> record.getBody().getStringValue())
			.toList();
	}

	@Test
	void prometheusScrapesTheExportMeters() throws Exception {
		post("/playground/healthy");
		await().atMost(PATIENCE).untilAsserted(() -> {
			HttpResponse<String> scrape = get("/actuator/prometheus");
			assertThat(scrape.statusCode()).isEqualTo(200);
			assertThat(scrape.body())
				.containsPattern(
						"(?m)^otel_export_spans_total\\{[^}]*exporter=\"primary\"[^}]*outcome=\"exported\"[^}]*} [1-9]")
				.contains("otel_export_spans_dropped_total{")
				.contains("otel_export_circuit_state ");
		});
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource({ "refused, CONNECTION_REFUSED", "slow, DEADLINE_EXCEEDED", "api-key, UNAUTHENTICATED",
			"too-large, RESOURCE_EXHAUSTED", "unavailable, UNAVAILABLE", "wrong-path, INVALID_ENDPOINT",
			"untrusted-tls, TLS" })
	void eachFaultShowsItsCategoryAndTheFallbackKeepsSpansAndLogRecordsFlowing(String fault, String category)
			throws Exception {
		post("/playground/healthy");
		await().atMost(PATIENCE).until(() -> "UP".equals(healthStatus()));
		post("/playground/" + fault);
		await().atMost(PATIENCE).until(() -> category.equals(latestErrorCategory()));
		await().atMost(PATIENCE).until(() -> "DEGRADED".equals(healthStatus()));
		String hint = read("/actuator/otelexport/" + category.toLowerCase(), "$.hint");
		assertThat(hint).isNotBlank();
		int fallbackSpans = read("/playground", "$.fallbackSpans");
		int fallbackLogRecords = read("/playground", "$.fallbackLogRecords");
		await().atMost(PATIENCE).until(() -> this.<Integer>read("/playground", "$.fallbackSpans") > fallbackSpans);
		// the fault is the receiver's: log records fail over too, and the health says so
		await().atMost(PATIENCE)
			.until(() -> this.<Integer>read("/playground", "$.fallbackLogRecords") > fallbackLogRecords);
		await().atMost(PATIENCE).until(() -> failingSignals().contains("logs"));
		post("/playground/healthy");
		await().atMost(PATIENCE).until(() -> "UP".equals(healthStatus()));
		assertThat(failingSignals()).isEmpty();
	}

	private List<String> failingSignals() throws IOException, InterruptedException {
		return read("/actuator/health", "$.components.otelExport.details.failing");
	}

	@Test
	void partialSuccessIsRejectedWhileTheHealthStaysUpAndRecovers() throws Exception {
		post("/playground/healthy");
		await().atMost(PATIENCE).until(() -> "UP".equals(healthStatus()));
		post("/playground/partial");
		await().atMost(PATIENCE).until(() -> "REJECTED".equals(latestErrorCategory()));
		assertThat(this.<String>read("/actuator/otelexport/rejected", "$.recentErrors[0].message"))
			.contains("rejected 1 of")
			.contains("card.number");
		// The traffic generator sends its requests in a burst each second, so batches
		// hold
		// many spans: each is exported, one span rejected, and the health is UP while
		// rejections go on. (A rare batch of a single span would be rejected whole, a
		// failed attempt: DEGRADED, on the fallback, until a probe reaches the primary.)
		int rejected = rejectedCount();
		int primarySpans = read("/playground", "$.primarySpans");
		await().atMost(PATIENCE)
			.until(() -> rejectedCount() > rejected
					&& this.<Integer>read("/playground", "$.primarySpans") > primarySpans
					&& "UP".equals(healthStatus()));
		assertThat(this.<Integer>read("/actuator/otelexport", "$.dropped.permanent_error")).isPositive();
		// Recovery: once the burst after the switch has arrived (a request answered under
		// the fault may still be settling while the first one arrives), no span is
		// rejected
		post("/playground/healthy");
		awaitPrimaryReceivesMore();
		awaitPrimaryReceivesMore();
		int rejectedAfterSwitch = rejectedCount();
		awaitPrimaryReceivesMore();
		assertThat(rejectedCount()).isEqualTo(rejectedAfterSwitch);
		await().atMost(PATIENCE).until(() -> "UP".equals(healthStatus()));
	}

	private void awaitPrimaryReceivesMore() throws IOException, InterruptedException {
		int primarySpans = read("/playground", "$.primarySpans");
		await().atMost(PATIENCE).until(() -> this.<Integer>read("/playground", "$.primarySpans") > primarySpans);
	}

	private int rejectedCount() throws IOException, InterruptedException {
		return read("/actuator/otelexport", "$.errors.REJECTED.count");
	}

	@Test
	void bothBackendsDownPastTheGracePeriodIsDownInTheDetailsWhileTheApplicationStaysUp() throws Exception {
		post("/playground/all-down");
		await().atMost(PATIENCE)
			.until(() -> "DOWN".equals(read("/actuator/health", "$.components.otelExport.details.state")));
		// by default the outage never fails the application's health
		assertThat(healthStatus()).isEqualTo("DEGRADED");
		assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
		assertThat(this.<String>read("/actuator/otelexport", "$.state")).isEqualTo("DOWN");
		assertThat(this.<List<String>>read("/actuator/otelexport", "$.recentErrors[*].category"))
			.contains("CONNECTION_REFUSED");
		// the log records fail the same way, and the health names both signals
		await().atMost(PATIENCE).until(() -> "DOWN".equals(read("/playground", "$.logs.state")));
		assertThat(failingSignals()).containsExactly("traces", "logs");
		post("/playground/healthy");
		await().atMost(PATIENCE).until(() -> "UP".equals(healthStatus()));
	}

	private String latestErrorCategory() throws IOException, InterruptedException {
		return client().latestErrorCategory();
	}

	private String healthStatus() throws IOException, InterruptedException {
		return client().healthStatus();
	}

	private <T> T read(String path, String jsonPath) throws IOException, InterruptedException {
		return client().read(path, jsonPath);
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return client().get(path);
	}

	private void post(String path) throws IOException, InterruptedException {
		client().post(path);
	}

	private PlaygroundClient client() {
		return new PlaygroundClient(this.port);
	}

}
