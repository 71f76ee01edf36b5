package io.github.otelexport.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.github.otelexport.export.ExporterDescription;
import io.github.otelexport.export.ExporterSettings;
import io.github.otelexport.export.ResilientSpanExporter;
import io.github.otelexport.testkit.OtlpReceiver;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link OtelExportConfigurationFailureAnalyzer} and the validation behind it:
 * every bad input fails startup with its property, its value and the fix.
 *
 * @author otel-export authors
 */
@ExtendWith(OutputCaptureExtension.class)
class OtelExportConfigurationFailureAnalyzerTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OtelExportAutoConfiguration.class));

	@TempDir
	Path temp;

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', quoteCharacter = '"',
			textBlock = """
					endpointWithoutScheme | otel.export.endpoint=collector:4317 | otel.export.endpoint | collector:4317 | http://collector:4317
					grpcScheme | otel.export.endpoint=grpc://collector:4317 | otel.export.endpoint | grpc://collector:4317 | Use http://collector:4317
					unknownScheme | otel.export.endpoint=tcp://collector:4317 | otel.export.endpoint | tcp://collector:4317 | http://
					unknownProtocolFromTheEnvironment | OTEL_EXPORTER_OTLP_PROTOCOL=http/json | OTEL_EXPORTER_OTLP_PROTOCOL | http/json | http/json is not supported
					unknownCompression | otel.export.compression=zstd | otel.export.compression | zstd | 'none' or 'gzip'
					environmentTimeoutThatIsNotANumber | OTEL_EXPORTER_OTLP_TIMEOUT=10s | OTEL_EXPORTER_OTLP_TIMEOUT | 10s | milliseconds
					negativeDuration | otel.export.timeout=-1s | otel.export.timeout | PT-1S | positive duration
					failureThresholdBelowOne | otel.export.fallback.failure-threshold=0 | otel.export.fallback.failure-threshold | 0 | 1 or more
					maxAttemptsBelowOne | otel.export.retry.max-attempts=0 | otel.export.retry.max-attempts | 0 | 1 or more
					sslBundleWithoutAnyBundles | otel.export.tls.bundle=missing | otel.export.tls.bundle | missing | spring.ssl.bundle.pem.missing
					headerWithEmptyValue | otel.export.headers.x-api-key=${OTEL_API_KEY:} | otel.export.headers.x-api-key | "" | environment variable
					portOutOfRange | otel.export.endpoint=http://collector:99999 | otel.export.endpoint | http://collector:99999 | between 1 and 65535
					portZero | otel.export.endpoint=http://collector:0 | otel.export.endpoint | http://collector:0 | between 1 and 65535
					fallbackPortOutOfRange | otel.export.fallback.endpoint=http://backup:70000 | otel.export.fallback.endpoint | http://backup:70000 | between 1 and 65535
					environmentPortOutOfRange | OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://collector:65536 | OTEL_EXPORTER_OTLP_TRACES_ENDPOINT | http://collector:65536 | between 1 and 65535
					fragment | otel.export.endpoint=http://collector:4317#traces | otel.export.endpoint | http://collector:4317 | Remove the fragment
					headerWithUnresolvedPlaceholder | otel.export.headers.x-api-key=${OTEL_API_KEY} | otel.export.headers.x-api-key | ${OTEL_API_KEY} | Set the environment variable OTEL_API_KEY
					""")
	void settingFailsStartupNamingPropertyValueAndFix(String name, String setting, String property, String value,
			String fix) {
		FailureAnalysis analysis = analyze(setting);
		assertDescription(analysis, property, value);
		assertThat(analysis.getAction()).contains(fix);
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://collector:43x7", "http://col lector:4317", "http://:4317" })
	void malformedUrl(String endpoint) {
		FailureAnalysis analysis = analyze("otel.export.endpoint=" + endpoint);
		assertDescription(analysis, "otel.export.endpoint", endpoint);
		assertThat(analysis.getAction()).contains("http://collector:4317");
	}

	@Test
	void malformedUrlNeverShowsThePassword() {
		FailureAnalysis analysis = analyze("otel.export.endpoint=http://user:s3cret@collector:43x7");
		assertDescription(analysis, "otel.export.endpoint", "http://collector:43x7");
		assertThat(analysis.getDescription() + analysis.getAction() + analysis.getCause().getMessage())
			.doesNotContain("s3cret");
	}

	@Test
	void unknownProtocol() {
		FailureAnalysis analysis = analyze("otel.export.protocol=http");
		assertDescription(analysis, "otel.export.protocol", "http");
		assertThat(analysis.getAction()).contains("'grpc'").contains("'http/protobuf'");
	}

	@ParameterizedTest
	@ValueSource(strings = { "otel.export.timeout", "otel.export.connect-timeout", "otel.export.fallback.timeout",
			"otel.export.batch.schedule-delay", "otel.export.batch.export-timeout", "otel.export.retry.initial-backoff",
			"otel.export.retry.max-backoff", "otel.export.retry.max-elapsed-time",
			"otel.export.fallback.probe-interval" })
	void zeroDuration(String property) {
		FailureAnalysis analysis = analyze(property + "=0s", "otel.export.fallback.endpoint=http://backup:4317");
		assertDescription(analysis, property, "PT0S");
		assertThat(analysis.getAction()).contains("positive duration");
	}

	@ParameterizedTest
	@ValueSource(strings = { "otel.export.retry.max-attempts=0", "otel.export.batch.max-queue-size=0",
			"otel.export.health.grace-period=-1s" })
	void settingsOtherThanTheDestinationsAreCheckedWithTheApplicationsOwnDestinations(String setting) {
		OtelExportDestinations own = new OtelExportDestinations(
				ExporterSettings.of("primary", "grpc", "http://own:4317"), null);
		ApplicationContextRunner runner = this.runner
			.withConfiguration(AutoConfigurations.of(OtelExportHealthAutoConfiguration.class))
			.withBean(OtelExportDestinations.class, () -> own);
		FailureAnalysis analysis = analyze(runner, setting);
		String property = setting.substring(0, setting.indexOf('='));
		assertThat(analysis.getDescription()).contains("Property: " + property);
		assertThat(analysis.getAction()).contains(property);
	}

	@Test
	void settingsOtherThanTheDestinationsAreCheckedWithTheApplicationsOwnExporter() {
		ResilientSpanExporter own = ResilientSpanExporter
			.builder(InMemorySpanExporter.create(), new ExporterDescription("primary", "http://own:4317", "grpc"))
			.build();
		FailureAnalysis analysis = analyze(this.runner.withBean(ResilientSpanExporter.class, () -> own),
				"otel.export.batch.max-export-batch-size=0");
		assertDescription(analysis, "otel.export.batch.max-export-batch-size", "0");
	}

	@Test
	void batchLargerThanQueue() {
		FailureAnalysis analysis = analyze("otel.export.batch.max-export-batch-size=600",
				"otel.export.batch.max-queue-size=500");
		assertDescription(analysis, "otel.export.batch.max-export-batch-size", "600");
		assertThat(analysis.getAction()).contains("at most 500");
	}

	@Test
	void retryBudgetNotShorterThanExportTimeout() {
		FailureAnalysis analysis = analyze("otel.export.retry.max-elapsed-time=30s",
				"otel.export.batch.export-timeout=30s");
		assertDescription(analysis, "otel.export.retry.max-elapsed-time", "PT30S");
		assertThat(analysis.getAction()).contains("shorter than otel.export.batch.export-timeout");
	}

	@Test
	void tlsFileMissing() {
		String file = this.temp.resolve("missing-ca.pem").toString();
		FailureAnalysis analysis = analyze("otel.export.tls.ca-file=" + file);
		assertDescription(analysis, "otel.export.tls.ca-file", file);
		assertThat(analysis.getDescription()).contains("does not exist");
		assertThat(analysis.getAction()).contains("existing PEM file");
	}

	@Test
	void tlsFileUnreadable() throws IOException {
		Path directory = Files.createDirectory(this.temp.resolve("ca.pem"));
		FailureAnalysis analysis = analyze("otel.export.tls.ca-file=" + directory);
		assertDescription(analysis, "otel.export.tls.ca-file", directory.toString());
		assertThat(analysis.getDescription()).contains("cannot be read");
		assertThat(analysis.getAction()).contains("can read");
	}

	@Test
	void tlsFileNotPem() throws IOException {
		Path file = Files.writeString(this.temp.resolve("ca.der"), "not a certificate");
		FailureAnalysis analysis = analyze("otel.export.tls.ca-file=" + file);
		assertDescription(analysis, "otel.export.tls.ca-file", file.toString());
		assertThat(analysis.getAction()).contains("-----BEGIN CERTIFICATE-----");
	}

	@Test
	void clientKeyNotPem() throws IOException {
		Path certificate = Files.writeString(this.temp.resolve("client.pem"), "not a certificate");
		Path key = Files.writeString(this.temp.resolve("client.key"), "not a key");
		FailureAnalysis analysis = analyze("otel.export.tls.client-certificate=" + certificate,
				"otel.export.tls.client-key=" + key);
		assertDescription(analysis, "otel.export.tls.client-certificate", certificate.toString());
	}

	@Test
	void clientKeyFileIsNotAPrivateKey() throws IOException {
		try (OtlpReceiver receiver = OtlpReceiver.builder().mutualTls().build()) {
			Path key = Files.writeString(this.temp.resolve("client.key"), "-----BEGIN NOTHING-----");
			FailureAnalysis analysis = analyze("otel.export.tls.client-certificate=" + receiver.clientCertificateFile(),
					"otel.export.tls.client-key=" + key);
			assertDescription(analysis, "otel.export.tls.client-key", key.toString());
			assertThat(analysis.getAction()).contains("-----BEGIN PRIVATE KEY-----");
		}
	}

	@Test
	void fallbackTlsFileMissing() {
		String file = this.temp.resolve("missing-fallback-ca.pem").toString();
		FailureAnalysis analysis = analyze("otel.export.fallback.endpoint=https://backup:4317",
				"otel.export.fallback.tls.ca-file=" + file);
		assertDescription(analysis, "otel.export.fallback.tls.ca-file", file);
	}

	@Test
	void clientCertificateWithoutKey() throws IOException {
		Path certificate = Files.writeString(this.temp.resolve("client.pem"), "x");
		FailureAnalysis analysis = analyze("otel.export.tls.client-certificate=" + certificate);
		assertDescription(analysis, "otel.export.tls.client-certificate", certificate.toString());
		assertThat(analysis.getAction()).contains("otel.export.tls.client-key");
	}

	@Test
	void unknownSslBundle() {
		FailureAnalysis analysis = analyze(
				this.runner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class)),
				"otel.export.tls.bundle=missing");
		assertDescription(analysis, "otel.export.tls.bundle", "missing");
		assertThat(analysis.getAction()).contains("spring.ssl.bundle.pem.missing");
	}

	@Test
	void headerWithAPlaceholderInsideShowsOnlyThePlaceholder() {
		FailureAnalysis analysis = analyze("otel.export.headers.authorization=Bearer-s3cret-${TOKEN_SUFFIX}");
		assertDescription(analysis, "otel.export.headers.authorization", "${TOKEN_SUFFIX}");
		assertThat(analysis.getDescription()).doesNotContain("s3cret");
		assertThat(analysis.getAction()).contains("Set the environment variable TOKEN_SUFFIX");
	}

	@ParameterizedTest
	@CsvSource({ "http://collector:4317, http://collector:4317", "http://collector:4317, http://collector:4317/",
			"http://collector:4317, HTTP://Collector:4317", "https://collector, https://collector:443/",
			"http://collector, http://collector:80", "http://user:pw@collector:4317, http://collector:4317" })
	void fallbackEndpointEqualToPrimary(String primary, String fallback) {
		FailureAnalysis analysis = analyze("otel.export.endpoint=" + primary,
				"otel.export.fallback.endpoint=" + fallback);
		assertThat(analysis.getDescription()).contains("Property: otel.export.fallback.endpoint")
			.contains("the same as the primary endpoint");
		assertThat(analysis.getAction()).contains("different destination");
	}

	@Test
	void httpFallbackEndpointEqualToPrimaryWithATrailingSlash() {
		FailureAnalysis analysis = analyze("otel.export.protocol=http/protobuf",
				"otel.export.endpoint=http://collector:4318/v1/traces",
				"otel.export.fallback.endpoint=http://Collector:4318/v1/traces/");
		assertThat(analysis.getDescription()).contains("Property: otel.export.fallback.endpoint");
	}

	@Test
	void headerValuesAreNeverShown() {
		FailureAnalysis analysis = analyze("otel.export.headers.x-api-key=s3cret", "otel.export.compression=zip");
		assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain("s3cret");
	}

	@Test
	void isRegisteredSoFailedStartupPrintsTheAnalysis(CapturedOutput output) {
		SpringApplication application = new SpringApplication(EmptyConfiguration.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(
				() -> application.run("--otel.export.endpoint=grpc://collector:4317", "--spring.main.banner-mode=off"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Property: otel.export.endpoint")
			.contains("Use http://collector:4317");
	}

	private FailureAnalysis analyze(String... properties) {
		return analyze(this.runner, properties);
	}

	private FailureAnalysis analyze(ApplicationContextRunner runner, String... properties) {
		FailureAnalysis[] analysis = new FailureAnalysis[1];
		runner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			analysis[0] = new OtelExportConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
		});
		assertThat(analysis[0]).isNotNull();
		return analysis[0];
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(OtelExportAutoConfiguration.class)
	static class EmptyConfiguration {

	}

	private static void assertDescription(FailureAnalysis analysis, String property, String value) {
		assertThat(analysis.getDescription()).contains("Property: " + property).contains("Value: '" + value + "'");
	}

}
