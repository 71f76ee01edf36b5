package io.github.otelexport.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.otelexport.testkit.OtlpReceiver;
import io.github.otelexport.testkit.OtlpReceiverExtension;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample's executable jar, AOT-processed by the build, started as a user starts it
 * with {@code java -Dspring.aot.enabled=true -jar}: the context comes from the generated
 * initializer, a span and a log record reach a real receiver, and
 * {@code /actuator/otelexport} and {@code /actuator/prometheus} report it. It needs the
 * packaged jar, so it runs after {@code package} (failsafe: every {@code *JarTests}), not
 * with the unit tests.
 *
 * @author otel-export authors
 */
class SampleAotJarTests {

	/**
	 * The system property through which the build names the jar to start.
	 */
	static final String JAR_PROPERTY = "sample.jar";

	private static final Duration STARTUP = Duration.ofSeconds(120);

	private static final Duration PATIENCE = Duration.ofSeconds(30);

	private static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");

	@RegisterExtension
	static final OtlpReceiverExtension receiver = new OtlpReceiverExtension();

	@TempDir
	Path temp;

	private Process sample;

	private Path output;

	@AfterEach
	void stopSample() throws InterruptedException {
		if (this.sample == null) {
			return;
		}
		this.sample.destroy();
		if (!this.sample.waitFor(30, TimeUnit.SECONDS)) {
			this.sample.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
		}
	}

	@Test
	void theAotProcessedJarExportsSpansAndReportsThem() throws Exception {
		OtlpReceiver backend = receiver.get();
		int port = start("--otel.export.endpoint=" + backend.grpcEndpoint(),
				// the traffic generator is in the processed context: no traffic, so that
				// the only spans are this test's
				"--sample.traffic.requests-per-second=0", "--otel.export.batch.schedule-delay=100ms");
		assertThat(output()).contains("Starting AOT-processed SampleApplication");
		PlaygroundClient client = new PlaygroundClient(port);
		String traceId = client.read("/checkout?items=2", "$.order");
		// the request's server span (an observation) and the checkout with its two steps
		// (the OpenTelemetry API)
		await().atMost(PATIENCE).untilAsserted(() -> {
			List<Span> trace = backend.spansByTraceId().get(traceId);
			assertThat(trace).extracting(Span::getName).contains("checkout", "reserve-stock", "charge-card");
			assertThat(trace).extracting(Span::getKind).contains(Span.SpanKind.SPAN_KIND_SERVER);
		});
		// the line the checkout logs, through the Logback appender
		await().atMost(PATIENCE)
			.untilAsserted(() -> assertThat(backend.logRecordsByTraceId().get(traceId))
				.extracting((record) -> record.getBody().getStringValue())
				.containsExactly("Checked out 2 items"));
		await().atMost(PATIENCE)
			.untilAsserted(() -> assertThat(client.<Integer>read("/actuator/otelexport", "$.spans.exported"))
				.isGreaterThanOrEqualTo(4));
		assertThat(client.<List<String>>read("/actuator/otelexport", "$.exporters[?(@.role == 'primary')].endpoint"))
			.containsExactly(backend.grpcEndpoint());
		assertThat(client.healthStatus()).isEqualTo("UP");
		assertThat(client.get("/actuator/prometheus").body()).containsPattern(
				"(?m)^otel_export_spans_total\\{[^}]*exporter=\"primary\"[^}]*outcome=\"exported\"[^}]*} [1-9]");
	}

	private int start(String... arguments) throws IOException {
		String jar = System.getProperty(JAR_PROPERTY);
		assertThat(jar)
			.as("the system property %s naming the sample's jar: failsafe sets it after `package` "
					+ "(`./mvnw verify`); -Dtest runs this class in surefire, before the jar is built", JAR_PROPERTY)
			.isNotBlank();
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		// the quick compiler alone starts a short-lived JVM sooner on a busy machine
		command.add("-XX:TieredStopAtLevel=1");
		command.addAll(List.of("-Dspring.aot.enabled=true", "-jar", jar, "--server.port=0"));
		command.addAll(List.of(arguments));
		this.output = this.temp.resolve("sample.log");
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(this.output.toFile());
		// the test names the backend: OTLP variables of the machine must not name another
		builder.environment().keySet().removeIf((name) -> name.startsWith("OTEL_"));
		this.sample = builder.start();
		await().atMost(STARTUP).until(() -> port() != null || !this.sample.isAlive());
		Integer port = port();
		assertThat(port).as("the sample's port; its output:%n%s", output()).isNotNull();
		return port;
	}

	private Integer port() throws IOException {
		Matcher matcher = PORT.matcher(output());
		return matcher.find() ? Integer.valueOf(matcher.group(1)) : null;
	}

	private String output() throws IOException {
		// not Files.readString: the sample may be half-way through writing a character
		return new String(Files.readAllBytes(this.output), StandardCharsets.UTF_8);
	}

}
