package io.github.otelexport.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.jayway.jsonpath.JsonPath;
import io.github.otelexport.testkit.OtlpReceiver;
import io.grpc.Status;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chaos run seen from outside: a Spring Boot application ends 200,000 spans through
 * the OpenTelemetry API while its receiver cycles through faults, and
 * {@code /actuator/otelexport}, read over real HTTP, accounts for every one of them.
 * {@code ChaosTests} runs the core pipeline through more faults, with and without a
 * fallback.
 *
 * @author otel-export authors
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		// the reads of /actuator/otelexport must not make spans of their own
		properties = { "management.endpoints.web.exposure.include=otelexport",
				"management.observations.enable.http.server.requests=false",
				"management.tracing.sampling.probability=1.0", "otel.export.timeout=500ms",
				"otel.export.connect-timeout=500ms", "otel.export.retry.max-attempts=2",
				"otel.export.retry.initial-backoff=20ms", "otel.export.retry.max-backoff=50ms",
				"otel.export.retry.max-elapsed-time=2s", "otel.export.batch.schedule-delay=20ms",
				"otel.export.batch.export-timeout=5s", "otel.export.diagnostics.startup-check=false" })
@DirtiesContext
class OtelExportActuatorChaosTests {

	private static final int SPANS_PER_FAULT = 200_000 / 8;

	private static final int SPANS_PER_POLL = 250;

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static final OtlpReceiver receiver = OtlpReceiver.start();

	private final LocalHttpClient http = new LocalHttpClient(() -> this.port);

	@LocalServerPort
	private int port;

	@Autowired
	private OpenTelemetry openTelemetry;

	@Autowired
	private SdkTracerProvider tracerProvider;

	private long created;

	@DynamicPropertySource
	static void endpoints(DynamicPropertyRegistry registry) {
		registry.add("otel.export.endpoint", receiver::grpcEndpoint);
	}

	@AfterAll
	static void closeReceiver() {
		receiver.close();
	}

	@Test
	void endpointAccountsForEverySpanThroughEveryFault() {
		Tracer tracer = this.openTelemetry.getTracer("chaos");
		Map<String, Consumer<OtlpReceiver>> faults = new LinkedHashMap<>();
		faults.put("CONNECTION_REFUSED", OtlpReceiver::refuseConnections);
		faults.put("UNAVAILABLE", (receiver) -> receiver.respondWithGrpcStatus(Status.Code.UNAVAILABLE));
		faults.put("DEADLINE_EXCEEDED", (receiver) -> receiver.delayResponses(Duration.ofSeconds(1)));
		faults.put("UNAUTHENTICATED", (receiver) -> receiver.requireHeader("x-api-key", "not-sent"));
		faults.put("RESOURCE_EXHAUSTED", (receiver) -> receiver.respondWithGrpcStatus(Status.Code.RESOURCE_EXHAUSTED));
		faults.put("REJECTED", (receiver) -> receiver.partialSuccess(1, "one span refused"));
		faults.put("INVALID_ENDPOINT", (receiver) -> receiver.respondWithGrpcStatus(Status.Code.UNIMPLEMENTED));
		faults.forEach((category, fault) -> {
			receiver.accept();
			fault.accept(receiver);
			long phaseStart = this.created;
			long errorsBefore = errors(category);
			// keep spans coming until the fault shows in the endpoint, then finish the
			// phase; spans are ended on the test's own thread
			await().atMost(WAIT).pollInSameThread().pollInterval(Duration.ofMillis(10)).until(() -> {
				endSpans(tracer, SPANS_PER_POLL);
				return errors(category) > errorsBefore;
			});
			endSpans(tracer, (int) Math.max(0, SPANS_PER_FAULT - (this.created - phaseStart)));
		});
		receiver.accept();
		endSpans(tracer, SPANS_PER_FAULT);
		assertThat(this.tracerProvider.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
		await().atMost(WAIT).until(() -> number(export(), "$.spans.inFlight") == 0);

		String export = export();
		assertThat(this.created).isGreaterThanOrEqualTo(200_000);
		assertThat(number(export, "$.spans.received")).isEqualTo(this.created);
		long exported = number(export, "$.spans.exported");
		long dropped = number(export, "$.spans.dropped");
		assertThat(exported + dropped).isEqualTo(this.created);
		assertThat(JsonPath.<Map<String, Number>>read(export, "$.dropped").values()).isNotEmpty()
			.satisfies((counts) -> assertThat(counts.stream().mapToLong(Number::longValue).sum()).isEqualTo(dropped));
		assertThat(JsonPath.<List<Number>>read(export, "$.exporters[*].exportedSpans")).singleElement()
			.satisfies((count) -> assertThat(count.longValue()).isEqualTo(exported));
		assertThat(JsonPath.<Map<String, Object>>read(export, "$.errors"))
			.containsKeys(faults.keySet().toArray(String[]::new));
		// every span counted as exported reached the receiver; a request that timed out
		// here may have reached it too
		assertThat((long) receiver.spanCount()).isGreaterThanOrEqualTo(exported);
	}

	private void endSpans(Tracer tracer, int count) {
		for (int i = 0; i < count; i++) {
			tracer.spanBuilder("chaos").startSpan().end();
		}
		this.created += count;
	}

	private long errors(String category) {
		Map<String, Map<String, Object>> errors = JsonPath.read(export(), "$.errors");
		return errors.containsKey(category) ? ((Number) errors.get(category).get("count")).longValue() : 0;
	}

	private String export() {
		return this.http.get("/actuator/otelexport").body();
	}

	private static long number(String json, String path) {
		return JsonPath.<Number>read(json, path).longValue();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ChaosApplication {

	}

}
