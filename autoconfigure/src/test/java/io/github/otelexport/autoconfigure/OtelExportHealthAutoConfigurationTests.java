package io.github.otelexport.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.github.otelexport.actuate.ExportStateEvaluator;
import io.github.otelexport.actuate.ExportStatus;
import io.github.otelexport.actuate.OtelExportEndpoint;
import io.github.otelexport.actuate.OtelExportHealthIndicator;
import io.github.otelexport.export.ExporterSettings;
import io.github.otelexport.export.OtlpTransports;
import io.github.otelexport.export.ResilientSpanExporter;
import io.github.otelexport.export.TestTime;
import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.stats.ExportStatistics;
import io.github.otelexport.stats.ExporterDescription;
import io.github.otelexport.testkit.OtlpReceiverExtension;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link OtelExportHealthAutoConfiguration}.
 *
 * @author otel-export authors
 */
class OtelExportHealthAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(OtelExportAutoConfiguration.class, OtelExportHealthAutoConfiguration.class))
		.withPropertyValues("otel.export.endpoint=http://127.0.0.1:4317");

	@RegisterExtension
	static final OtlpReceiverExtension receiver = new OtlpReceiverExtension();

	/**
	 * Faults of the receiver apply to both signals: only log records are sent here, so
	 * only they fail.
	 */
	@Test
	void namesLogRecordsWhenTheirExportFailsOverARealSocket() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(OtelExportAutoConfiguration.class, OtelExportLogsAutoConfiguration.class,
							OtelExportSdkAutoConfiguration.class, OtelExportHealthAutoConfiguration.class))
			.withPropertyValues("otel.export.logs.enabled=true", "otel.export.protocol=http/protobuf",
					"otel.export.endpoint=" + receiver.get().httpEndpoint(), "otel.export.batch.schedule-delay=50ms")
			.run((context) -> {
				OtelExportHealthIndicator indicator = context.getBean(OtelExportHealthIndicator.class);
				assertThat(indicator.health().getDetails()).containsEntry("failing", List.of());
				receiver.get().respondWithHttpStatus(401);
				context.getBean(OpenTelemetry.class)
					.getLogsBridge()
					.get("com.example.Orders")
					.logRecordBuilder()
					.setBody("order placed")
					.emit();
				await().atMost(Duration.ofSeconds(15))
					.untilAsserted(() -> assertThat(indicator.health().getStatus())
						.isEqualTo(OtelExportHealthIndicator.DEGRADED));
				Health health = indicator.health();
				assertThat(health.getDetails()).containsEntry("failing", List.of("logs"))
					.containsEntry("reason", "No export attempted yet");
				assertThat(health.getDetails().get("logs")).asInstanceOf(InstanceOfAssertFactories.MAP)
					.containsEntry("state", ExportStatus.DEGRADED)
					.hasEntrySatisfying("lastError",
							(lastError) -> assertThat(lastError.toString()).contains("category=UNAUTHENTICATED"));
			});
	}

	@Test
	void registersTheIndicatorAsOtelExport() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(OtelExportHealthIndicator.class).hasBean("otelExportHealthIndicator");
			assertThat(context.getBean(OtelExportHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
		});
	}

	@Test
	void neverReportsDownByDefault() {
		this.runner
			.run((context) -> assertThat(context.getBean(OtelExportHealthIndicator.class)).extracting("reportDown")
				.isEqualTo(false));
	}

	@Test
	void reportsDownWhenAskedTo() {
		this.runner.withPropertyValues("otel.export.health.report-down=true")
			.run((context) -> assertThat(context.getBean(OtelExportHealthIndicator.class)).extracting("reportDown")
				.isEqualTo(true));
	}

	@Test
	void sharesOneEvaluatorWithTheEndpoint() {
		this.runner.withConfiguration(AutoConfigurations.of(OtelExportEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=otelexport",
					"otel.export.health.grace-period=5m")
			.run((context) -> {
				assertThat(context).hasSingleBean(ExportStateEvaluator.class);
				ExportStateEvaluator evaluator = context.getBean(ExportStateEvaluator.class);
				assertThat(evaluator.gracePeriod()).isEqualTo(Duration.ofMinutes(5));
				assertThat(context.getBean(OtelExportHealthIndicator.class)).extracting("evaluator")
					.isSameAs(evaluator);
				assertThat(context.getBean(OtelExportEndpoint.class)).extracting("evaluator").isSameAs(evaluator);
			});
	}

	@Test
	void usesAUserEvaluatorAndItsClock() {
		this.runner.withUserConfiguration(UserEvaluator.class).run((context) -> {
			assertThat(context).hasSingleBean(ExportStateEvaluator.class);
			assertThat(context.getBean(OtelExportHealthIndicator.class)).extracting("evaluator")
				.isSameAs(context.getBean(ExportStateEvaluator.class))
				.extracting("clock")
				.isInstanceOf(TestTime.class);
		});
	}

	@Test
	void backsOffWhenDisabled() {
		this.runner.withPropertyValues("management.health.otelexport.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(OtelExportHealthIndicator.class));
	}

	@Test
	void backsOffWhenHealthDefaultsAreDisabled() {
		this.runner.withPropertyValues("management.health.defaults.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(OtelExportHealthIndicator.class));
	}

	@Test
	void backsOffWhenExportIsDisabled() {
		this.runner.withPropertyValues("otel.export.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(OtelExportHealthIndicator.class));
	}

	@Test
	void backsOffWhenOnlyTheApplicationDefinesTheStatistics() {
		this.runner.withPropertyValues("otel.export.enabled=false")
			.withUserConfiguration(UserStatistics.class)
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(ExportStatistics.class);
				assertThat(context).doesNotHaveBean(OtelExportHealthIndicator.class)
					.doesNotHaveBean(ExportStateEvaluator.class);
			});
	}

	@Test
	void backsOffWithoutSpringBootHealth() {
		this.runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).doesNotHaveBean("otelExportHealthIndicator"));
	}

	@Test
	void backsOffToAUserIndicatorOfTheSameName() {
		this.runner.withUserConfiguration(UserIndicator.class).run((context) -> {
			assertThat(context).doesNotHaveBean(OtelExportHealthIndicator.class);
			assertThat(context).hasBean("otelExportHealthIndicator");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserEvaluator {

		@Bean
		ExportStateEvaluator userEvaluator() {
			return new ExportStateEvaluator(Duration.ofSeconds(1), new TestTime());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserStatistics {

		@Bean
		ResilientSpanExporter userSpanExporter() {
			return ResilientSpanExporter
				.builder(
						OtlpTransports.create(ExporterSettings.of(DestinationRole.PRIMARY, OtlpProtocol.GRPC,
								"http://127.0.0.1:4317")),
						ExporterDescription.primary("http://127.0.0.1:4317", OtlpProtocol.GRPC))
				.build();
		}

		@Bean
		ExportStatistics userStatistics(ResilientSpanExporter userSpanExporter) {
			return userSpanExporter.statistics();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserIndicator {

		@Bean
		HealthIndicator otelExportHealthIndicator() {
			return () -> Health.up().build();
		}

	}

}
