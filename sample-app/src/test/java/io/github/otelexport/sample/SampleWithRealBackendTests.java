package io.github.otelexport.sample;

import java.time.Duration;

import io.github.otelexport.testkit.OtlpReceiver;
import io.github.otelexport.testkit.OtlpReceiverExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real backend named through {@code otel.export.endpoint} or the standard OTLP
 * environment variables turns the embedded receivers and the playground off, and the
 * spans go to that backend. Spring's environment sees environment variables under their
 * own names, so passing them as properties exercises the same lookup. The shop's log
 * records follow the spans.
 *
 * @author otel-export authors
 */
class SampleWithRealBackendTests {

	@RegisterExtension
	static final OtlpReceiverExtension receiver = new OtlpReceiverExtension();

	@ParameterizedTest
	@ValueSource(
			strings = { "otel.export.endpoint", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT" })
	void aRealEndpointTurnsTheEmbeddedBackendOff(String property) {
		OtlpReceiver backend = receiver.get();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.web(WebApplicationType.NONE)
			.properties("sample.traffic.enabled=false", "otel.export.batch.schedule-delay=100ms",
					"otel.export.diagnostics.startup-check=false", property + "=" + backend.grpcEndpoint())
			.run()) {
			assertThat(context.containsBean("embeddedBackend")).isFalse();
			assertThat(context.getBeanNamesForType(EmbeddedBackend.class)).isEmpty();
			assertThat(context.getBeanNamesForType(PlaygroundController.class)).isEmpty();
			assertThat(context.getEnvironment().containsProperty(EmbeddedBackend.ID_PROPERTY)).isFalse();
			String traceId = context.getBean(Shop.class).checkout(2);
			// the checkout and its two steps, and the line the checkout logs
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(backend.spansByTraceId().get(traceId)).hasSize(3));
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(backend.logRecordsByTraceId().get(traceId))
					.extracting((record) -> record.getBody().getStringValue())
					.containsExactly("Checked out 2 items"));
		}
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "otel.export.protocol", "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL" })
	void theEmbeddedBackendFollowsTheProtocolWhereverItIsSet(String property) {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.web(WebApplicationType.NONE)
			.properties("sample.traffic.enabled=false", "otel.export.batch.schedule-delay=100ms",
					"otel.export.diagnostics.startup-check=false", property + "=http/protobuf")
			.run()) {
			EmbeddedBackend backend = context.getBean(EmbeddedBackend.class);
			assertThat(context.getEnvironment().getProperty("otel.export.endpoint"))
				.isEqualTo(backend.primary().httpEndpoint());
			String traceId = context.getBean(Shop.class).checkout(1);
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(backend.primary().spansByTraceId().get(traceId)).hasSize(3));
			// over http/protobuf to /v1/logs beside /v1/traces
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(backend.primary().logRecordsByTraceId().get(traceId)).hasSize(1));
		}
	}

}
