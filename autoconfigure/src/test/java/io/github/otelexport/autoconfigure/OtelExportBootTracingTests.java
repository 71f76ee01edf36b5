package io.github.otelexport.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.otelexport.export.DropReason;
import io.github.otelexport.export.ExportSnapshot;
import io.github.otelexport.export.ExportStatistics;
import io.github.otelexport.testkit.OtlpReceiver;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.exporter.SpanExportingPredicate;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

/**
 * Tests of otel-export together with Spring Boot's OpenTelemetry tracing
 * auto-configuration: spans from Micrometer Observation and from the OpenTelemetry API
 * take our pipeline exactly once, even when Boot's own OTLP exporter is configured.
 *
 * @author otel-export authors
 */
@ExtendWith(OutputCaptureExtension.class)
class OtelExportBootTracingTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
				MicrometerTracingAutoConfiguration.class, OpenTelemetrySdkAutoConfiguration.class,
				OpenTelemetryTracingAutoConfiguration.class, OtlpTracingAutoConfiguration.class,
				OtelExportAutoConfiguration.class, OtelExportSdkAutoConfiguration.class))
		.withPropertyValues("management.tracing.sampling.probability=1.0", "otel.export.batch.schedule-delay=50ms",
				"otel.export.retry.enabled=false");

	private OtlpReceiver receiver;

	@BeforeEach
	void startReceiver() {
		this.receiver = OtlpReceiver.start();
	}

	@AfterEach
	void closeReceiver() {
		this.receiver.close();
	}

	@Test
	void bootsSpanProcessorBacksOff() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(BatchSpanProcessor.class)
			.hasBean("otelExportSpanProcessor")
			.doesNotHaveBean("otelSpanProcessor")
			.doesNotHaveBean("otelExportSdkTracerProvider")
			.hasBean("otelSdkTracerProvider"));
	}

	@Test
	void bootsBatchSettingsAreNamedAsUnusedWithTheirReplacement(CapturedOutput output) {
		this.runner
			.withPropertyValues("management.opentelemetry.tracing.export.max-queue-size=4096",
					"management.opentelemetry.tracing.export.include-unsampled=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).containsOnlyOnce("these settings are not used")
					.contains("management.opentelemetry.tracing.export.max-queue-size=4096 "
							+ "(use otel.export.batch.max-queue-size)")
					.contains("management.opentelemetry.tracing.export.include-unsampled=true "
							+ "(otel-export exports sampled spans only)")
					.doesNotContain("management.opentelemetry.tracing.export.schedule-delay=");
			});
	}

	@Test
	void noBatchNoticeWithoutBootsBatchSettings(CapturedOutput output) {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output).doesNotContain("these settings are not used");
		});
	}

	@Test
	void disabledLeavesBootsSpanProcessorInCharge() {
		this.runner.withPropertyValues("otel.export.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(BatchSpanProcessor.class)
				.hasBean("otelSpanProcessor")
				.doesNotHaveBean(OtelExportDestinations.class)
				.doesNotHaveBean("otelExportSdkTracerProvider"));
	}

	@Test
	void tracingExportDisabledLeavesOurPipelineOut() {
		this.runner.withPropertyValues("management.tracing.export.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(OtelExportDestinations.class)
				.doesNotHaveBean("otelExportSpanProcessor"));
	}

	@Test
	void observationSpanReachesTheReceiverExactlyOnceWhenBootsExporterIsAlsoConfigured(CapturedOutput output) {
		this.runner
			.withPropertyValues("otel.export.endpoint=" + this.receiver.grpcEndpoint(),
					"management.opentelemetry.tracing.export.otlp.endpoint=" + this.receiver.httpEndpoint())
			.run((context) -> {
				assertThat(context).hasSingleBean(OtlpHttpSpanExporter.class);
				Observation.createNotStarted("observed", context.getBean(ObservationRegistry.class)).observe(() -> {
				});
				flush(context);
				await().atMost(WAIT).until(() -> this.receiver.spanCount() == 1);
				context.getBean(OtlpHttpSpanExporter.class).flush().join(5, TimeUnit.SECONDS);
				await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> this.receiver.spanCount() == 1);
				assertThat(this.receiver.spans()).singleElement()
					.satisfies((span) -> assertThat(span.getName()).isEqualTo("observed"));
				assertThat(output).containsOnlyOnce("WARN")
					.contains("Both otel.export.* and Spring Boot's "
							+ "management.opentelemetry.tracing.export.otlp.endpoint=" + this.receiver.httpEndpoint())
					.contains("Remove management.opentelemetry.tracing.export.otlp.*");
			});
	}

	@Test
	void openTelemetryApiSpansTakeTheSamePath() {
		this.runner.withPropertyValues("otel.export.endpoint=" + this.receiver.grpcEndpoint()).run((context) -> {
			context.getBean(OpenTelemetry.class).getTracer("test").spanBuilder("api-span").startSpan().end();
			flush(context);
			await().atMost(WAIT).until(() -> this.receiver.spanCount() == 1);
			assertThat(this.receiver.spans().get(0).getName()).isEqualTo("api-span");
		});
	}

	@Test
	void bootsExporterFromEnvironmentVariablesIsMentionedAtInfo(CapturedOutput output) {
		this.runner.withPropertyValues("otel.export.endpoint=" + this.receiver.grpcEndpoint())
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource(BootOtlpExporterNotice.ENVIRONMENT_VARIABLES_SOURCE,
						Map.of(BootOtlpExporterNotice.BOOT_ENDPOINT_PROPERTY, this.receiver.httpEndpoint()))))
			.run((context) -> {
				assertThat(context).hasSingleBean(OtlpHttpSpanExporter.class);
				assertThat(output).contains("INFO")
					.contains("Spring Boot mapped the OTEL_EXPORTER_OTLP_* environment variables")
					.doesNotContain("WARN");
			});
	}

	@Test
	void spanFiltersStillApply() {
		this.runner.withPropertyValues("otel.export.endpoint=" + this.receiver.grpcEndpoint())
			.withBean(SpanExportingPredicate.class, () -> (span) -> !span.getName().equals("ignored"))
			.run((context) -> {
				ObservationRegistry registry = context.getBean(ObservationRegistry.class);
				Observation.createNotStarted("ignored", registry).observe(() -> {
				});
				Observation.createNotStarted("kept", registry).observe(() -> {
				});
				flush(context);
				await().atMost(WAIT).until(() -> this.receiver.spanCount() == 1);
				assertThat(this.receiver.spans().get(0).getName()).isEqualTo("kept");
				// Both spans were handed to the pipeline; the filtered one is accounted
				// for, so the identity holds
				ExportSnapshot snapshot = context.getBean(ExportStatistics.class).snapshot();
				assertThat(snapshot.spansReceived()).isEqualTo(2);
				assertThat(snapshot.spansExported()).isEqualTo(1);
				assertThat(snapshot.droppedByReason()).containsExactly(entry(DropReason.FILTERED, 1L));
			});
	}

	private static void flush(AssertableApplicationContext context) {
		context.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS);
	}

}
