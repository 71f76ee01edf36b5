package io.github.otelexport.export;

import org.junit.jupiter.api.Test;
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

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"failed: https://user:secret@collector:4318/v1/traces | failed: https://collector:4318/v1/traces",
			"failed:https://user:secret@collector | failed:https://collector",
			"errorhttps://user:secret@collector | errorhttps://collector",
			"a very-long.scheme+name.that-goes.on-and-on://user:secret@host | a very-long.scheme+name.that-goes.on-and-on://host",
			"no credentials in http://collector:4317/v1/traces | no credentials in http://collector:4317/v1/traces" })
	void redactsCredentialsInsideText(String text, String expected) {
		assertThat(Endpoints.redact(text)).isEqualTo(expected);
	}

	@Test
	void redactsALongRunOfSchemeCharacters() {
		String text = "a.".repeat(100_000) + "https://user:secret@collector";
		assertThat(Endpoints.redact(text)).endsWith("https://collector").doesNotContain("secret");
	}

}
