package io.github.otelexport.sample;

import io.github.otelexport.export.transport.OtlpProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link EmbeddedBackendEnvironmentPostProcessor}: the embedded receivers'
 * endpoints follow the protocol however Spring Boot accepts it written, from the property
 * or the standard variables.
 *
 * @author otel-export authors
 */
class EmbeddedBackendEnvironmentPostProcessorTests {

	@Test
	void enumConstantSpellingGetsTheReceiversHttpEndpoints() {
		MockEnvironment environment = new MockEnvironment().withProperty("otel.export.protocol", "HTTP_PROTOBUF");
		new EmbeddedBackendEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
		try (EmbeddedBackend backend = EmbeddedBackend.take(environment.getProperty(EmbeddedBackend.ID_PROPERTY))) {
			assertThat(environment.getProperty("otel.export.endpoint")).isEqualTo(backend.primary().httpEndpoint());
			assertThat(environment.getProperty("otel.export.fallback.endpoint"))
				.isEqualTo(backend.fallback().httpEndpoint());
		}
	}

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource({ "otel.export.protocol, HTTP_PROTOBUF, HTTP_PROTOBUF",
			"otel.export.protocol, http/protobuf, HTTP_PROTOBUF",
			"OTEL_EXPORTER_OTLP_PROTOCOL, Http-Protobuf, HTTP_PROTOBUF",
			"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL, ' http/protobuf ', HTTP_PROTOBUF", "otel.export.protocol, GRPC, GRPC",
			"otel.export.protocol, http/json, GRPC", "sample.unset, '', GRPC" })
	void protocolIsReadAsSpringBootBindsIt(String key, String value, OtlpProtocol protocol) {
		assertThat(EmbeddedBackendEnvironmentPostProcessor.protocol(new MockEnvironment().withProperty(key, value)))
			.isEqualTo(protocol);
	}

}
