package io.github.otelexport.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import com.jayway.jsonpath.JsonPath;
import io.github.otelexport.export.ExporterSettings;
import io.github.otelexport.export.OtlpTransports;
import io.github.otelexport.export.ResilientSpanExporter;
import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.stats.ExporterDescription;
import io.github.otelexport.testkit.OtlpReceiver;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;
import org.springframework.core.io.support.SpringFactoriesLoader;

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
	@MethodSource("badSettings")
	void badSettingFailsStartupNamingPropertyValueAndFix(BadSetting bad) {
		FailureAnalysis analysis = analyze(bad.settings());
		assertThat(analysis.getDescription()).contains("Property: " + bad.property() + "\n")
			.contains("Value: '" + bad.value() + "'");
		assertThat(analysis.getAction()).contains(bad.fix());
		if (bad.reason() != null) {
			assertThat(analysis.getDescription()).contains("Reason: " + bad.reason());
		}
		// header values (all of them contain this) are never shown
		assertThat(analysis.getDescription() + analysis.getAction() + messages(analysis.getCause()))
			.doesNotContain("s3cret");
	}

	static Stream<BadSetting> badSettings() {
		String notShown = "(not shown)";
		String durationRange = "a duration between 1ms and 1d";
		return Stream.of(
				// Headers that would fail every request, or split it
				bad("header value with a line break", "otel.export.headers.x-a", notShown, "Remove the line break",
						"otel.export.headers.x-a=s3cret\r\nx: y"),
				bad("header value with a line break from the environment", "OTEL_EXPORTER_OTLP_HEADERS (x-a)", notShown,
						"Remove the line break", "OTEL_EXPORTER_OTLP_HEADERS=x-a=s3cret%0D%0Ainjected: 1"),
				bad("header value ending in a line break from the environment", "OTEL_EXPORTER_OTLP_HEADERS (x-a)",
						notShown, "Remove the line break", "OTEL_EXPORTER_OTLP_HEADERS=x-a=s3cret%0D%0A")
					.because("the value contains a line break (CR or LF) at position 7"),
				bad("header name with a space", "otel.export.headers[x y]", notShown, "rename the header",
						"otel.export.headers[x y]=s3cret"),
				bad("header name with a space from the environment", "OTEL_EXPORTER_OTLP_HEADERS (x y)", notShown,
						"rename the header", "OTEL_EXPORTER_OTLP_HEADERS=x%20y=s3cret"),
				bad("non-ASCII header value", "otel.export.headers.x-a", notShown, "visible ASCII characters",
						"otel.export.headers.x-a=caf\u00e9-s3cret"),
				bad("control character in a header value", "otel.export.headers.x-a", notShown,
						"visible ASCII characters", "otel.export.headers.x-a=s3\u0007cret"),
				bad("1 MB header value", "otel.export.headers.x-a", notShown, "at most 8192 characters",
						"otel.export.headers.x-a=s3cret" + "k".repeat(1 << 20)),
				bad("fallback header with a line break", "otel.export.fallback.headers.x-a", notShown,
						"Remove the line break", "otel.export.fallback.endpoint=http://backup:4317",
						"otel.export.fallback.headers.x-a=s3cret\nx: y"),
				bad("header with an empty value", "otel.export.headers.x-api-key", "", "environment variable",
						"otel.export.headers.x-api-key=${OTEL_API_KEY:}"),
				bad("header with an unresolved placeholder", "otel.export.headers.x-api-key", "${OTEL_API_KEY}",
						"Set the environment variable OTEL_API_KEY", "otel.export.headers.x-api-key=${OTEL_API_KEY}"),
				// Durations too long for what the code does with them
				bad("timeout of 200000 days", "otel.export.timeout", "200000d", durationRange,
						"otel.export.timeout=200000d"),
				bad("connect timeout of 200000 days", "otel.export.connect-timeout", "200000d", durationRange,
						"otel.export.connect-timeout=200000d"),
				bad("fallback timeout of 200000 days", "otel.export.fallback.timeout", "200000d", durationRange,
						"otel.export.fallback.endpoint=http://backup:4317", "otel.export.fallback.timeout=200000d"),
				bad("schedule delay of 200000 days", "otel.export.batch.schedule-delay", "200000d", durationRange,
						"otel.export.batch.schedule-delay=200000d"),
				bad("probe interval of 200000 days", "otel.export.fallback.probe-interval", "200000d", durationRange,
						"otel.export.fallback.probe-interval=200000d"),
				bad("export timeout of 200000 days", "otel.export.batch.export-timeout", "200000d", durationRange,
						"otel.export.batch.export-timeout=200000d"),
				bad("export timeout too long to represent", "otel.export.batch.export-timeout", "9223372036854775807d",
						durationRange, "otel.export.batch.export-timeout=9223372036854775807d"),
				bad("backoffs of 200000 days", "otel.export.retry.initial-backoff", "200000d", durationRange,
						"otel.export.retry.initial-backoff=200000d", "otel.export.retry.max-backoff=200000d"),
				bad("max backoff of 200000 days", "otel.export.retry.max-backoff", "200000d", durationRange,
						"otel.export.retry.max-backoff=200000d"),
				bad("retry budget of 200000 days", "otel.export.retry.max-elapsed-time", "200000d", durationRange,
						"otel.export.retry.max-elapsed-time=200000d", "otel.export.batch.export-timeout=1d"),
				bad("grace period of 200000 days", "otel.export.health.grace-period", "200000d",
						"a duration between 0s and 1d", "otel.export.health.grace-period=200000d"),
				bad("grace period that is not a duration", "otel.export.health.grace-period", "a minute",
						"a duration between 0s and 1d", "otel.export.health.grace-period=a minute"),
				bad("duration that is not one", "otel.export.timeout", "ten seconds", durationRange,
						"otel.export.timeout=ten seconds"),
				// Numbers that are not numbers or too large
				bad("multiplier NaN", "otel.export.retry.multiplier", "NaN", "a finite number of at least 1.0",
						"otel.export.retry.multiplier=NaN"),
				bad("multiplier infinite", "otel.export.retry.multiplier", "Infinity",
						"a finite number of at least 1.0", "otel.export.retry.multiplier=Infinity"),
				bad("multiplier below 1", "otel.export.retry.multiplier", "0.5", "a finite number of at least 1.0",
						"otel.export.retry.multiplier=0.5"),
				bad("jitter NaN", "otel.export.retry.jitter", "NaN", "a number between 0.0 and 1.0",
						"otel.export.retry.jitter=NaN"),
				bad("jitter above 1", "otel.export.retry.jitter", "1.5", "a number between 0.0 and 1.0",
						"otel.export.retry.jitter=1.5"),
				bad("queue of two billion spans", "otel.export.batch.max-queue-size", "2000000000",
						"between 1 and 1000000", "otel.export.batch.max-queue-size=2000000000"),
				bad("queue size that is not a number", "otel.export.batch.max-queue-size", "lots",
						"a whole number between 1 and 1000000", "otel.export.batch.max-queue-size=lots")
					.because("it is not a whole number"),
				bad("queue size beyond an int", "otel.export.batch.max-queue-size", "3000000000",
						"a whole number between 1 and 1000000", "otel.export.batch.max-queue-size=3000000000")
					.because("the number is too large: whole numbers here go up to 2147483647"),
				bad("attempts beyond an int", "otel.export.retry.max-attempts", "3000000000",
						"a whole number 1 or more", "otel.export.retry.max-attempts=3000000000")
					.because("the number is too large: whole numbers here go up to 2147483647"),
				bad("sampling below an int", "otel.export.debug.sampling-initial", "-3000000000",
						"a whole number 0 or more", "otel.export.debug.sampling-initial=-3000000000")
					.because("the number is too small: whole numbers here go down to -2147483648"),
				bad("recent errors far beyond a long", "otel.export.diagnostics.recent-errors",
						"99999999999999999999999", "a whole number between 1 and 1000",
						"otel.export.diagnostics.recent-errors=99999999999999999999999")
					.because("the number is too large"),
				bad("failure threshold with a fraction", "otel.export.fallback.failure-threshold", "2.5",
						"a whole number 1 or more", "otel.export.fallback.failure-threshold=2.5")
					.because("it is not a whole number"),
				bad("jitter that is not a number", "otel.export.retry.jitter", "a little",
						"a number between 0.0 and 1.0", "otel.export.retry.jitter=a little")
					.because("it is not a number"),
				bad("a million recent errors", "otel.export.diagnostics.recent-errors", "1000000", "between 1 and 1000",
						"otel.export.diagnostics.recent-errors=1000000"),
				bad("environment timeout not a whole number", "OTEL_EXPORTER_OTLP_TIMEOUT", "1e16",
						"between 1 and 86400000", "OTEL_EXPORTER_OTLP_TIMEOUT=1e16"),
				bad("environment timeout of 10^16 ms", "OTEL_EXPORTER_OTLP_TIMEOUT", "10000000000000000",
						"between 1 and 86400000", "OTEL_EXPORTER_OTLP_TIMEOUT=10000000000000000")
					.because("the duration is out of range (1 to 86400000 milliseconds)"),
				bad("environment timeout beyond a long", "OTEL_EXPORTER_OTLP_TIMEOUT", "99999999999999999999",
						"between 1 and 86400000", "OTEL_EXPORTER_OTLP_TIMEOUT=99999999999999999999")
					.because("the duration is out of range"),
				bad("traces environment timeout of 0 ms", "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "0",
						"between 1 and 86400000", "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT=0"),
				bad("environment timeout with a unit", "OTEL_EXPORTER_OTLP_TIMEOUT", "10s", "milliseconds",
						"OTEL_EXPORTER_OTLP_TIMEOUT=10s"),
				// Values that never worked
				bad("endpoint without a scheme", "otel.export.endpoint", "collector:4317", "http://collector:4317",
						"otel.export.endpoint=collector:4317"),
				bad("grpc scheme", "otel.export.endpoint", "grpc://collector:4317", "Use http://collector:4317",
						"otel.export.endpoint=grpc://collector:4317"),
				bad("unknown scheme", "otel.export.endpoint", "tcp://collector:4317", "http://",
						"otel.export.endpoint=tcp://collector:4317"),
				bad("unknown protocol", "otel.export.protocol", "http", "one of 'grpc' or 'http/protobuf'",
						"otel.export.protocol=http"),
				bad("http/json protocol", "otel.export.fallback.protocol", "http/json", "http/json is not supported",
						"otel.export.fallback.protocol=http/json"),
				bad("unknown protocol from the environment", "OTEL_EXPORTER_OTLP_PROTOCOL", "http/json",
						"http/json is not supported", "OTEL_EXPORTER_OTLP_PROTOCOL=http/json"),
				bad("unknown compression", "otel.export.compression", "zstd", "one of 'none' or 'gzip'",
						"otel.export.compression=zstd"),
				bad("unknown compression from the environment", "OTEL_EXPORTER_OTLP_COMPRESSION", "zstd",
						"'none' or 'gzip'", "OTEL_EXPORTER_OTLP_COMPRESSION=zstd"),
				bad("negative duration", "otel.export.timeout", "-1s", durationRange, "otel.export.timeout=-1s"),
				bad("failure threshold below one", "otel.export.fallback.failure-threshold", "0", "1 or more",
						"otel.export.fallback.failure-threshold=0"),
				bad("max attempts below one", "otel.export.retry.max-attempts", "0", "1 or more",
						"otel.export.retry.max-attempts=0"),
				bad("negative sampling", "otel.export.debug.sampling-initial", "-1", "0 or more",
						"otel.export.debug.sampling-initial=-1"),
				bad("SSL bundle without any bundles", "otel.export.tls.bundle", "missing",
						"spring.ssl.bundle.pem.missing", "otel.export.tls.bundle=missing"),
				bad("port out of range", "otel.export.endpoint", "http://collector:99999", "between 1 and 65535",
						"otel.export.endpoint=http://collector:99999"),
				bad("port zero", "otel.export.endpoint", "http://collector:0", "between 1 and 65535",
						"otel.export.endpoint=http://collector:0"),
				bad("fallback port out of range", "otel.export.fallback.endpoint", "http://backup:70000",
						"between 1 and 65535", "otel.export.fallback.endpoint=http://backup:70000"),
				bad("environment port out of range", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:65536",
						"between 1 and 65535", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://collector:65536"),
				bad("fragment", "otel.export.endpoint", "http://collector:4317", "Remove the fragment",
						"otel.export.endpoint=http://collector:4317#traces"),
				bad("batch larger than the queue", "otel.export.batch.max-export-batch-size", "600", "at most 500",
						"otel.export.batch.max-export-batch-size=600", "otel.export.batch.max-queue-size=500"),
				// without the buffer, retries run on the batch processor's thread, which
				// gives
				// up on a batch after its export timeout
				bad("retry budget not shorter than the export timeout", "otel.export.retry.max-elapsed-time", "30s",
						"shorter than otel.export.batch.export-timeout", "otel.export.retry.max-elapsed-time=30s",
						"otel.export.batch.export-timeout=30s", "otel.export.buffer.memory.max-size=0"),
				// Buffer sizes and senders
				bad("buffer too small for one request", "otel.export.buffer.memory.max-size", "512B",
						"Set otel.export.buffer.memory.max-size to a size between 1KB and 16GB, or 0 (turns the buffer off), for example 64MB.",
						"otel.export.buffer.memory.max-size=512B")
					.because("the size is too small to hold an export request"),
				bad("buffer of 1 byte", "otel.export.buffer.memory.max-size", "1B", "between 1KB and 16GB",
						"otel.export.buffer.memory.max-size=1"),
				bad("buffer larger than the range", "otel.export.buffer.memory.max-size", "32GB",
						"a size between 1KB and 16GB", "otel.export.buffer.memory.max-size=32GB")
					.because("the size is out of range"),
				bad("negative buffer", "otel.export.buffer.memory.max-size", "-1MB", "a size between 1KB and 16GB",
						"otel.export.buffer.memory.max-size=-1MB")
					.because("the size must not be negative"),
				bad("buffer size that is not a size", "otel.export.buffer.memory.max-size", "lots",
						"a size between 1KB and 16GB, or 0 (turns the buffer off), such as 512KB, 64MB or 1GB",
						"otel.export.buffer.memory.max-size=lots"),
				bad("no sender", "otel.export.sending.concurrency", "0", "a whole number between 1 and 64",
						"otel.export.sending.concurrency=0"),
				bad("a thousand senders", "otel.export.sending.concurrency", "1000", "a whole number between 1 and 64",
						"otel.export.sending.concurrency=1000"),
				bad("max backoff shorter than the initial backoff", "otel.export.retry.max-backoff", "1s",
						"at least 2s", "otel.export.retry.initial-backoff=2s", "otel.export.retry.max-backoff=1s"));
	}

	private static BadSetting bad(String name, String property, String value, String fix, String... settings) {
		return new BadSetting(name, property, value, null, fix, settings);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("numberProperties")
	void everyNumberPropertyThatCannotBeConvertedIsToldItsOwnRange(String property) {
		String range = ConfigurationChecks.numberRange(property);
		assertThat(range).as("range of %s in ConfigurationChecks", property).isNotNull();
		FailureAnalysis analysis = analyze(property + "=lots");
		assertDescription(analysis, property, "lots");
		assertThat(analysis.getAction()).isEqualTo("Set " + property + " to " + range + ".");
	}

	static Stream<String> numberProperties() throws IOException {
		try (InputStream metadata = OtelExportConfigurationFailureAnalyzerTests.class
			.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			List<String> names = JsonPath.parse(metadata)
				.read("$.properties[?(@.type in ['java.lang.Integer', 'java.lang.Double'])].name");
			assertThat(names).contains("otel.export.retry.max-attempts", "otel.export.retry.jitter");
			return names.stream().filter((name) -> name.startsWith("otel.export."));
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "otel.export.timeout", "otel.export.connect-timeout", "otel.export.fallback.timeout",
			"otel.export.fallback.connect-timeout", "otel.export.batch.schedule-delay",
			"otel.export.batch.export-timeout", "otel.export.retry.initial-backoff", "otel.export.retry.max-backoff",
			"otel.export.retry.max-elapsed-time", "otel.export.fallback.probe-interval" })
	void zeroDuration(String property) {
		FailureAnalysis analysis = analyze(property + "=0s", "otel.export.fallback.endpoint=http://backup:4317");
		assertDescription(analysis, property, "0s");
		assertThat(analysis.getDescription()).contains("the duration must be positive");
		assertThat(analysis.getAction()).contains("a duration between 1ms and 1d");
	}

	@Test
	void zeroGracePeriodIsAllowed() {
		this.runner.withPropertyValues("otel.export.health.grace-period=0s")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@ParameterizedTest
	@ValueSource(strings = { "otel.export.timeout=1d", "otel.export.timeout=1ms", "otel.export.retry.multiplier=1",
			"otel.export.retry.jitter=0", "otel.export.retry.jitter=1", "otel.export.batch.max-queue-size=1000000",
			"otel.export.diagnostics.recent-errors=1000", "OTEL_EXPORTER_OTLP_TIMEOUT=86400000",
			"otel.export.buffer.memory.max-size=0", "otel.export.buffer.memory.max-size=1KB",
			"otel.export.buffer.memory.max-size=16GB", "otel.export.sending.concurrency=1",
			"otel.export.sending.concurrency=64" })
	void boundsOfTheRangesAreAllowed(String setting) {
		this.runner.withPropertyValues(setting).run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void retryBudgetMayOutlastTheExportTimeoutWithTheBuffer() {
		// export() only buffers the batch: its retries run on a sender, not on the batch
		// processor's thread
		this.runner.withPropertyValues("otel.export.retry.max-elapsed-time=5m", "otel.export.batch.export-timeout=30s")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@ParameterizedTest(name = "buffer.memory.max-size={0}")
	@CsvSource({ "64MB, 300", "0, 25" })
	void retryBudgetDefaultsToMinutesWithTheBufferAndBelowTheExportTimeoutWithout(String bufferSize,
			long budgetSeconds) {
		Duration budget = Duration.ofSeconds(budgetSeconds);
		this.runner.withPropertyValues("otel.export.buffer.memory.max-size=" + bufferSize).run((context) -> {
			assertThat(context).hasNotFailed();
			OtelExportSettings settings = context.getBean(OtelExportSettings.class);
			assertThat(settings.retry().maxElapsedTime()).isEqualTo(budget);
			assertThat(settings.inEffect()).containsEntry("retry.max-elapsed-time", budget);
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://collector:43x7", "http://col lector:4317", "http://:4317" })
	void malformedUrl(String endpoint) {
		FailureAnalysis analysis = analyze("otel.export.endpoint=" + endpoint);
		assertDescription(analysis, "otel.export.endpoint", endpoint);
		assertThat(analysis.getAction()).contains("http://collector:4317");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = {
			"otel.export.endpoint=http://user:s3cret@collector:43x7 | http://collector:43x7 | http://collector:4317",
			"otel.export.endpoint=user:s3cret@collector:4317 | collector:4317 | Write the scheme: http://collector:4317 ",
			"otel.export.endpoint=//user:s3cret@collector:4317 | //collector:4317 | Write the scheme: http://collector:4317 ",
			"OTEL_EXPORTER_OTLP_ENDPOINT=user:s3cret@collector:4317 | collector:4317 | http://collector:4317 ",
			"otel.export.endpoint=http://my_host:4317/v1/traces?token=s3cret | http://my_host:4317/v1/traces | http://collector:4317",
			"otel.export.endpoint=my_host:4317?token=s3cret | my_host:4317 | http://my_host:4317 " })
	void malformedUrlNeverShowsThePassword(String setting, String shown, String fix) {
		FailureAnalysis analysis = analyze(setting);
		assertDescription(analysis, setting.substring(0, setting.indexOf('=')), shown);
		assertThat(analysis.getAction()).contains(fix);
		assertThat(analysis.getDescription() + analysis.getAction() + messages(analysis.getCause()))
			.doesNotContain("s3cret");
	}

	@ParameterizedTest
	@ValueSource(strings = { "otel.export.retry.max-attempts=0", "otel.export.batch.max-queue-size=0",
			"otel.export.health.grace-period=-1s" })
	void settingsOtherThanTheDestinationsAreCheckedWithTheApplicationsOwnDestinations(String setting) {
		OtelExportDestinations own = new OtelExportDestinations(
				ExporterSettings.of(DestinationRole.PRIMARY, OtlpProtocol.GRPC, "http://own:4317"), null);
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
			.builder(
					OtlpTransports
						.create(ExporterSettings.of(DestinationRole.PRIMARY, OtlpProtocol.GRPC, "http://own:4317")),
					ExporterDescription.primary("http://own:4317", OtlpProtocol.GRPC))
			.build();
		FailureAnalysis analysis = analyze(this.runner.withBean(ResilientSpanExporter.class, () -> own),
				"otel.export.batch.max-export-batch-size=0");
		assertDescription(analysis, "otel.export.batch.max-export-batch-size", "0");
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
	void diskBufferWithoutTheMemoryBuffer() {
		String directory = this.temp.resolve("buffer").toString();
		FailureAnalysis analysis = analyze("otel.export.buffer.disk.directory=" + directory,
				"otel.export.buffer.memory.max-size=0");
		assertDescription(analysis, "otel.export.buffer.disk.directory", directory);
		assertThat(analysis.getDescription()).contains("needs the memory buffer");
		assertThat(analysis.getAction()).contains("otel.export.buffer.memory.max-size=0");
	}

	@Test
	void diskBufferDirectoryThatIsAFile() throws IOException {
		Path file = Files.createFile(this.temp.resolve("buffer"));
		FailureAnalysis analysis = analyze("otel.export.buffer.disk.directory=" + file);
		assertDescription(analysis, "otel.export.buffer.disk.directory", file.toString());
		assertThat(analysis.getAction()).contains("a directory this application can write to");
	}

	@Test
	void diskBufferDirectoryThatAnotherExporterUses() {
		Path directory = this.temp.resolve("buffer");
		ExporterSettings settings = ExporterSettings.of(DestinationRole.PRIMARY, OtlpProtocol.GRPC,
				"http://localhost:4317");
		ResilientSpanExporter other = ResilientSpanExporter
			.builder(OtlpTransports.create(settings), settings.description())
			.buffer(1024 * 1024, 1)
			.diskBuffer(directory, 1024 * 1024)
			.build();
		try {
			FailureAnalysis analysis = analyze("otel.export.buffer.disk.directory=" + directory);
			assertDescription(analysis, "otel.export.buffer.disk.directory", directory.toString());
			assertThat(analysis.getDescription()).contains("another process");
			assertThat(analysis.getAction()).contains("that no other instance uses");
		}
		finally {
			other.shutdown();
		}
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

	@Test
	void valueThatCannotBeConvertedIsExplainedBeforeSpringBootsGenericAnalysis(CapturedOutput output) {
		SpringApplication application = new SpringApplication(EmptyConfiguration.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> application
			.run("--otel.export.batch.export-timeout=9223372036854775807d", "--spring.main.banner-mode=off"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Property: otel.export.batch.export-timeout")
			.contains("a duration between 1ms and 1d")
			.doesNotContain("Update your application's configuration");
	}

	private FailureAnalysis analyze(String... properties) {
		return analyze(this.runner, properties);
	}

	private FailureAnalysis analyze(ApplicationContextRunner runner, String... properties) {
		FailureAnalysis[] analysis = new FailureAnalysis[1];
		runner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			analysis[0] = analysis(context.getStartupFailure());
		});
		assertThat(analysis[0]).isNotNull();
		return analysis[0];
	}

	/**
	 * Analyze a failure as Spring Boot does at startup: the first analysis of the
	 * registered analyzers, in their order.
	 */
	private static FailureAnalysis analysis(Throwable failure) {
		List<FailureAnalyzer> analyzers = SpringFactoriesLoader
			.forDefaultResourceLocation(OtelExportConfigurationFailureAnalyzerTests.class.getClassLoader())
			// analyzers that need the bean factory cannot apply here
			.load(FailureAnalyzer.class, ArgumentResolver.none(), FailureHandler.handleMessage((message, ex) -> {
			}));
		for (FailureAnalyzer analyzer : analyzers) {
			FailureAnalysis analysis = analyzer.analyze(failure);
			if (analysis != null) {
				return analysis;
			}
		}
		return null;
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(OtelExportAutoConfiguration.class)
	static class EmptyConfiguration {

	}

	/**
	 * One bad setting, and what its failure analysis must say.
	 */
	record BadSetting(String name, String property, String value, String reason, String fix, String[] settings) {

		/**
		 * Require the start of the reason too.
		 */
		BadSetting because(String reason) {
			return new BadSetting(this.name, this.property, this.value, reason, this.fix, this.settings);
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

	private static String messages(Throwable failure) {
		StringBuilder messages = new StringBuilder();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			messages.append(cause.getMessage()).append('\n');
		}
		return messages.toString();
	}

	private static void assertDescription(FailureAnalysis analysis, String property, String value) {
		assertThat(analysis.getDescription()).contains("Property: " + property).contains("Value: '" + value + "'");
	}

}
