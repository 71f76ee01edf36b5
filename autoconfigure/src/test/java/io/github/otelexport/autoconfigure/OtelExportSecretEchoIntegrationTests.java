package io.github.otelexport.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.PathNotFoundException;
import io.github.otelexport.export.SecretEcho;
import io.github.otelexport.testkit.OtlpReceiver;
import io.opentelemetry.api.OpenTelemetry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A backend refuses the bearer token and echoes it in each form a backend may choose
 * (lower-cased, URL-encoded, JSON-escaped, without its scheme, ...): the token shows in
 * none of them in {@code /actuator/otelexport}, its category selector, the health
 * details, the diagnosis and the log, over real HTTP.
 *
 * @author otel-export authors
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health,otelexport",
				"management.endpoint.health.show-details=always", "management.endpoint.otelexport.access=unrestricted",
				// the gRPC status description carries the echo into the recorded errors
				"otel.export.protocol=grpc", "otel.export.timeout=2s", "otel.export.connect-timeout=1s",
				"otel.export.batch.schedule-delay=50ms", "otel.export.diagnostics.startup-check=false",
				"otel.export.headers.authorization=" + OtelExportSecretEchoIntegrationTests.TOKEN,
				"management.tracing.sampling.probability=1.0",
				// the lines that carry the backend's text are at DEBUG: one WARN per
				// episode
				// of ours, the SDK's own lines demoted; every one of them must be masked
				"logging.level.io.github.otelexport=DEBUG", "logging.level.io.opentelemetry.exporter=DEBUG" })
@ExtendWith(OutputCaptureExtension.class)
// Closes the context, its batch processor thread included, once the class is done
@DirtiesContext
class OtelExportSecretEchoIntegrationTests {

	/**
	 * A token whose forms all differ: letters in both cases, a space, a slash and a plus
	 * sign.
	 */
	static final String TOKEN = "Bearer SuperSecret/Token+123";

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final OtlpReceiver receiver = OtlpReceiver.start();

	private final LocalHttpClient http = new LocalHttpClient(() -> this.port);

	@LocalServerPort
	private int port;

	@Autowired
	private OpenTelemetry openTelemetry;

	@DynamicPropertySource
	static void endpoint(DynamicPropertyRegistry registry) {
		registry.add("otel.export.endpoint", receiver::grpcEndpoint);
	}

	@AfterAll
	static void closeReceiver() {
		receiver.close();
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(SecretEcho.class)
	void echoedTokenShowsNowhere(SecretEcho echo, CapturedOutput output) {
		// the form's name before the echo tells this form's errors from the earlier ones'
		receiver.requireHeader("authorization", "Bearer another-token",
				(refused) -> echo.name() + " " + echo.apply(refused));
		String masked = "not accepted: '" + echo.name() + " ******'";
		// no lastError until the first export has failed
		String health = await().atMost(WAIT)
			.pollInterval(Duration.ofMillis(100))
			.ignoreException(PathNotFoundException.class)
			.until(() -> {
				emitSpan();
				return this.http.get("/actuator/health").body();
			}, (body) -> String
				.valueOf(JsonPath.<Object>read(body, "$.components.otelExport.details.lastError.message"))
				.contains(masked));
		String selector = this.http.get("/actuator/otelexport/unauthenticated").body();
		assertThat(JsonPath.<List<String>>read(selector, "$.recentErrors[*].message"))
			.anyMatch((message) -> message.contains(masked));
		String diagnosis = this.http.post("/actuator/otelexport").body();
		assertThat(JsonPath.<String>read(diagnosis, "$[0].category")).isEqualTo("UNAUTHENTICATED");
		assertThat(JsonPath.<String>read(diagnosis, "$[0].steps[3].detail")).contains(masked);
		String endpoint = this.http.get("/actuator/otelexport").body();
		List<String> texts = new ArrayList<>(List.of(output.getAll()));
		for (String body : List.of(health, selector, diagnosis, endpoint)) {
			texts.add(body);
			// a JSON writer escapes the backslashes of a JSON-escaped echo once more
			texts.addAll(JsonPath.<List<Object>>read(body, "$..*")
				.stream()
				.filter(String.class::isInstance)
				.map(String.class::cast)
				.toList());
		}
		assertThat(texts).allSatisfy(OtelExportSecretEchoIntegrationTests::assertNoFormOfTheToken);
	}

	private static void assertNoFormOfTheToken(String text) {
		assertThat(text.toLowerCase(Locale.ROOT)).doesNotContain("supersecret");
		assertThat(SecretEcho.formsOf(TOKEN)).allSatisfy((form) -> assertThat(text).doesNotContain(form));
	}

	private void emitSpan() {
		this.openTelemetry.getTracer("test").spanBuilder("probe").startSpan().end();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
