package io.github.otelexport.autoconfigure;

import java.time.Duration;
import java.util.Map;

import io.github.otelexport.export.Compression;
import io.github.otelexport.export.ExporterSettings;
import io.github.otelexport.export.ResilientSpanExporter;
import io.github.otelexport.export.transport.Endpoints;
import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.export.transport.TlsSettings;
import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.stats.ExportErrorCategory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for how {@link OtelExportAutoConfiguration} resolves the destinations from
 * properties, environment variables and defaults.
 *
 * @author otel-export authors
 */
@ExtendWith(OutputCaptureExtension.class)
class OtelExportDestinationsAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OtelExportAutoConfiguration.class));

	@Test
	void defaultsToGrpcOnLocalhost() {
		this.runner.run((context) -> {
			ExporterSettings primary = context.getBean(OtelExportDestinations.class).primary();
			assertThat(primary.role()).isEqualTo(DestinationRole.PRIMARY);
			assertThat(primary.protocol()).isEqualTo(OtlpProtocol.GRPC);
			assertThat(primary.endpoint()).isEqualTo("http://localhost:4317");
			assertThat(primary.timeout()).isEqualTo(Duration.ofSeconds(10));
			assertThat(primary.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
			assertThat(primary.compression()).isEqualTo(Compression.NONE);
			assertThat(primary.headers()).isEmpty();
			assertThat(TlsSettingsResolver.isConfigured(primary.tls())).isFalse();
			assertThat(context.getBean(OtelExportDestinations.class).fallback()).isEmpty();
		});
	}

	@Test
	void httpProtobufDefaultsToTheTracesPathOnPort4318() {
		this.runner.withPropertyValues("otel.export.protocol=http/protobuf")
			.run((context) -> assertThat(context.getBean(OtelExportDestinations.class).primary().endpoint())
				.isEqualTo("http://localhost:4318/v1/traces"));
	}

	@Test
	void bindsDestinationProperties() {
		this.runner
			.withPropertyValues("otel.export.protocol=http/protobuf",
					"otel.export.endpoint=https://collector.example.com:4318/v1/traces", "otel.export.timeout=3s",
					"otel.export.connect-timeout=2s", "otel.export.compression=gzip",
					"otel.export.headers.x-api-key=k1", "otel.export.fallback.endpoint=http://backup:4318/v1/traces",
					"otel.export.fallback.timeout=5s", "otel.export.fallback.headers.x-other=k2")
			.run((context) -> {
				OtelExportDestinations destinations = context.getBean(OtelExportDestinations.class);
				ExporterSettings primary = destinations.primary();
				assertThat(primary.protocol()).isEqualTo(OtlpProtocol.HTTP_PROTOBUF);
				assertThat(primary.endpoint()).isEqualTo("https://collector.example.com:4318/v1/traces");
				assertThat(primary.timeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(primary.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
				assertThat(primary.compression()).isEqualTo(Compression.GZIP);
				assertThat(primary.headers()).containsOnly(Map.entry("x-api-key", "k1"));
				ExporterSettings fallback = destinations.fallback().orElseThrow();
				assertThat(fallback.role()).isEqualTo(DestinationRole.FALLBACK);
				assertThat(fallback.protocol()).isEqualTo(OtlpProtocol.HTTP_PROTOBUF);
				assertThat(fallback.endpoint()).isEqualTo("http://backup:4318/v1/traces");
				assertThat(fallback.timeout()).isEqualTo(Duration.ofSeconds(5));
				assertThat(fallback.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
				assertThat(fallback.compression()).isEqualTo(Compression.GZIP);
				assertThat(fallback.headers()).containsOnly(Map.entry("x-other", "k2"));
			});
	}

	@Test
	void fallbackInheritsHeadersFromThePrimaryWhenItHasNone() {
		this.runner
			.withPropertyValues("otel.export.headers.x-api-key=k1", "otel.export.fallback.endpoint=http://backup:4317")
			.run((context) -> assertThat(
					context.getBean(OtelExportDestinations.class).fallback().orElseThrow().headers())
				.containsExactly(Map.entry("x-api-key", "k1")));
	}

	@Test
	void fallbackOnAnotherHostThatInheritsHeadersIsNamedWithoutTheirValues(CapturedOutput output) {
		this.runner
			.withPropertyValues("otel.export.endpoint=http://primary.example.com:4317",
					"otel.export.headers.x-api-key=secret-value", "otel.export.fallback.endpoint=http://backup:4317")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).contains("otel.export.fallback sends the primary's headers [x-api-key] to backup")
					.contains("otel.export.fallback.inherit-headers=false")
					.doesNotContain("secret-value");
			});
	}

	@Test
	void fallbackOnThePrimarysHostInheritsHeadersQuietly(CapturedOutput output) {
		this.runner
			.withPropertyValues("otel.export.endpoint=http://collector:4317", "otel.export.headers.x-api-key=k1",
					"otel.export.fallback.endpoint=http://collector:4318/v1/traces",
					"otel.export.fallback.protocol=http/protobuf")
			.run((context) -> {
				assertThat(context.getBean(OtelExportDestinations.class).fallback().orElseThrow().headers())
					.containsExactly(Map.entry("x-api-key", "k1"));
				assertThat(output).doesNotContain("otel.export.fallback sends");
			});
	}

	@Test
	void plaintextFallbackOfAnHttpsPrimaryThatInheritsHeadersIsNamed(CapturedOutput output) {
		this.runner
			.withPropertyValues("otel.export.endpoint=https://collector:4317", "otel.export.headers.x-api-key=k1",
					"otel.export.fallback.endpoint=http://collector:14317")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).contains(
						"otel.export.fallback sends the primary's headers [x-api-key] to collector, over plaintext http");
			});
	}

	@Test
	void fallbackThatDoesNotInheritHeadersSendsNone(CapturedOutput output) {
		this.runner
			.withPropertyValues("otel.export.headers.x-api-key=k1", "otel.export.fallback.endpoint=http://backup:4317",
					"otel.export.fallback.inherit-headers=false")
			.run((context) -> {
				assertThat(context.getBean(OtelExportDestinations.class).fallback().orElseThrow().headers()).isEmpty();
				assertThat(output).doesNotContain("otel.export.fallback sends");
			});
	}

	@Test
	void environmentVariablesAreDefaults() {
		this.runner
			.withPropertyValues("OTEL_EXPORTER_OTLP_ENDPOINT=http://env-collector:4318",
					"OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf", "OTEL_EXPORTER_OTLP_TIMEOUT=2500",
					"OTEL_EXPORTER_OTLP_COMPRESSION=gzip", "OTEL_EXPORTER_OTLP_HEADERS=api-key=a%20b,tenant=acme")
			.run((context) -> {
				ExporterSettings primary = context.getBean(OtelExportDestinations.class).primary();
				assertThat(primary.protocol()).isEqualTo(OtlpProtocol.HTTP_PROTOBUF);
				assertThat(primary.endpoint()).isEqualTo("http://env-collector:4318/v1/traces");
				assertThat(primary.timeout()).isEqualTo(Duration.ofMillis(2500));
				assertThat(primary.compression()).isEqualTo(Compression.GZIP);
				assertThat(primary.headers()).containsOnly(Map.entry("api-key", "a b"), Map.entry("tenant", "acme"));
			});
	}

	@Test
	void genericEndpointIsUsedAsGivenForGrpc() {
		this.runner.withPropertyValues("OTEL_EXPORTER_OTLP_ENDPOINT=http://env-collector:4317")
			.run((context) -> assertThat(context.getBean(OtelExportDestinations.class).primary().endpoint())
				.isEqualTo("http://env-collector:4317"));
	}

	@Test
	void tracesSpecificEnvironmentVariablesWinOverGenericOnes() {
		this.runner
			.withPropertyValues("OTEL_EXPORTER_OTLP_ENDPOINT=http://generic:4317",
					"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://traces:4317", "OTEL_EXPORTER_OTLP_TIMEOUT=1000",
					"OTEL_EXPORTER_OTLP_TRACES_TIMEOUT=2000")
			.run((context) -> {
				ExporterSettings primary = context.getBean(OtelExportDestinations.class).primary();
				assertThat(primary.endpoint()).isEqualTo("http://traces:4317");
				assertThat(primary.timeout()).isEqualTo(Duration.ofSeconds(2));
			});
	}

	@Test
	void propertiesWinOverEnvironmentVariables() {
		this.runner
			.withPropertyValues("OTEL_EXPORTER_OTLP_ENDPOINT=http://generic:4317", "OTEL_EXPORTER_OTLP_HEADERS=a=b",
					"otel.export.endpoint=http://property:4317", "otel.export.headers.c=d")
			.run((context) -> {
				ExporterSettings primary = context.getBean(OtelExportDestinations.class).primary();
				assertThat(primary.endpoint()).isEqualTo("http://property:4317");
				assertThat(primary.headers()).containsOnly(Map.entry("c", "d"));
			});
	}

	@Test
	void baseHttpEndpointGetsTheTracesPathAppended(CapturedOutput output) {
		this.runner
			.withPropertyValues("otel.export.protocol=http/protobuf", "otel.export.endpoint=http://collector:4318/")
			.run((context) -> {
				assertThat(context.getBean(OtelExportDestinations.class).primary().endpoint())
					.isEqualTo("http://collector:4318/v1/traces");
				assertThat(output).contains("is a base URL; exporting to http://collector:4318/v1/traces");
			});
	}

	@Test
	void tracesSpecificEndpointVariableIsUsedAsGivenWithAWarning(CapturedOutput output) {
		this.runner
			.withPropertyValues("otel.export.protocol=http/protobuf",
					"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://collector:4318")
			.run((context) -> {
				assertThat(context.getBean(OtelExportDestinations.class).primary().endpoint())
					.isEqualTo("http://collector:4318");
				assertThat(output)
					.contains("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://collector:4318 does not end with "
							+ "/v1/traces; it is used as given");
			});
	}

	@ParameterizedTest
	@ValueSource(strings = { "otel.export.endpoint", "OTEL_EXPORTER_OTLP_ENDPOINT" })
	void baseHttpEndpointWithAQueryGetsTheTracesPathBeforeTheQuery(String key) {
		this.runner.withPropertyValues("otel.export.protocol=http/protobuf", key + "=http://collector:4318?tenant=a")
			.run((context) -> assertThat(context.getBean(OtelExportDestinations.class).primary().endpoint())
				.isEqualTo("http://collector:4318/v1/traces?tenant=a"));
	}

	@Test
	void genericEndpointVariableWithAPathGetsTheTracesPathAppendedToIt() {
		this.runner
			.withPropertyValues("otel.export.protocol=http/protobuf",
					"OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318/otlp/?tenant=a")
			.run((context) -> assertThat(context.getBean(OtelExportDestinations.class).primary().endpoint())
				.isEqualTo("http://collector:4318/otlp/v1/traces?tenant=a"));
	}

	@ParameterizedTest
	@CsvSource({ "grpc, HTTP://Collector:4317, http://Collector:4317",
			"http/protobuf, Https://collector:4318, https://collector:4318/v1/traces" })
	void upperCaseSchemeIsWrittenInLowerCaseForTheSdk(String protocol, String endpoint, String expected) {
		this.runner.withPropertyValues("otel.export.protocol=" + protocol, "otel.export.endpoint=" + endpoint)
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(ResilientSpanExporter.class);
				assertThat(context.getBean(OtelExportDestinations.class).primary().endpoint()).isEqualTo(expected);
			});
	}

	@ParameterizedTest
	@CsvSource({ "http://collector:4317, http://collector:4318", "http://collector:4317, https://collector:4317",
			"http://collector:4317, http://backup:4317", "https://collector, https://collector:8443" })
	void fallbackOnAnotherSchemeHostOrPortIsAccepted(String primary, String fallback) {
		this.runner.withPropertyValues("otel.export.endpoint=" + primary, "otel.export.fallback.endpoint=" + fallback)
			.run((context) -> assertThat(context.getBean(OtelExportDestinations.class).fallback())
				.hasValueSatisfying((settings) -> assertThat(settings.endpoint()).isEqualTo(fallback)));
	}

	@Test
	void httpEndpointWithAnotherPathIsUsedAsGivenWithAWarning(CapturedOutput output) {
		this.runner
			.withPropertyValues("otel.export.protocol=http/protobuf",
					"otel.export.endpoint=http://collector:4318/otlp/traces")
			.run((context) -> {
				assertThat(context.getBean(OtelExportDestinations.class).primary().endpoint())
					.isEqualTo("http://collector:4318/otlp/traces");
				assertThat(output).contains("does not end with /v1/traces")
					.contains("write http://collector:4318/v1/traces");
			});
	}

	@ParameterizedTest
	@CsvSource({ "otel.export.endpoint, http://collector:4317/v1/traces, /v1/traces, http://collector:4317",
			"otel.export.fallback.endpoint, https://user:pw@backup:4317/otlp, /otlp, https://backup:4317" })
	void grpcEndpointWithAPathIsUsedWithAWarning(String property, String endpoint, String path, String server,
			CapturedOutput output) {
		this.runner.withPropertyValues(property + "=" + endpoint).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output)
				.contains(property + "=" + Endpoints.sanitize(endpoint) + " has a path (" + path
						+ "), which gRPC ignores: the export goes to " + server)
				.contains("Write " + server + ",")
				.doesNotContain("user:pw");
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://collector:4317", "http://collector:4317/" })
	void grpcEndpointWithoutAPathLogsNoPathWarning(String endpoint, CapturedOutput output) {
		this.runner.withPropertyValues("otel.export.endpoint=" + endpoint)
			.run((context) -> assertThat(output).doesNotContain("which gRPC ignores"));
	}

	@Test
	void settingsHoldTheResolvedDestinationsAndTheRest() {
		this.runner
			.withPropertyValues("otel.export.fallback.endpoint=http://backup:4317", "otel.export.retry.max-attempts=3",
					"otel.export.batch.max-queue-size=100", "otel.export.batch.max-export-batch-size=10")
			.run((context) -> {
				OtelExportSettings settings = context.getBean(OtelExportSettings.class);
				assertThat(settings.destinations()).isSameAs(context.getBean(OtelExportDestinations.class));
				assertThat(settings.retry().maxAttempts()).isEqualTo(3);
				assertThat(settings.batch().maxQueueSize()).isEqualTo(100);
				assertThat(settings.batch().maxExportBatchSize()).isEqualTo(10);
				assertThat(settings.failover().inheritHeaders()).isTrue();
			});
	}

	@Test
	void grpcOnPort4318LogsAWarning(CapturedOutput output) {
		this.runner.withPropertyValues("otel.export.endpoint=http://collector:4318")
			.run((context) -> assertThat(output).contains("uses port 4318, the OTLP/HTTP port, with protocol grpc")
				.contains("Use port 4317"));
	}

	@Test
	void httpProtobufOnPort4317LogsAWarning(CapturedOutput output) {
		this.runner
			.withPropertyValues("otel.export.protocol=http/protobuf",
					"otel.export.endpoint=http://collector:4317/v1/traces")
			.run((context) -> assertThat(output)
				.contains("uses port 4317, the OTLP/gRPC port, with protocol http/protobuf")
				.contains("http://host:4318/v1/traces"));
	}

	@Test
	void urlCredentialsAreNeverLogged(CapturedOutput output) {
		this.runner.withPropertyValues("otel.export.endpoint=http://user:s3cret@collector:4318")
			.run((context) -> assertThat(output).contains("uses port 4318").doesNotContain("s3cret"));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = {
			"otel.export.endpoint=http://user:s3cret@collector:4317 | otel.export.endpoint | otel.export.headers.authorization",
			"OTEL_EXPORTER_OTLP_ENDPOINT=http://user:s3cret@collector:4317 | OTEL_EXPORTER_OTLP_ENDPOINT | otel.export.headers.authorization",
			"OTEL_EXPORTER_OTLP_ENDPOINT=http://user:s3cret@collector:4317;OTEL_EXPORTER_OTLP_HEADERS=x-tenant=acme | OTEL_EXPORTER_OTLP_ENDPOINT | OTEL_EXPORTER_OTLP_HEADERS (authorization)",
			"otel.export.headers.x-tenant=acme;otel.export.fallback.endpoint=http://user:s3cret@backup:4317 | otel.export.fallback.endpoint | otel.export.fallback.headers.authorization" })
	void urlCredentialsAreToldWhereTheirHeaderGoes(String settings, String property, String header,
			CapturedOutput output) {
		this.runner.withPropertyValues(settings.split(";"))
			.run((context) -> assertThat(output)
				.contains(property + " carries credentials in the URL; they are not sent as OTLP authentication. "
						+ "Move them to a header: " + header + ".")
				.doesNotContain("ENDPOINT.authorization")
				.doesNotContain("s3cret"));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = { " | otel.export.headers | otel.export.fallback.headers",
			"otel.export.headers.x-api-key=k1 | otel.export.headers | otel.export.headers",
			"OTEL_EXPORTER_OTLP_HEADERS=x-api-key=k1 | OTEL_EXPORTER_OTLP_HEADERS | OTEL_EXPORTER_OTLP_HEADERS",
			"OTEL_EXPORTER_OTLP_TRACES_HEADERS=x-api-key=k1 | OTEL_EXPORTER_OTLP_TRACES_HEADERS | OTEL_EXPORTER_OTLP_TRACES_HEADERS",
			"otel.export.headers.x-api-key=k1;otel.export.fallback.headers.x-api-key=k2 | otel.export.headers | otel.export.fallback.headers",
			"OTEL_EXPORTER_OTLP_HEADERS=x-api-key=k1;otel.export.fallback.inherit-headers=false | OTEL_EXPORTER_OTLP_HEADERS | otel.export.fallback.headers" })
	void hintsNameWhereEachDestinationsHeadersAreSet(String settings, String primaryHeaders, String fallbackHeaders) {
		String[] values = (settings != null) ? settings.split(";") : new String[0];
		this.runner.withPropertyValues(values)
			.withPropertyValues("otel.export.fallback.endpoint=http://backup:4317")
			.run((context) -> {
				OtelExportDestinations destinations = context.getBean(OtelExportDestinations.class);
				ExporterSettings primary = destinations.primary();
				ExporterSettings fallback = destinations.fallback().orElseThrow();
				assertThat(primary.headersProperty()).isEqualTo(primaryHeaders);
				assertThat(fallback.headersProperty()).isEqualTo(fallbackHeaders);
				assertThat(ExportErrorCategory.UNAUTHENTICATED.hint(fallback.description()))
					.startsWith("Check " + fallbackHeaders + " ");
			});
	}

	@Test
	void disabledCreatesNoBeans() {
		this.runner.withPropertyValues("otel.export.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(OtelExportDestinations.class)
				.doesNotHaveBean(OtelExportProperties.class));
	}

	@Test
	void backsOffFromUserDestinations() {
		OtelExportDestinations own = new OtelExportDestinations(new ExporterSettings(DestinationRole.PRIMARY,
				OtlpProtocol.GRPC, "http://own:4317", Map.of(), "otel.export.headers", Duration.ofSeconds(1),
				Duration.ofSeconds(1), Compression.NONE, TlsSettings.none()), null);
		this.runner.withBean(OtelExportDestinations.class, () -> own)
			.run((context) -> assertThat(context).getBean(OtelExportDestinations.class).isSameAs(own));
	}

}
