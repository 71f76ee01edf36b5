package io.github.otelexport.export;

import java.net.ConnectException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.github.otelexport.testkit.OtlpReceiver;
import io.github.otelexport.testkit.OtlpReceiverExtension;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that header values and URL credentials never reach the recent errors or the log
 * of {@link ResilientSpanExporter}, even when a backend echoes them.
 *
 * @author otel-export authors
 */
class SecretRedactionTests {

	private static final String API_KEY = "s3cr3t-api-key-4711";

	@RegisterExtension
	static final OtlpReceiverExtension receiverExtension = new OtlpReceiverExtension();

	private final TestTime time = new TestTime();

	@ParameterizedTest(name = "{0}")
	@EnumSource(OtlpProtocol.class)
	void headerValueEchoedByTheBackendIsMasked(OtlpProtocol protocol) {
		OtlpReceiver receiver = receiverExtension.get();
		receiver.requireHeader("x-api-key", "another-key");
		String endpoint = OtlpProtocol.GRPC.equals(protocol) ? receiver.grpcEndpoint() : receiver.httpEndpoint();
		ExporterSettings settings = ExporterSettings.of(DestinationRole.PRIMARY, protocol, endpoint)
			.withHeaders(Map.of("x-api-key", API_KEY))
			.withTimeout(Duration.ofSeconds(3));
		ResilientSpanExporter exporter = builder(OtlpExporterFactory.create(settings), settings.description())
			.redactSecrets(settings.secretHeaderValues())
			.build();
		try (LogCapture log = LogCapture.of(ResilientSpanExporter.class);
				LogCapture sdkLog = LogCapture.of(SdkFailures.exporterLoggerNames())) {
			assertThat(exporter.export(TestSpans.batch(2)).isSuccess()).isFalse();
			// the receiver did echo the key: the test would be vacuous otherwise
			assertThat(receiver.requests()).isNotEmpty();
			ExportSnapshot snapshot = exporter.statistics().snapshot();
			assertThat(snapshot.lastError().category()).isEqualTo(ExportErrorCategory.UNAUTHENTICATED);
			assertThat(snapshot.recentErrors()).extracting(ExportSnapshot.RecentError::message)
				.allSatisfy((message) -> assertThat(message).doesNotContain(API_KEY));
			if (OtlpProtocol.GRPC.equals(protocol)) {
				// the gRPC status description carries the echo; the HTTP body is not read
				assertThat(snapshot.lastError().message()).contains("not accepted: '******'");
			}
			assertThat(log.lines()).anyMatch((line) -> line.contains("UNAUTHENTICATED"))
				.allSatisfy((line) -> assertThat(line).doesNotContain(API_KEY));
			// the SDK's exporter logs the backend's message too
			assertThat(sdkLog.lines()).anyMatch((line) -> line.contains("not accepted: '******'"))
				.allSatisfy((line) -> assertThat(line).doesNotContain(API_KEY));
		}
		finally {
			exporter.shutdown();
		}
	}

	@Test
	void loggedExceptionKeepsItsStackTraceButNotItsCredentials() {
		ScriptedSpanExporter primary = new ScriptedSpanExporter().otherwise(ScriptedSpanExporter
			.failure(new IllegalStateException("export failed", new ConnectException("Failed to connect to "
					+ "https://admin:hunter2@collector:4318/v1/traces with x-api-key " + API_KEY))));
		ResilientSpanExporter exporter = builder(primary,
				ExporterDescription.primary("https://collector:4318/v1/traces", OtlpProtocol.HTTP_PROTOBUF.value()))
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

	@Test
	void sdkLinesAreRedactedWithTheSecretsOfEveryLiveExporter() {
		SecretRedactor first = SecretRedactor.of(List.of("first-secret-value"));
		SecretRedactor second = SecretRedactor.of(List.of("second-secret-value"));
		SdkLogRedaction.register(first);
		SdkLogRedaction.register(second);
		String logger = SdkFailures.exporterLoggerNames().get(0);
		try (LogCapture sdkLog = LogCapture.of(List.of(logger))) {
			Logger.getLogger(logger)
				.log(Level.SEVERE, "refused first-secret-value",
						new IllegalStateException("refused first-secret-value and second-secret-value"));
			assertThat(sdkLog.lines()).singleElement()
				.satisfies((line) -> assertThat(line).contains("refused ******")
					.contains("java.lang.IllegalStateException: refused ****** and ******")
					.doesNotContain("secret-value"));
		}
		finally {
			SdkLogRedaction.unregister(first);
			SdkLogRedaction.unregister(second);
		}
	}

	private ResilientSpanExporterBuilder builder(SpanExporter primary, ExporterDescription description) {
		return ResilientSpanExporter.builder(primary, description)
			.retryPolicy(RetryPolicy.builder().maxAttempts(2).initialBackoff(Duration.ofMillis(10)).jitter(0).build())
			.attemptTimeout(Duration.ofSeconds(5))
			.clock(this.time)
			.ticker(this.time)
			.sleeper(new TestSleeper(this.time));
	}

}
