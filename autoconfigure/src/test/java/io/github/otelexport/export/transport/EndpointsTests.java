package io.github.otelexport.export.transport;

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
			"https://token@collector/v1/traces#frag, https://collector/v1/traces" })
	void removesCredentialsAndQuery(String url, String expected) {
		assertThat(Endpoints.sanitize(url)).isEqualTo(expected);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "user:secret@host:4317?key=secret | host:4317", "user:secret@collector:4317 | collector:4317",
					"//user:secret@collector:4317 | //collector:4317", "my_host?token=secret | my_host",
					"http://my_host/v1/traces?token=secret | http://my_host/v1/traces",
					"http://user:secret@my_host:4317/v1/traces?token=secret#frag | http://my_host:4317/v1/traces",
					"http://user:sec@ret@collector:4317 | http://collector:4317",
					"http://user:sec/ret@collector:4317 | http://collector:4317",
					"http://user:sec?ret@collector:4317 | http://collector:4317",
					"http://user:secret@collector:43x7 | http://collector:43x7" })
	void removesCredentialsAndQueryFromValuesThatAreNoUrlWithAHost(String value, String expected) {
		assertThat(Endpoints.sanitize(value)).isEqualTo(expected);
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

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '`', value = {
			"refused https://collector/v1/traces?token=secret&tenant=acme | refused https://collector/v1/traces?token=******&tenant=******",
			"POST 'https://collector/v1/traces?secret': 401 | POST 'https://collector/v1/traces?******': 401",
			"see http://collector/?a=secret&b=&c=secret#access_token=secret. | see http://collector/?a=******&b=&c=******#access_token=******.",
			"{\"url\":\"http://collector?key=secret\"} | {\"url\":\"http://collector?key=******\"}",
			"https://user:secret@collector?key=secret, then http://other | https://collector?key=******, then http://other",
			"did you mean http://collector? | did you mean http://collector?",
			"a question? no URL=secret | a question? no URL=secret" })
	void masksQueryValuesOfUrlsInsideText(String text, String expected) {
		assertThat(Endpoints.redact(text)).isEqualTo(expected);
	}

	@Test
	void masksTheQueryAfterALongRunOfUrls() {
		// a scan from each of the 100,000 "://" to the end of the run would take minutes
		// here: the linear scan keeps this test as quick as the others
		String text = "http://h/".repeat(100_000) + "?token=secret";
		String redacted = Endpoints.redact(text);
		assertThat(redacted).endsWith("http://h/?token=******").hasSize(text.length());
	}

	@Test
	void redactsALongRunOfSchemeCharacters() {
		String text = "a.".repeat(100_000) + "https://user:secret@collector";
		assertThat(Endpoints.redact(text)).endsWith("https://collector").doesNotContain("secret");
	}

}
