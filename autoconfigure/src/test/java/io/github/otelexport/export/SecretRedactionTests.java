package io.github.otelexport.export;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.export.transport.OtlpTransport;
import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.stats.ExportErrorCategory;
import io.github.otelexport.stats.ExportSnapshot;
import io.github.otelexport.stats.ExporterDescription;
import io.github.otelexport.testkit.OtlpReceiver;
import io.github.otelexport.testkit.OtlpReceiverExtension;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that header values and URL credentials never reach the recent errors or the log
 * of {@link ResilientSpanExporter}, even when a backend echoes them, in whatever form.
 *
 * @author otel-export authors
 */
class SecretRedactionTests {

	private static final String API_KEY = "s3cr3t-api-key-4711";

	/**
	 * A bearer token whose forms all differ: letters in both cases, a space, a slash and
	 * a plus sign.
	 */
	private static final String TOKEN = "Bearer SuperSecret/Token+123";

	/**
	 * An API key shorter than a secret of a header whose name does not say it holds one,
	 * with forms that all differ.
	 */
	private static final String SHORT_KEY = "K3/y+";

	/**
	 * Secrets of the kinds: a bearer token, an API key with URL-reserved
	 * characters, one with characters that JSON escapes.
	 */
	private static final List<String> SECRETS = List.of("Bearer SuperSecretToken123", "k3y/With+Slash",
			"tok\"en\\4711-abc");

	@RegisterExtension
	static final OtlpReceiverExtension receiverExtension = new OtlpReceiverExtension();

	private final TestTime time = new TestTime();

	@ParameterizedTest(name = "{2}: {0} over {1}")
	@MethodSource("credentialsEchoesAndProtocols")
	void headerValueEchoedByTheBackendIsMaskedInEachForm(SecretEcho echo, OtlpProtocol protocol, String header,
			String value, String core) {
		OtlpReceiver receiver = receiverExtension.get();
		// the marker shows that this form was echoed, and masked
		receiver.requireHeader(header, "another-value", (refused) -> echo.name() + " " + echo.apply(refused));
		String endpoint = (protocol == OtlpProtocol.GRPC) ? receiver.grpcEndpoint() : receiver.httpEndpoint();
		ExporterSettings settings = ExporterSettings.of(DestinationRole.PRIMARY, protocol, endpoint)
			.withHeaders(Map.of(header, value))
			.withTimeout(Duration.ofSeconds(3));
		ResilientSpanExporter exporter = builder(OtlpTransports.create(settings), settings.description())
			.redactSecrets(settings.secretHeaderValues())
			.build();
		String masked = "not accepted: '" + echo.name() + " ******'";
		try (LogCapture log = LogCapture.of(ResilientSpanExporter.class)) {
			assertThat(exporter.export(TestSpans.batch(2)).isSuccess()).isFalse();
			ExportSnapshot snapshot = exporter.statistics().snapshot();
			assertThat(snapshot.lastError().category()).isEqualTo(ExportErrorCategory.UNAUTHENTICATED);
			// the gRPC status description or the HTTP body carries the echo
			assertThat(snapshot.lastError().message()).contains(masked);
			assertThat(snapshot.recentErrors()).extracting(ExportSnapshot.RecentError::message)
				.allSatisfy((text) -> assertNoFormOf(value, core, text));
			assertThat(log.lines()).isNotEmpty().allSatisfy((text) -> assertNoFormOf(value, core, text));
		}
		finally {
			exporter.shutdown();
		}
	}

	/**
	 * A long bearer token, and a short API key, a secret by its header's name, each with
	 * a part of it that must not show in any case.
	 */
	static Stream<Arguments> credentialsEchoesAndProtocols() {
		return Stream.of(List.of("authorization", TOKEN, "supersecret"), List.of("x-api-key", SHORT_KEY, "k3/y"))
			.flatMap((credential) -> Stream.of(SecretEcho.values())
				.flatMap((echo) -> Stream.of(OtlpProtocol.values())
					.map((protocol) -> Arguments.of(echo, protocol, credential.get(0), credential.get(1),
							credential.get(2)))));
	}

	private static void assertNoFormOf(String value, String core, String text) {
		assertThat(text.toLowerCase(Locale.ROOT)).doesNotContain(core);
		assertThat(SecretEcho.formsOf(value)).allSatisfy((form) -> assertThat(text).doesNotContain(form));
	}

	@ParameterizedTest
	@EnumSource(SecretEcho.class)
	void everySecretIsMaskedInEachEchoedForm(SecretEcho echo) {
		SecretRedactor redactor = SecretRedactor.of(SECRETS);
		for (String secret : SECRETS) {
			String echoed = echo.apply(secret);
			assertThat(redactor.redact("HTTP 401: invalid credentials '" + echoed + "', see the docs")).as(echoed)
				.isEqualTo("HTTP 401: invalid credentials '******', see the docs");
		}
	}

	@Test
	void textAroundAnEchoKeepsItsOwnEscapesAndCase() {
		SecretRedactor redactor = SecretRedactor.of(SECRETS);
		assertThat(redactor.redact("POST /a%2Fb?Key=k3y%2fWith%2bSlash&next=%7B\\\\\\/x\\u0041 \"K3Y\\/WITH+SLASH\""))
			.isEqualTo("POST /a%2Fb?Key=******&next=%7B\\\\\\/x\\u0041 \"******\"");
	}

	@ParameterizedTest
	@EnumSource(SecretEcho.class)
	void shortCredentialsAreMaskedInEachEchoedForm(SecretEcho echo) {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("x-api-key", SHORT_KEY);
		headers.put("authorization", "Bearer aB/+9");
		headers.put("x-auth-token", "T/k+");
		headers.put("tenant", "acme");
		ExporterSettings settings = ExporterSettings
			.of(DestinationRole.PRIMARY, OtlpProtocol.GRPC, "http://collector:4317")
			.withHeaders(headers);
		SecretRedactor redactor = SecretRedactor.of(settings.secretHeaderValues());
		for (String secret : List.of(SHORT_KEY, "Bearer aB/+9", "T/k+")) {
			String echoed = echo.apply(secret);
			assertThat(redactor.redact("HTTP 401 for tenant acme: invalid credentials '" + echoed + "'")).as(echoed)
				.isEqualTo("HTTP 401 for tenant acme: invalid credentials '******'");
		}
	}

	@Test
	void secretsShorterThanFourCharactersAreMaskedOnlyAsTheyAre() {
		// "k1" of a credential header, and the 3-letter token of a bearer value: in
		// another form they would mask those letters in every word, and the token alone
		// not even as it is
		SecretRedactor redactor = SecretRedactor.of(List.of("k1", "Bearer abc"));
		assertThat(redactor.redact("K1 k1 ABC abc Bearer abc BEARER%20ABC"))
			.isEqualTo("K1 ****** ABC abc ****** ******");
	}

	@Test
	void basicCredentialsAreAlsoMaskedDecodedButNotTheUserName() {
		String encoded = Base64.getEncoder().encodeToString("otel:pa55w0rd-4711".getBytes(StandardCharsets.UTF_8));
		SecretRedactor redactor = SecretRedactor.of(List.of("Basic " + encoded));
		assertThat(redactor.redact("refused Basic " + encoded + ", " + encoded + ", otel:pa55w0rd-4711 "
				+ "(user otel, password PA55W0RD-4711)"))
			.isEqualTo("refused ******, ******, ****** (user otel, password ******)");
	}

	@Test
	void loggedExceptionKeepsItsStackTraceButNotItsCredentials() {
		ScriptedTransport primary = new ScriptedTransport().otherwise(ScriptedTransport
			.failure(new IllegalStateException("export failed", new ConnectException("Failed to connect to "
					+ "https://admin:hunter2@collector:4318/v1/traces with x-api-key " + API_KEY))));
		ResilientSpanExporter exporter = builder(primary,
				ExporterDescription.primary("https://collector:4318/v1/traces", OtlpProtocol.HTTP_PROTOBUF))
			.redactSecrets(List.of(API_KEY))
			.build();
		try (LogCapture log = LogCapture.of(ResilientSpanExporter.class)) {
			exporter.export(TestSpans.batch(3));
			assertThat(log.lines())
				.anySatisfy((line) -> assertThat(line).contains("java.lang.IllegalStateException")
					.contains("Caused by: java.net.ConnectException: Failed to connect to https://collector:4318")
					.contains("with x-api-key ******")
					.contains("at " + SecretRedactionTests.class.getName()))
				.allSatisfy((line) -> assertThat(line).doesNotContain("hunter2").doesNotContain(API_KEY));
			assertThat(exporter.statistics().snapshot().lastError().message()).doesNotContain("hunter2")
				.doesNotContain(API_KEY);
		}
		finally {
			exporter.shutdown();
		}
	}

	@Test
	void credentialHeadersAndLongValuesAreSecretsButShortPlainValuesAreNot() {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("authorization", "Bearer x");
		headers.put("X-API-Key", "k1");
		headers.put("x-honeycomb-team", "long-vendor-key");
		headers.put("tenant", "acme");
		headers.put("x-scope-orgid", "1");
		ExporterSettings settings = ExporterSettings
			.of(DestinationRole.PRIMARY, OtlpProtocol.GRPC, "http://collector:4317")
			.withHeaders(headers);
		assertThat(settings.secretHeaderValues()).containsExactlyInAnyOrder("Bearer x", "k1", "long-vendor-key");
		SecretRedactor redactor = SecretRedactor.of(settings.secretHeaderValues());
		// a one-letter bearer token is masked with its scheme only, or every x would go
		assertThat(redactor.redact("Dropped 1 spans for tenant acme: HTTP 401 (Bearer x, k1, long-vendor-key)"))
			.isEqualTo("Dropped 1 spans for tenant acme: HTTP 401 (******, ******, ******)");
	}

	private ResilientSpanExporterBuilder builder(OtlpTransport primary, ExporterDescription description) {
		return ResilientSpanExporter.builder(primary, description)
			.retryPolicy(RetryPolicy.builder().maxAttempts(2).initialBackoff(Duration.ofMillis(10)).jitter(0).build())
			.attemptTimeout(Duration.ofSeconds(5))
			.clock(this.time)
			.ticker(this.time)
			.sleeper(new TestSleeper(this.time));
	}

}
