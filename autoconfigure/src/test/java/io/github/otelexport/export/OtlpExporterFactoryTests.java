package io.github.otelexport.export;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OtlpExporterFactory}.
 *
 * @author otel-export authors
 */
class OtlpExporterFactoryTests {

	@Test
	void buildsGrpcExporterWithoutSdkRetry() {
		SpanExporter exporter = OtlpExporterFactory
			.create(ExporterSettings.of(DestinationRole.PRIMARY, OtlpProtocol.GRPC, "http://localhost:4317")
				.withTimeout(Duration.ofMillis(300)));
		try {
			assertThat(exporter).isInstanceOf(OtlpGrpcSpanExporter.class);
			// The SDK prints its retry policy only when it has one
			SpanExporter sdkDefault = OtlpGrpcSpanExporter.getDefault();
			assertThat(sdkDefault.toString()).contains("retryPolicy");
			sdkDefault.shutdown();
			assertThat(exporter.toString()).doesNotContain("retryPolicy").contains("timeoutNanos=300000000");
		}
		finally {
			exporter.shutdown();
		}
	}

	@Test
	void buildsHttpExporterWithoutSdkRetry() {
		SpanExporter exporter = OtlpExporterFactory.create(ExporterSettings.of(DestinationRole.FALLBACK,
				OtlpProtocol.HTTP_PROTOBUF, "http://localhost:4318/v1/traces"));
		try {
			assertThat(exporter).isInstanceOf(OtlpHttpSpanExporter.class);
			assertThat(exporter.toString()).doesNotContain("retryPolicy");
		}
		finally {
			exporter.shutdown();
		}
	}

	@Test
	void appliesCustomizerLast() {
		AtomicBoolean customized = new AtomicBoolean();
		SpanExporter exporter = OtlpExporterFactory.create(
				ExporterSettings.of(DestinationRole.PRIMARY, OtlpProtocol.GRPC, "http://localhost:4317"),
				(builder) -> customized.set(true), (builder) -> {
					throw new AssertionError("not the HTTP builder");
				});
		exporter.shutdown();
		assertThat(customized).isTrue();
	}

	@Test
	void buildsInsecureTlsExporter() {
		SpanExporter exporter = OtlpExporterFactory.create(ExporterSettings
			.of(DestinationRole.PRIMARY, OtlpProtocol.HTTP_PROTOBUF, "https://localhost:4318/v1/traces")
			.withTls(TlsSettings.insecure()));
		exporter.shutdown();
	}

	@Test
	void settingsNeverShowHeaderValuesOrCredentials() {
		ExporterSettings settings = ExporterSettings
			.of(DestinationRole.PRIMARY, OtlpProtocol.GRPC, "https://user:pw@collector:4317?key=k")
			.withHeaders(Map.of("x-api-key", "secret-value"));
		assertThat(settings.toString()).contains("x-api-key").doesNotContain("secret-value", "pw", "key=k");
		assertThat(settings.description().endpoint()).isEqualTo("https://collector:4317");
	}

}
