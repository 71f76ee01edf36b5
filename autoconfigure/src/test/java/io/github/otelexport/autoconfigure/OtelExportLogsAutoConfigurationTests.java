package io.github.otelexport.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.github.otelexport.export.ResilientSpanExporter;
import io.github.otelexport.export.transport.Signal;
import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportSnapshot;
import io.github.otelexport.testkit.OtlpReceiverExtension;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.logs.LoggerProvider;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.logging.OpenTelemetryLoggingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.logging.otlp.OtlpLoggingAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link OtelExportLogsAutoConfiguration}: log records through the export
 * engine, with and without Spring Boot's OpenTelemetry logging auto-configuration.
 *
 * @author otel-export authors
 */
@ExtendWith(OutputCaptureExtension.class)
class OtelExportLogsAutoConfigurationTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OpenTelemetrySdkAutoConfiguration.class,
				OpenTelemetryLoggingAutoConfiguration.class, OtlpLoggingAutoConfiguration.class,
				OtelExportAutoConfiguration.class, OtelExportLogsAutoConfiguration.class,
				OtelExportSdkAutoConfiguration.class))
		.withPropertyValues("otel.export.batch.schedule-delay=50ms", "otel.export.retry.enabled=false");

	@RegisterExtension
	static final OtlpReceiverExtension receiver = new OtlpReceiverExtension();

	@Test
	void logsGoThroughOtelExportByDefaultUnderBootsLogging() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(OtelExportLogRecordProcessor.class)
			.doesNotHaveBean(BatchLogRecordProcessor.class)
			.doesNotHaveBean("otelExportSdkLoggerProvider"));
	}

	@Test
	void logsAreLeftToBootWhenLogExportIsOff() {
		this.runner.withPropertyValues("otel.export.logs.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(OtelExportLogRecordProcessor.class)
				.doesNotHaveBean("otelExportSdkLoggerProvider")
				.hasSingleBean(BatchLogRecordProcessor.class)
				.hasBean("openTelemetryBatchLogRecordProcessor"));
	}

	/**
	 * Without OpenTelemetry logging nothing emits log records: by default there is no log
	 * pipeline, and no logger provider of ours.
	 */
	@Test
	void withoutALoggerProviderLogExportIsOffByDefault() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(OtelExportAutoConfiguration.class,
					OtelExportLogsAutoConfiguration.class, OtelExportSdkAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(OtelExportLogRecordProcessor.class)
				.doesNotHaveBean(SdkLoggerProvider.class));
	}

	@Test
	void anApplicationsOwnLoggerProviderTurnsLogExportOnByDefault() {
		SdkLoggerProvider own = SdkLoggerProvider.builder().build();
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(OtelExportAutoConfiguration.class,
					OtelExportLogsAutoConfiguration.class, OtelExportSdkAutoConfiguration.class))
			.withBean("ownLoggerProvider", SdkLoggerProvider.class, () -> own)
			.run((context) -> assertThat(context).hasSingleBean(OtelExportLogRecordProcessor.class)
				.getBean(SdkLoggerProvider.class)
				.isSameAs(own));
		own.shutdown().join(10, TimeUnit.SECONDS);
	}

	@Test
	void backsOffForTheApplicationsOwnBatchLogRecordProcessor() {
		BatchLogRecordProcessor own = BatchLogRecordProcessor.builder(InMemoryLogRecordExporter.create()).build();
		this.runner.withPropertyValues("otel.export.logs.enabled=true")
			.withBean("ownLogRecordProcessor", BatchLogRecordProcessor.class, () -> own)
			.run((context) -> assertThat(context).doesNotHaveBean(OtelExportLogRecordProcessor.class)
				.getBean(BatchLogRecordProcessor.class)
				.isSameAs(own));
		own.shutdown().join(10, TimeUnit.SECONDS);
	}

	/**
	 * One path for every log record: Boot's batch processor is gone (no bean, no worker
	 * thread), ours exports each record once, and the application's own exporter still
	 * receives it.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "grpc", "http/protobuf" })
	void everyLogRecordTakesOnePathUnderBootsLogging(String protocol) {
		Set<Thread> before = Thread.getAllStackTraces().keySet();
		InMemoryLogRecordExporter own = InMemoryLogRecordExporter.create();
		String endpoint = protocol.equals("grpc") ? receiver.get().grpcEndpoint() : receiver.get().httpEndpoint();
		this.runner
			.withPropertyValues("otel.export.logs.enabled=true", "otel.export.protocol=" + protocol,
					"otel.export.endpoint=" + endpoint)
			.withBean("ownExporter", LogRecordExporter.class, () -> own)
			.run((context) -> {
				assertThat(context).hasSingleBean(OtelExportLogRecordProcessor.class)
					.doesNotHaveBean(BatchLogRecordProcessor.class)
					.doesNotHaveBean("openTelemetryBatchLogRecordProcessor")
					.doesNotHaveBean("otelExportSdkLoggerProvider");
				assertThat(threadsStartedSince(before)).filteredOn((name) -> name.contains("BatchLogRecordProcessor"))
					.isEmpty();
				assertThat(threadsStartedSince(before)).filteredOn("otel-export-log-batcher"::equals).hasSize(1);
				emit(context.getBean(SdkLoggerProvider.class), "com.example.Orders", "order placed");
				assertReceivedOnce(context, "order placed");
				assertThat(own.getFinishedLogRecordItems()).extracting((record) -> record.getBodyValue().asString())
					.containsExactly("order placed");
			});
	}

	/**
	 * By default, too: Boot's exporter set to another destination is taken over, and
	 * startup says once where log records go now and how to keep Boot's exporter.
	 */
	@Test
	void bootsOtlpLogExporterIsLeftOutAndSaidSo(CapturedOutput output) {
		this.runner.withPropertyValues("otel.export.endpoint=" + receiver.get().grpcEndpoint(),
				BootOtlpExporterNotice.BOOT_LOGS_ENDPOINT_PROPERTY + "="
						+ receiver.get().httpEndpoint(io.github.otelexport.testkit.Signal.LOGS))
			.run((context) -> {
				assertThat(context).hasBean("otlpHttpLogRecordExporter");
				emit(context.getBean(SdkLoggerProvider.class), "com.example.Orders", "order placed");
				assertReceivedOnce(context, "order placed");
				assertThat(output)
					.containsOnlyOnce("Both otel.export.* and Spring Boot's "
							+ BootOtlpExporterNotice.BOOT_LOGS_ENDPOINT_PROPERTY + "=")
					.contains("through otel-export to " + receiver.get().grpcEndpoint() + ";")
					.contains("Remove management.opentelemetry.logging.export.otlp.*")
					.contains("otel.export.logs.enabled=false");
			});
	}

	@Test
	void bootsOtlpLogExporterToTheSameDestinationIsNoWarning(CapturedOutput output) {
		String logs = receiver.get().httpEndpoint(io.github.otelexport.testkit.Signal.LOGS);
		this.runner
			.withPropertyValues("otel.export.protocol=http/protobuf",
					"otel.export.endpoint=" + receiver.get().httpEndpoint(),
					BootOtlpExporterNotice.BOOT_LOGS_ENDPOINT_PROPERTY + "=" + logs)
			.run((context) -> {
				emit(context.getBean(SdkLoggerProvider.class), "com.example.Orders", "order placed");
				assertReceivedOnce(context, "order placed");
				assertThat(output).doesNotContain("Both otel.export.*")
					.containsOnlyOnce(BootOtlpExporterNotice.BOOT_LOGS_ENDPOINT_PROPERTY + "=" + logs
							+ " is where otel-export sends the log records too");
			});
	}

	/**
	 * otel-export's own log lines (about a failing export, say) would feed the failing
	 * export when an appender captures every logger: they are filtered and counted.
	 */
	@Test
	void ownLogRecordsAreNeverExported() {
		this.runner
			.withPropertyValues("otel.export.logs.enabled=true",
					"otel.export.endpoint=" + receiver.get().grpcEndpoint())
			.run((context) -> {
				SdkLoggerProvider loggerProvider = context.getBean(SdkLoggerProvider.class);
				emit(loggerProvider, "io.github.otelexport.export.FailureEpisodeLog", "Span export to ... failed");
				emit(loggerProvider, "com.example.Orders", "order placed");
				assertReceivedOnce(context, "order placed");
				ExportSnapshot logs = context.getBean(ResilientSpanExporter.class).statistics(Signal.LOGS).snapshot();
				assertThat(logs.spansReceived()).isEqualTo(2);
				assertThat(logs.droppedByReason()).containsEntry(DropReason.FILTERED, 1L);
				assertThat(logs.spansExported()).isEqualTo(1);
			});
	}

	@Test
	void withoutBootsLoggingTheStarterGivesTheSdkALoggerProvider() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(OtelExportAutoConfiguration.class,
					OtelExportLogsAutoConfiguration.class, OtelExportSdkAutoConfiguration.class))
			.withPropertyValues("otel.export.batch.schedule-delay=50ms", "otel.export.retry.enabled=false",
					"otel.export.logs.enabled=true", "otel.export.endpoint=" + receiver.get().grpcEndpoint())
			.run((context) -> {
				assertThat(context).hasBean("otelExportSdkLoggerProvider");
				emit(context.getBean(OpenTelemetry.class).getLogsBridge(), "com.example.Orders", "order placed");
				assertReceivedOnce(context, "order placed");
			});
	}

	@Test
	void anHttpEndpointWhoseLogsUrlCannotBeDerivedFailsTheStartup() {
		this.runner
			.withPropertyValues("otel.export.logs.enabled=true", "otel.export.protocol=http/protobuf",
					"otel.export.endpoint=http://localhost:4318/ingest/spans")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOfSatisfying(InvalidOtelExportConfigurationException.class, (ex) -> {
					assertThat(ex.getProperty()).isEqualTo("otel.export.endpoint");
					assertThat(ex.getValue()).isEqualTo("http://localhost:4318/ingest/spans");
					assertThat(ex.getReason()).contains("does not end in /v1/traces");
					assertThat(ex.getAction()).contains("Set otel.export.logs.endpoint", "or set otel.export.endpoint",
							"otel.export.logs.enabled=false");
				}));
	}

	/**
	 * A traces URL of another shape than /v1/traces: the logs endpoint says where log
	 * records go, which the receiver (serving /v1/logs only for them) proves.
	 */
	@Test
	void logRecordsGoToTheLogsEndpoint() {
		this.runner.withPropertyValues("otel.export.protocol=http/protobuf",
				"otel.export.endpoint=http://127.0.0.1:" + receiver.get().httpPort() + "/ingest/spans",
				"otel.export.logs.endpoint=" + receiver.get().httpEndpoint(io.github.otelexport.testkit.Signal.LOGS))
			.run((context) -> {
				emit(context.getBean(SdkLoggerProvider.class), "com.example.Orders", "order placed");
				assertReceivedOnce(context, "order placed");
			});
	}

	@Test
	void logRecordsGoToTheLogsEndpointOfTheEnvironment() {
		this.runner.withPropertyValues("otel.export.protocol=http/protobuf",
				"otel.export.endpoint=http://127.0.0.1:" + receiver.get().httpPort() + "/ingest/spans",
				"OTEL_EXPORTER_OTLP_LOGS_ENDPOINT="
						+ receiver.get().httpEndpoint(io.github.otelexport.testkit.Signal.LOGS))
			.run((context) -> {
				emit(context.getBean(SdkLoggerProvider.class), "com.example.Orders", "order placed");
				assertReceivedOnce(context, "order placed");
			});
	}

	@Test
	void aLogsEndpointWithGrpcFailsTheStartup() {
		this.runner
			.withPropertyValues("otel.export.endpoint=http://collector:4317",
					"otel.export.logs.endpoint=http://user:secret@collector:4318/v1/logs")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOfSatisfying(InvalidOtelExportConfigurationException.class, (ex) -> {
					assertThat(ex.getProperty()).isEqualTo("otel.export.logs.endpoint");
					assertThat(ex.getValue()).isEqualTo("http://collector:4318/v1/logs");
					assertThat(ex.getReason()).contains("with protocol grpc otel.export.endpoint serves log records");
					assertThat(ex.getAction()).contains("Remove otel.export.logs.endpoint",
							"otel.export.protocol=http/protobuf");
				}));
	}

	@Test
	void theLogsEndpointOfTheEnvironmentIsLeftUnusedWithGrpc(CapturedOutput output) {
		this.runner
			.withPropertyValues("otel.export.endpoint=" + receiver.get().grpcEndpoint(),
					"OTEL_EXPORTER_OTLP_LOGS_ENDPOINT=http://elsewhere:4318/v1/logs")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output)
					.contains("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT=http://elsewhere:4318/v1/logs is not used");
				emit(context.getBean(SdkLoggerProvider.class), "com.example.Orders", "order placed");
				assertReceivedOnce(context, "order placed");
			});
	}

	@Test
	void aLogsEndpointIsValidatedLikeTheEndpoint() {
		this.runner
			.withPropertyValues("otel.export.protocol=http/protobuf",
					"otel.export.endpoint=http://collector:4318/v1/traces",
					"otel.export.logs.endpoint=https://user:secret@collector:4318/v1/logs")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOfSatisfying(InvalidOtelExportConfigurationException.class, (ex) -> {
					assertThat(ex.getProperty()).isEqualTo("otel.export.logs.endpoint");
					assertThat(ex.getValue()).isEqualTo("https://collector:4318/v1/logs");
					assertThat(ex.getReason()).contains("uses https:// and otel.export.endpoint uses http://");
				}));
		this.runner
			.withPropertyValues("otel.export.protocol=http/protobuf", "otel.export.logs.endpoint=http://collector:0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOfSatisfying(InvalidOtelExportConfigurationException.class, (ex) -> {
					assertThat(ex.getProperty()).isEqualTo("otel.export.logs.endpoint");
					assertThat(ex.getReason()).contains("port 0 is out of range");
				}));
	}

	@Test
	void aBaseLogsEndpointGetsTheLogsPath(CapturedOutput output) {
		this.runner
			.withPropertyValues("otel.export.protocol=http/protobuf",
					"otel.export.endpoint=http://127.0.0.1:" + receiver.get().httpPort() + "/ingest/spans",
					"otel.export.logs.endpoint=http://127.0.0.1:" + receiver.get().httpPort())
			.run((context) -> {
				assertThat(context.getBean(OtelExportDestinations.class).logsEndpoint(DestinationRole.PRIMARY))
					.hasValue(receiver.get().httpEndpoint(io.github.otelexport.testkit.Signal.LOGS));
				assertThat(output).contains("(the OTLP/HTTP path of log records was appended)");
			});
	}

	@Test
	void aFallbackLogsEndpointNeedsAFallback() {
		this.runner
			.withPropertyValues("otel.export.protocol=http/protobuf",
					"otel.export.logs.fallback-endpoint=http://backup:4318/v1/logs")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOfSatisfying(InvalidOtelExportConfigurationException.class, (ex) -> {
					assertThat(ex.getProperty()).isEqualTo("otel.export.logs.fallback-endpoint");
					assertThat(ex.getAction()).contains("Set otel.export.fallback.endpoint");
				}));
	}

	@Test
	void theFallbackGetsItsOwnLogsEndpoint() {
		this.runner
			.withPropertyValues("otel.export.protocol=http/protobuf",
					"otel.export.endpoint=http://primary:4318/v1/traces",
					"otel.export.fallback.endpoint=http://backup:4318/ingest/spans",
					"otel.export.logs.fallback-endpoint=http://backup:4318/ingest/logs")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				OtelExportDestinations destinations = context.getBean(OtelExportDestinations.class);
				assertThat(destinations.logsEndpoint(DestinationRole.PRIMARY)).isEmpty();
				assertThat(destinations.logsEndpoint(DestinationRole.FALLBACK))
					.hasValue("http://backup:4318/ingest/logs");
			});
	}

	@Test
	void aGrpcEndpointNeedsNoLogsUrl() {
		this.runner
			.withPropertyValues("otel.export.logs.enabled=true",
					"otel.export.endpoint=" + receiver.get().grpcEndpoint() + "/ingest")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	private static void emit(LoggerProvider loggerProvider, String logger, String body) {
		loggerProvider.get(logger).logRecordBuilder().setBody(body).emit();
	}

	/**
	 * Wait for the record, then flush every processor of the logger provider (a second
	 * path would deliver its copy then) and check that it arrived once.
	 */
	private static void assertReceivedOnce(AssertableApplicationContext context, String body) {
		await().atMost(WAIT).until(() -> receiver.get().logRecordCount() >= 1);
		SdkLoggerProvider loggerProvider = context.getBeanProvider(SdkLoggerProvider.class).getIfAvailable();
		if (loggerProvider != null) {
			assertThat(loggerProvider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		}
		assertThat(receiver.get().logRecords()).extracting((LogRecord record) -> record.getBody().getStringValue())
			.containsExactly(body);
	}

	private static List<String> threadsStartedSince(Set<Thread> before) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> !before.contains(thread))
			.map(Thread::getName)
			.toList();
	}

}
