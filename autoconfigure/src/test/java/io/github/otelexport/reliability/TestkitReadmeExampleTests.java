package io.github.otelexport.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.github.otelexport.testkit.OtlpReceiverExtension;
import io.grpc.Status;
import io.opentelemetry.api.OpenTelemetry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The example of README.md's "Testing your own application", so that it compiles and
 * passes. The README shows the comment and annotation above {@code @DirtiesContext} and
 * everything from {@code @RegisterExtension} to the end of the second test as they are
 * here, in a class named {@code ExportTests}; {@link #readmeShowsThisExample()} checks
 * it. The nested application stands in for the reader's own.
 *
 * @author otel-export authors
 */
// Boot samples 10% of traces by default; the startup check would send a request of its
// own, which the second test would count
@SpringBootTest(properties = { "management.tracing.sampling.probability=1.0", "otel.export.batch.schedule-delay=100ms",
		"otel.export.diagnostics.startup-check=false" })
// Closes the context, its batch processor thread included, once the class is done
@DirtiesContext
class TestkitReadmeExampleTests {

	@RegisterExtension
	static OtlpReceiverExtension receiver = new OtlpReceiverExtension();

	@DynamicPropertySource
	static void exportToTheReceiver(DynamicPropertyRegistry registry) {
		registry.add("otel.export.endpoint", () -> receiver.get().grpcEndpoint());
	}

	@Autowired
	OpenTelemetry openTelemetry;

	@Test
	void spansReachTheBackend() {
		this.openTelemetry.getTracer("test").spanBuilder("checkout").startSpan().end();
		await().until(() -> receiver.get().spanCount() == 1);
		assertThat(receiver.get().spans().get(0).getName()).isEqualTo("checkout");
	}

	@Test
	void aBatchIsRetriedUntilTheBackendRecovers() {
		// or refuseConnections, delayResponses, requireHeader, respondWithHttpStatus ...
		receiver.get().respondWithGrpcStatus(Status.Code.UNAVAILABLE);
		this.openTelemetry.getTracer("test").spanBuilder("checkout").startSpan().end();
		// the first attempt failed
		await().until(() -> receiver.get().requestCount() > 0);
		assertThat(receiver.get().spanCount()).isZero();
		receiver.get().accept();
		// a retry delivered it
		await().until(() -> receiver.get().spanCount() == 1);
	}

	@Test
	void readmeShowsThisExample() throws IOException {
		String source = Files.readString(Path.of("src", "test", "java", "io", "github", "otelexport", "reliability",
				"TestkitReadmeExampleTests.java"));
		String annotations = between(source, "// Boot samples", "// Closes the context");
		String body = between(source, "\t@RegisterExtension", "\t@Test\n\tvoid readmeShowsThisExample");
		// the README indents with spaces
		String example = (annotations + "class ExportTests {\n\n" + body + "}\n").replace("\t", "    ");
		assertThat(Files.readString(Path.of("..", "README.md"))).contains(example);
	}

	private static String between(String text, String start, String end) {
		int from = text.indexOf(start);
		int to = text.indexOf(end, from);
		assertThat(from).as("start of the example: %s", start).isNotNegative();
		assertThat(to).as("end of the example: %s", end).isNotNegative();
		return text.substring(from, to);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
