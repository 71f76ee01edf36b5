package io.github.otelexport.export;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Endpoints}.
 *
 * @author otel-export authors
 */
class EndpointsTests {

	@ParameterizedTest
	@CsvSource({ "http://localhost:4317, http://localhost:4317",
			"https://user:secret@collector:4318/v1/traces, https://collector:4318/v1/traces",
			"https://collector:4318/v1/traces?api-key=secret, https://collector:4318/v1/traces",
			"https://token@collector/v1/traces#frag, https://collector/v1/traces",
			"'user:secret@host:4317?key=secret', 'user:secret@host:4317'" })
	void removesCredentialsAndQuery(String url, String expected) {
		assertThat(Endpoints.sanitize(url)).isEqualTo(expected);
	}

}
