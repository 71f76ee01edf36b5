package io.github.otelexport.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.otelexport.actuate.OtelExportEndpoint;
import io.github.otelexport.actuate.OtelExportHealthIndicator;
import io.github.otelexport.actuate.OtelExportMeterBinder;
import io.github.otelexport.export.BatchSettings;
import io.github.otelexport.export.BatchingSpanProcessor;
import io.github.otelexport.export.ExportPipeline;
import io.github.otelexport.export.ExporterSettings;
import io.github.otelexport.export.OtlpTransports;
import io.github.otelexport.export.ResilientSpanExporter;
import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.export.transport.TransportSettings;
import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportSnapshot;
import io.github.otelexport.stats.ExportStatistics;
import io.github.otelexport.stats.ExporterDescription;
import io.github.otelexport.testkit.OtlpReceiver;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport.ConditionAndOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link OtelExportAutoConfiguration} and
 * {@link OtelExportSdkAutoConfiguration}: which beans exist, how they back off, and that
 * spans reach a real receiver on every classpath shape.
 *
 * @author otel-export authors
 */
class OtelExportAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(OtelExportAutoConfiguration.class, OtelExportSdkAutoConfiguration.class))
		.withPropertyValues("otel.export.batch.schedule-delay=50ms", "otel.export.retry.enabled=false");

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
	void defaultBeans() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(OtelExportDestinations.class)
				.hasSingleBean(ResilientSpanExporter.class)
				.hasSingleBean(ExportStatistics.class)
				.hasSingleBean(BatchingSpanProcessor.class)
				.hasBean("otelExportSpanProcessor")
				.doesNotHaveBean(BatchSpanProcessor.class)
				.hasSingleBean(SdkTracerProvider.class)
				.hasSingleBean(OpenTelemetrySdk.class)
				.doesNotHaveBean(OtlpGrpcSpanExporter.class)
				.doesNotHaveBean(OtlpHttpSpanExporter.class);
			assertThat(context.getBean(ExportStatistics.class))
				.isSameAs(context.getBean(ResilientSpanExporter.class).statistics());
			assertThat(context.getBean(ExportStatistics.class).snapshot().exporters()).singleElement()
				.satisfies((exporter) -> assertThat(exporter.endpoint()).isEqualTo("http://localhost:4317"));
		});
	}

	@Test
	void fallbackIsPartOfTheResilientExporter() {
		this.runner.withPropertyValues("otel.export.fallback.endpoint=http://backup:4317")
			.run((context) -> assertThat(context.getBean(ExportStatistics.class).snapshot().exporters())
				.extracting("role")
				.containsExactly(DestinationRole.PRIMARY, DestinationRole.FALLBACK));
	}

	@Test
	void disabledCreatesNoBeansOfOurs() {
		this.runner.withPropertyValues("otel.export.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(OtelExportProperties.class)
				.doesNotHaveBean(OtelExportDestinations.class)
				.doesNotHaveBean(SpanExporter.class)
				.doesNotHaveBean(BatchingSpanProcessor.class)
				.doesNotHaveBean(SdkTracerProvider.class)
				.doesNotHaveBean(OpenTelemetry.class));
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "management.tracing.export.enabled=false", "management.opentelemetry.enabled=false",
			"OTEL_SDK_DISABLED=true" })
	void followsSpringBootsExportAndOpenTelemetrySwitches(String property) {
		this.runner.withPropertyValues(property)
			.run((context) -> assertThat(context).doesNotHaveBean(OtelExportDestinations.class)
				.doesNotHaveBean(BatchingSpanProcessor.class)
				.doesNotHaveBean(SdkTracerProvider.class));
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "OTEL_SDK_DISABLED=false", "OTEL_SDK_DISABLED=maybe",
			"management.opentelemetry.enabled=true,OTEL_SDK_DISABLED=true" })
	void otelSdkDisabledTakesOnlyTrueAndYieldsToBootsProperty(String properties) {
		this.runner.withPropertyValues(properties.split(","))
			.run((context) -> assertThat(context).hasSingleBean(OtelExportDestinations.class));
	}

	@Test
	void ownSwitchWinsOverTracingExportSwitch() {
		this.runner.withPropertyValues("management.tracing.export.enabled=false", "otel.export.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(OtelExportDestinations.class)
				.hasSingleBean(BatchingSpanProcessor.class));
	}

	@Test
	void openTelemetrySwitchedOffWinsOverOwnSwitch() {
		this.runner.withPropertyValues("management.opentelemetry.enabled=false", "otel.export.enabled=true")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(OtelExportDestinations.class);
				assertThat(ConditionEvaluationReport.get(context.getBeanFactory())
					.getConditionAndOutcomesBySource()
					.get(OtelExportAutoConfiguration.class.getName())).extracting(ConditionAndOutcome::getOutcome)
					.extracting(ConditionOutcome::getMessage)
					.contains("@ConditionalOnEnabledOtelExport management.opentelemetry.enabled is false");
			});
	}

	@Test
	void backsOffFromUserExporterAndProcessor() {
		ResilientSpanExporter exporter = ownExporter();
		BatchSpanProcessor processor = BatchSpanProcessor.builder(InMemorySpanExporter.create()).build();
		this.runner.withBean(ResilientSpanExporter.class, () -> exporter)
			.withBean(BatchSpanProcessor.class, () -> processor)
			.run((context) -> {
				assertThat(context).getBean(ResilientSpanExporter.class).isSameAs(exporter);
				assertThat(context).getBean(BatchSpanProcessor.class).isSameAs(processor);
				assertThat(context).getBean(ExportStatistics.class).isSameAs(exporter.statistics());
				assertThat(context).doesNotHaveBean(BatchingSpanProcessor.class);
			});
	}

	@Test
	void userBatchSpanProcessorGetsTheTracerProviderWithoutBootTracing() {
		this.runner.withUserConfiguration(OwnBatchSpanProcessorConfiguration.class)
			.withPropertyValues("otel.export.endpoint=" + this.receiver.grpcEndpoint())
			.run((context) -> {
				assertThat(context).doesNotHaveBean(BatchingSpanProcessor.class)
					.hasSingleBean(BatchSpanProcessor.class)
					.hasSingleBean(SdkTracerProvider.class);
				context.getBean(OpenTelemetry.class).getTracer("test").spanBuilder("checkout").startSpan().end();
				await().atMost(Duration.ofSeconds(10)).until(() -> this.receiver.spanCount() == 1);
				// the exporter counts what reaches it, as no processor of ours does
				assertThat(context.getBean(ExportStatistics.class).snapshot().spansReceived()).isOne();
			});
	}

	@Test
	void backsOffFromUserBatchingProcessor() {
		ResilientSpanExporter exporter = ownExporter();
		BatchingSpanProcessor processor = ExportPipeline.create(exporter,
				new BatchSettings(512, 2048, Duration.ofSeconds(5), Duration.ofSeconds(30)));
		try {
			this.runner.withBean(ResilientSpanExporter.class, () -> exporter)
				.withBean(BatchingSpanProcessor.class, () -> processor)
				.run((context) -> assertThat(context).getBean(BatchingSpanProcessor.class).isSameAs(processor));
		}
		finally {
			processor.shutdown().join(10, TimeUnit.SECONDS);
		}
	}

	private static ResilientSpanExporter ownExporter() {
		return ResilientSpanExporter
			.builder(
					OtlpTransports
						.create(ExporterSettings.of(DestinationRole.PRIMARY, OtlpProtocol.GRPC, "http://own:4317")),
					ExporterDescription.primary("http://own:4317", OtlpProtocol.GRPC))
			.build();
	}

	@Test
	void backsOffFromUserSdk() {
		SdkTracerProvider tracerProvider = SdkTracerProvider.builder().build();
		OpenTelemetry openTelemetry = OpenTelemetry.noop();
		this.runner.withBean(SdkTracerProvider.class, () -> tracerProvider)
			.withBean(OpenTelemetry.class, () -> openTelemetry)
			.run((context) -> {
				assertThat(context).getBean(SdkTracerProvider.class).isSameAs(tracerProvider);
				assertThat(context).getBean(OpenTelemetry.class).isSameAs(openTelemetry);
				assertThat(context).hasSingleBean(BatchingSpanProcessor.class);
			});
	}

	/**
	 * Spring Boot's OpenTelemetry SDK auto-configuration is there, its tracing modules
	 * are not (so their auto-configurations are not listed either): our own tracer
	 * provider is made and the health, endpoint and metrics auto-configurations still
	 * work.
	 */
	@Test
	void exportsThroughAPlainSdkWithoutBootTracing() {
		new ApplicationContextRunner().withUserConfiguration(WithoutBootTracing.class)
			.withPropertyValues("otel.export.batch.schedule-delay=50ms", "otel.export.retry.enabled=false",
					"otel.export.endpoint=" + this.receiver.grpcEndpoint(),
					"management.endpoints.web.exposure.include=otelexport")
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.micrometer.tracing"))
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasSingleBean(ResilientSpanExporter.class)
					.hasBean("otelExportSpanProcessor")
					.hasBean("otelExportSdkTracerProvider")
					.hasSingleBean(OtelExportHealthIndicator.class)
					.hasSingleBean(OtelExportEndpoint.class)
					.hasSingleBean(OtelExportMeterBinder.class)
					.doesNotHaveBean("otelSdkTracerProvider")
					.doesNotHaveBean("micrometerOtelTracer");
				exportOneSpan(context);
				await().atMost(Duration.ofSeconds(10)).until(() -> this.receiver.spanCount() == 1);
			});
	}

	@Test
	void exportsWithoutMicrometer() {
		this.runner.withPropertyValues("otel.export.endpoint=" + this.receiver.grpcEndpoint())
			.withClassLoader(new FilteredClassLoader("io.micrometer", "org.springframework.boot.micrometer"))
			.run((context) -> {
				assertThat(context).hasSingleBean(BatchingSpanProcessor.class);
				exportOneSpan(context);
				await().atMost(Duration.ofSeconds(10)).until(() -> this.receiver.spanCount() == 1);
			});
	}

	/**
	 * Spring Boot's tracing and metrics are there, the Actuator and Boot's health module
	 * are not: the pipeline and the meters work, the health indicator and the endpoint
	 * back off.
	 */
	@Test
	void exportsWithoutActuator() {
		new ApplicationContextRunner().withUserConfiguration(WithoutActuator.class)
			.withPropertyValues("otel.export.batch.schedule-delay=50ms", "otel.export.retry.enabled=false",
					"otel.export.endpoint=" + this.receiver.grpcEndpoint(),
					"management.tracing.sampling.probability=1.0",
					"management.endpoints.web.exposure.include=otelexport")
			.withClassLoader(
					new FilteredClassLoader("org.springframework.boot.actuate", "org.springframework.boot.health"))
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasSingleBean(ResilientSpanExporter.class)
					.hasBean("otelExportSpanProcessor")
					.hasBean("otelSdkTracerProvider")
					.hasBean("micrometerOtelTracer")
					.hasSingleBean(OtelExportMeterBinder.class)
					.doesNotHaveBean(OtelExportHealthIndicator.class)
					.doesNotHaveBean(OtelExportEndpoint.class);
				exportOneSpan(context);
				await().atMost(Duration.ofSeconds(10)).until(() -> this.receiver.spanCount() == 1);
			});
	}

	@Test
	void plainSdkDefersToBootsOpenTelemetrySdk() {
		this.runner.withConfiguration(AutoConfigurations.of(OpenTelemetrySdkAutoConfiguration.class))
			.withPropertyValues("otel.export.endpoint=" + this.receiver.grpcEndpoint())
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.micrometer.tracing"))
			.run((context) -> {
				assertThat(context).hasSingleBean(OpenTelemetry.class).doesNotHaveBean("otelExportOpenTelemetrySdk");
				exportOneSpan(context);
				await().atMost(Duration.ofSeconds(10)).until(() -> this.receiver.spanCount() == 1);
			});
	}

	@Test
	void otherSpanExporterBeansStillReceiveSpans() {
		InMemorySpanExporter other = InMemorySpanExporter.create();
		this.runner.withPropertyValues("otel.export.endpoint=" + this.receiver.grpcEndpoint())
			.withBean("otherExporter", SpanExporter.class, () -> other)
			.run((context) -> {
				exportOneSpan(context);
				await().atMost(Duration.ofSeconds(10)).until(() -> this.receiver.spanCount() == 1);
				await().atMost(Duration.ofSeconds(10)).until(() -> other.getFinishedSpanItems().size() == 1);
			});
	}

	@Test
	void customizersAreAppliedInOrder() {
		List<String> calls = new ArrayList<>();
		this.runner
			.withPropertyValues("otel.export.protocol=http/protobuf",
					"otel.export.endpoint=" + this.receiver.httpEndpoint())
			.withBean("second", OtelExportTransportCustomizer.class, () -> new OrderedCustomizer(calls, 2))
			.withBean("first", OtelExportTransportCustomizer.class, () -> new OrderedCustomizer(calls, 1))
			.run((context) -> {
				// once, for what is sent and what is masked alike
				assertThat(calls).containsExactly("primary-1", "primary-2");
				exportOneSpan(context);
				await().atMost(Duration.ofSeconds(10)).until(() -> this.receiver.spanCount() == 1);
				assertThat(this.receiver.requests().get(0).header("x-customized")).isEqualTo("2");
			});
	}

	@Test
	void byDefaultBatchesAreBufferedAndSentBySenders() {
		// held far longer than the test: only a sender that does not wait for the answer
		// lets the batch processor go on
		this.receiver.delayResponses(Duration.ofMinutes(1));
		this.runner.withPropertyValues("otel.export.endpoint=" + this.receiver.grpcEndpoint(),
				// the shutdown gives up on the held requests after this
				"otel.export.batch.export-timeout=1s")
			.run((context) -> {
				assertThat(context.getBean(OtelExportSettings.class).sending())
					.isEqualTo(new OtelExportSettings.Sending(64 * 1024 * 1024, 4, null, 1024L * 1024 * 1024));
				SdkTracerProvider tracerProvider = context.getBean(SdkTracerProvider.class);
				Tracer tracer = context.getBean(OpenTelemetry.class).getTracer("test");
				tracer.spanBuilder("first").startSpan().end();
				assertThat(tracerProvider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
				await().atMost(Duration.ofSeconds(10)).until(() -> this.receiver.requestCount() == 1);
				// the receiver holds the first request, and the next batch goes out
				// beside it
				tracer.spanBuilder("second").startSpan().end();
				assertThat(tracerProvider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
				await().atMost(Duration.ofSeconds(10)).until(() -> this.receiver.requestCount() == 2);
				ExportSnapshot snapshot = context.getBean(ExportStatistics.class).snapshot();
				assertThat(snapshot.spansReceived()).isEqualTo(2);
				assertThat(snapshot.spansExported()).isZero();
				assertThat(snapshot.spansDropped()).isZero();
				assertThat(snapshot.spansInFlight()).isEqualTo(2);
			});
	}

	@Test
	void zeroBufferSizeSendsEachBatchOnTheBatchProcessorsThread() {
		this.receiver.delayResponses(Duration.ofMillis(300));
		this.runner
			.withPropertyValues("otel.export.endpoint=" + this.receiver.grpcEndpoint(),
					"otel.export.buffer.memory.max-size=0")
			.run((context) -> {
				assertThat(context.getBean(OtelExportSettings.class).sending().buffered()).isFalse();
				context.getBean(OpenTelemetry.class).getTracer("test").spanBuilder("span").startSpan().end();
				// the flush waits for the export call, which waits for the answer
				assertThat(context.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS).isSuccess())
					.isTrue();
				assertThat(context.getBean(ExportStatistics.class).snapshot().spansExported()).isEqualTo(1);
				assertThat(this.receiver.spanCount()).isEqualTo(1);
			});
	}

	@Test
	void fullQueueDropsAreCountedAndTheQueueIsVisible() {
		// a slow backend holds the batch processor's worker while spans pile up
		this.receiver.delayResponses(Duration.ofMillis(300));
		this.runner
			.withPropertyValues("otel.export.endpoint=" + this.receiver.grpcEndpoint(),
					"otel.export.batch.max-queue-size=4", "otel.export.batch.max-export-batch-size=4",
					// without the buffer: with it, the worker never waits for the backend
					"otel.export.buffer.memory.max-size=0")
			.run((context) -> {
				Tracer tracer = context.getBean(OpenTelemetry.class).getTracer("test");
				for (int i = 0; i < 50; i++) {
					tracer.spanBuilder("span-" + i).startSpan().end();
				}
				context.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS);
				ExportSnapshot snapshot = context.getBean(ExportStatistics.class).snapshot();
				assertThat(snapshot.queue().capacity()).isEqualTo(4);
				assertThat(snapshot.spansReceived()).isEqualTo(50);
				assertThat(snapshot.droppedByReason().get(DropReason.QUEUE_FULL)).isPositive();
				assertThat(snapshot.spansExported() + snapshot.spansDropped()).isEqualTo(50);
				assertThat(this.receiver.spanCount()).isEqualTo((int) snapshot.spansExported());
			});
	}

	static void exportOneSpan(AssertableApplicationContext context) {
		OpenTelemetry openTelemetry = context.getBean(OpenTelemetry.class);
		openTelemetry.getTracer("test").spanBuilder("test-span").startSpan().end();
		context.getBean(SdkTracerProvider.class).forceFlush();
	}

	/**
	 * What an application without Spring Boot's tracing modules imports. Imported by
	 * name, as auto-configurations are, so that annotations of filtered classes are
	 * skipped rather than loaded.
	 */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ OpenTelemetrySdkAutoConfiguration.class, ObservationAutoConfiguration.class,
			MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
			OtelExportAutoConfiguration.class, OtelExportSdkAutoConfiguration.class,
			OtelExportHealthAutoConfiguration.class, OtelExportEndpointAutoConfiguration.class,
			OtelExportMetricsAutoConfiguration.class })
	static class WithoutBootTracing {

	}

	/**
	 * What an application with Spring Boot's tracing and metrics but without the Actuator
	 * imports; the health and endpoint auto-configurations are in the list, as in our
	 * imports file, and must back off.
	 */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ ObservationAutoConfiguration.class, MicrometerTracingAutoConfiguration.class,
			OpenTelemetrySdkAutoConfiguration.class, OpenTelemetryTracingAutoConfiguration.class,
			MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
			OtelExportAutoConfiguration.class, OtelExportSdkAutoConfiguration.class,
			OtelExportHealthAutoConfiguration.class, OtelExportEndpointAutoConfiguration.class,
			OtelExportMetricsAutoConfiguration.class })
	static class WithoutActuator {

	}

	static final class OrderedCustomizer implements OtelExportTransportCustomizer, Ordered {

		private final List<String> calls;

		private final int order;

		OrderedCustomizer(List<String> calls, int order) {
			this.calls = calls;
			this.order = order;
		}

		@Override
		public TransportSettings customize(DestinationRole role, TransportSettings settings) {
			this.calls.add(role + "-" + this.order);
			return settings.withHeader("x-customized", String.valueOf(this.order));
		}

		@Override
		public int getOrder() {
			return this.order;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnBatchSpanProcessorConfiguration {

		@Bean
		BatchSpanProcessor ownBatchSpanProcessor(ResilientSpanExporter exporter) {
			return BatchSpanProcessor.builder(exporter).setScheduleDelay(Duration.ofMillis(50)).build();
		}

	}

}
