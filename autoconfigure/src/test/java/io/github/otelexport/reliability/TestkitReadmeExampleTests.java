package io.github.otelexport.reliability;

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
 * passes: keep the two in step (the annotations and everything from
 * {@code @RegisterExtension} to the end of the second test are copied there as they are;
 * the nested application stands in for the reader's own).
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

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
