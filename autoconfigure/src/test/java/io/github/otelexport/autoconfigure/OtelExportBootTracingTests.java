package io.github.otelexport.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.github.otelexport.export.BatchingSpanProcessor;
import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportSnapshot;
import io.github.otelexport.stats.ExportStatistics;
import io.github.otelexport.testkit.OtlpReceiver;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.exporter.SpanExportingPredicate;
import io.micrometer.tracing.exporter.SpanFilter;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.SuppliedEnvironmentVariables;
import org.springframework.boot.support.EnvironmentPostProcessorApplicationListener;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

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
	void bootsSpanProcessorIsReplaced() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(BatchingSpanProcessor.class)
			.hasBean("otelExportSpanProcessor")
			.doesNotHaveBean(BatchSpanProcessor.class)
			.doesNotHaveBean("otelSpanProcessor")
			.doesNotHaveBean("otelExportSdkTracerProvider")
			.hasBean("otelSdkTracerProvider"));
	}

	@Test
	void bootsSpanProcessorStaysWhenTheApplicationDefinesOne() {
		BatchSpanProcessor own = BatchSpanProcessor.builder(InMemorySpanExporter.create()).build();
		this.runner.withBean("ownSpanProcessor", BatchSpanProcessor.class, () -> own)
			.run((context) -> assertThat(context).getBean(BatchSpanProcessor.class).isSameAs(own));
		own.shutdown().join(10, TimeUnit.SECONDS);
	}

	/**
	 * One path for every span: Boot's batch processor is gone (no bean, no worker
	 * thread), ours exports each span once, Micrometer's span filters and predicates
	 * apply and what they leave out is counted, and the application's own exporter still
	 * receives the spans.
	 */
	@Test
	void everySpanTakesOnePathUnderBootsTracing() {
		Set<Thread> before = Thread.getAllStackTraces().keySet();
		InMemorySpanExporter own = InMemorySpanExporter.create();
		this.runner.withPropertyValues("otel.export.endpoint=" + this.receiver.grpcEndpoint())
			.withBean("ownExporter", SpanExporter.class, () -> own)
			.withBean(SpanExportingPredicate.class, () -> (span) -> !span.getName().startsWith("ignored"))
			.withBean(SpanFilter.class, () -> (span) -> span.setName("filtered-" + span.getName()))
			.run((context) -> {
				assertThat(context).doesNotHaveBean(BatchSpanProcessor.class)
					.hasSingleBean(BatchingSpanProcessor.class);
				assertThat(threadsStartedSince(before)).filteredOn((name) -> name.contains("BatchSpanProcessor"))
					.isEmpty();
				assertThat(threadsStartedSince(before)).filteredOn("otel-export-batcher"::equals).hasSize(1);
				ObservationRegistry registry = context.getBean(ObservationRegistry.class);
				for (int i = 0; i < 5; i++) {
					Observation.createNotStarted("kept-" + i, registry).observe(() -> {
					});
					Observation.createNotStarted("ignored-" + i, registry).observe(() -> {
					});
				}
				context.getBean(OpenTelemetry.class).getTracer("test").spanBuilder("api").startSpan().end();
				flush(context);
				await().atMost(WAIT).until(() -> this.receiver.spanCount() >= 6);
				await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> this.receiver.spanCount() == 6);
				List<String> expected = List.of("filtered-kept-0", "filtered-kept-1", "filtered-kept-2",
						"filtered-kept-3", "filtered-kept-4", "filtered-api");
				assertThat(this.receiver.spans()).extracting((span) -> span.getName())
					.containsExactlyInAnyOrderElementsOf(expected);
				assertThat(own.getFinishedSpanItems()).extracting(SpanData::getName)
					.containsExactlyInAnyOrderElementsOf(expected);
				ExportSnapshot snapshot = context.getBean(ExportStatistics.class).snapshot();
				assertThat(snapshot.spansReceived()).isEqualTo(11);
				assertThat(snapshot.spansExported()).isEqualTo(6);
				assertThat(snapshot.droppedByReason()).containsExactly(entry(DropReason.FILTERED, 5L));
			});
	}

	private static List<String> threadsStartedSince(Set<Thread> before) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.isAlive() && !before.contains(thread))
			.map(Thread::getName)
			.toList();
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
	void endpointFromTheEnvironmentVariableAloneIsMentionedAtInfoInARealApplication(CapturedOutput output) {
		// what "OTEL_EXPORTER_OTLP_ENDPOINT=... java -jar app.jar" does, with no
		// otel.export.* and no Boot OTLP keys
		try (ConfigurableApplicationContext context = run(
				Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", this.receiver.grpcEndpoint()))) {
			// Boot mapped the variable to its own exporter, which it created
			assertThat(context.getBean(OtlpHttpSpanExporter.class)).isNotNull();
			assertThat(context.getEnvironment().getPropertySources().iterator().next().getName())
				.as("Boot's attached source comes first, as in any application")
				.isEqualTo("configurationProperties");
			assertThat(context.getBean(OtelExportDestinations.class).primary().endpoint())
				.isEqualTo(this.receiver.grpcEndpoint());
			assertThat(output).contains("Spring Boot mapped the OTEL_EXPORTER_OTLP_* environment variables")
				.doesNotContain("Both otel.export.*")
				.doesNotContain("Remove management.opentelemetry.tracing.export.otlp.*");
			assertThat(output.getAll().lines()).noneMatch(
					(line) -> line.contains("WARN") && line.contains(BootOtlpExporterNotice.class.getSimpleName()));
		}
	}

	@Test
	void bootEndpointInApplicationPropertiesStillWarnsInARealApplication(CapturedOutput output, @TempDir Path config)
			throws IOException {
		String bootEndpoint = this.receiver.httpEndpoint();
		Files.writeString(config.resolve("application.properties"),
				BootOtlpExporterNotice.BOOT_ENDPOINT_PROPERTY + "=" + bootEndpoint + "\n");
		// the environment variable too: Boot's mapping of it takes precedence over the
		// file, yet the user did write Boot's property
		try (ConfigurableApplicationContext context = run(
				Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", this.receiver.grpcEndpoint()),
				"--spring.config.additional-location=" + config.toUri())) {
			assertThat(context.getBean(OtlpHttpSpanExporter.class)).isNotNull();
			assertThat(output)
				.containsOnlyOnce(
						"Both otel.export.* and Spring Boot's " + BootOtlpExporterNotice.BOOT_ENDPOINT_PROPERTY + "=")
				.contains("Remove management.opentelemetry.tracing.export.otlp.*")
				.doesNotContain("Spring Boot mapped the OTEL_EXPORTER_OTLP_* environment variables");
		}
	}

	/**
	 * Run an application as {@code java -jar} would, with the given environment variables
	 * in place of the process's: in the environment, and read by Boot's own mapping of
	 * the {@code OTEL_*} variables.
	 */
	private static ConfigurableApplicationContext run(Map<String, String> variables, String... args) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.copyOf(variables)));
		SpringApplication application = new SpringApplication(TracingApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setBannerMode(Banner.Mode.OFF);
		application.setEnvironment(environment);
		List<ApplicationListener<?>> listeners = new ArrayList<>(application.getListeners()
			.stream()
			.filter((listener) -> !(listener instanceof EnvironmentPostProcessorApplicationListener))
			.toList());
		listeners.add(EnvironmentPostProcessorApplicationListener
			.with(SuppliedEnvironmentVariables.postProcessors(application.getClassLoader(), variables)));
		application.setListeners(listeners);
		return application.run(args);
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

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ ObservationAutoConfiguration.class, MicrometerTracingAutoConfiguration.class,
			OpenTelemetrySdkAutoConfiguration.class, OpenTelemetryTracingAutoConfiguration.class,
			OtlpTracingAutoConfiguration.class, OtelExportAutoConfiguration.class,
			OtelExportSdkAutoConfiguration.class })
	static class TracingApplication {

	}

	private static void flush(AssertableApplicationContext context) {
		context.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS);
	}

}
