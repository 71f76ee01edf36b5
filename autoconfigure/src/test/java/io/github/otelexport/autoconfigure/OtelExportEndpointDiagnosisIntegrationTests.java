package io.github.otelexport.autoconfigure;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
import io.github.otelexport.export.TestPorts;
import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.stats.ExportErrorCategory;
import io.github.otelexport.testkit.OtlpReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Value;
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
 * The startup check and the {@code otelexport} endpoint's diagnosis write operation, once
 * write access is granted, against a live receiver and a closed port, over real HTTP.
 *
 * @author otel-export authors
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=otelexport",
				"management.endpoint.otelexport.access=unrestricted", "otel.export.protocol=http/protobuf",
				"otel.export.timeout=2s", "otel.export.connect-timeout=1s",
				"otel.export.headers.x-api-key=" + OtelExportEndpointDiagnosisIntegrationTests.API_KEY })
@ExtendWith(OutputCaptureExtension.class)
// Closes the context, its batch processor thread included, once the class is done
@DirtiesContext
class OtelExportEndpointDiagnosisIntegrationTests {

	static final String API_KEY = "diag-s3cr3t-1234";

	static final String URL_PASSWORD = "diag-pa55w0rd-5678";

	private static final OtlpReceiver primary = OtlpReceiver.start();

	private static final int closedPort = TestPorts.closedPort();

	/**
	 * The endpoint's read as the startup check left it, taken before any test runs: a
	 * test's {@code POST} replaces the last diagnosis.
	 */
	private static String afterStartupCheck;

	private final LocalHttpClient http = new LocalHttpClient(() -> this.port);

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void endpoints(DynamicPropertyRegistry registry) {
		registry.add("otel.export.endpoint",
				() -> primary.httpEndpoint().replace("http://", "http://otel:" + URL_PASSWORD + "@"));
		registry.add("otel.export.fallback.endpoint",
				() -> "http://otel:" + URL_PASSWORD + "@127.0.0.1:" + closedPort + "/v1/traces");
	}

	@BeforeAll
	static void awaitStartupCheck(@Value("${local.server.port}") int port) {
		LocalHttpClient http = new LocalHttpClient(() -> port);
		afterStartupCheck = await().atMost(Duration.ofSeconds(20))
			.until(() -> http.get("/actuator/otelexport").body(),
					(body) -> !JsonPath.<List<Object>>read(body, "$.lastDiagnosis").isEmpty());
	}

	@BeforeEach
	void acceptEveryRequest() {
		// Each test starts from a receiver that accepts, whatever the one before left
		primary.accept();
	}

	@AfterAll
	static void closeReceiver() {
		primary.close();
	}

	@Test
	void startupCheckLogsOneLinePerEndpointAndShowsInTheEndpoint(CapturedOutput output) {
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(output.getAll())
				.contains("otel-export startup check: primary endpoint " + primary.httpEndpoint()
						+ " (otel.export.endpoint): OK (")
				.contains("otel-export startup check: fallback endpoint http://127.0.0.1:" + closedPort
						+ "/v1/traces (otel.export.fallback.endpoint): CONNECTION_REFUSED at the tcp step")
				.contains(ExportErrorCategory.CONNECTION_REFUSED.hint(DestinationRole.PRIMARY)));
		assertThat(JsonPath.<List<String>>read(afterStartupCheck, "$.lastDiagnosis[*].role")).containsExactly("primary",
				"fallback");
		assertThat(JsonPath.<Boolean>read(afterStartupCheck, "$.lastDiagnosis[0].ok")).isTrue();
		assertThat(JsonPath.<String>read(afterStartupCheck, "$.lastDiagnosis[1].category"))
			.isEqualTo("CONNECTION_REFUSED");
		assertThat(afterStartupCheck).doesNotContain(API_KEY, URL_PASSWORD);
		assertThat(output.getAll()).doesNotContain(API_KEY, URL_PASSWORD);
	}

	@Test
	void diagnosisProbesEachEndpointStepByStep(CapturedOutput output) {
		primary.requireHeader("x-api-key", API_KEY);
		HttpResponse<String> response = this.http.post("/actuator/otelexport");
		assertThat(response.statusCode()).isEqualTo(200);
		String body = response.body();
		assertThat(JsonPath.<List<String>>read(body, "$[0].steps[*].name")).containsExactly("dns", "tcp", "tls",
				"otlp");
		assertThat(JsonPath.<List<String>>read(body, "$[0].steps[*].outcome")).containsExactly("OK", "OK", "SKIPPED",
				"OK");
		assertThat(JsonPath.<Boolean>read(body, "$[0].ok")).isTrue();
		assertThat(JsonPath.<Boolean>read(body, "$[1].ok")).isFalse();
		assertThat(JsonPath.<String>read(body, "$[1].category")).isEqualTo("CONNECTION_REFUSED");
		assertThat(JsonPath.<String>read(body, "$[1].hint"))
			.isEqualTo(ExportErrorCategory.CONNECTION_REFUSED.hint(DestinationRole.PRIMARY));
		assertThat(JsonPath.<List<String>>read(body, "$[1].steps[*].outcome")).containsExactly("OK", "FAILED",
				"SKIPPED", "SKIPPED");
		assertThat(JsonPath.<List<Integer>>read(body, "$[1].steps[*].durationMillis")).hasSize(4);
		assertThat(JsonPath.<List<String>>read(body, "$[*].endpoint")).containsExactly(primary.httpEndpoint(),
				"http://127.0.0.1:" + closedPort + "/v1/traces");
		assertThat(body).doesNotContain(API_KEY, URL_PASSWORD);
		assertThat(this.http.get("/actuator/otelexport").body()).doesNotContain(API_KEY, URL_PASSWORD);
		assertThat(output.getAll()).doesNotContain(API_KEY, URL_PASSWORD);
	}

	@Test
	void diagnosisReportsRejectedCredentials() {
		primary.requireHeader("x-api-key", "another-key");
		String body = this.http.post("/actuator/otelexport").body();
		assertThat(JsonPath.<String>read(body, "$[0].category")).isEqualTo("UNAUTHENTICATED");
		assertThat(JsonPath.<String>read(body, "$[0].steps[3].detail")).contains("401");
		assertThat(JsonPath.<String>read(body, "$[0].hint"))
			.isEqualTo(ExportErrorCategory.UNAUTHENTICATED.hint(DestinationRole.PRIMARY));
		assertThat(body).doesNotContain(API_KEY, URL_PASSWORD);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
