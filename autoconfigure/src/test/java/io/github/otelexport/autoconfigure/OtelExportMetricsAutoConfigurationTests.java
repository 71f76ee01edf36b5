package io.github.otelexport.autoconfigure;

import io.github.otelexport.actuate.OtelExportMeterBinder;
import io.github.otelexport.stats.ExportStatistics;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OtelExportMetricsAutoConfiguration}.
 *
 * @author otel-export authors
 */
class OtelExportMetricsAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(OtelExportAutoConfiguration.class, OtelExportMetricsAutoConfiguration.class,
						MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
		.withPropertyValues("otel.export.endpoint=http://127.0.0.1:4317");

	@Test
	void bindsTheMetersToTheRegistry() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(OtelExportMeterBinder.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("otel.export.spans")
				.tags("exporter", "primary", "outcome", "exported")
				.functionCounter()
				.count()).isZero();
			assertThat(registry.get("otel.export.circuit.state").gauge().value()).isZero();
		});
	}

	@Test
	void logRecordsHaveNoMetersWhileLogExportIsOff() {
		this.runner.withConfiguration(AutoConfigurations.of(OtelExportLogsAutoConfiguration.class)).run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.find("otel.export.spans").tag("signal", "logs").meters()).isEmpty();
			assertThat(registry.find("otel.export.spans").tag("signal", "traces").meters()).isNotEmpty();
		});
	}

	@Test
	void bindsTheMetersOfLogRecordsWhenLogExportIsOn() {
		this.runner.withConfiguration(AutoConfigurations.of(OtelExportLogsAutoConfiguration.class))
			.withPropertyValues("otel.export.logs.enabled=true")
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("otel.export.spans")
					.tags("signal", "logs", "exporter", "primary", "outcome", "exported")
					.functionCounter()
					.count()).isZero();
				assertThat(registry.get("otel.export.queue.capacity").tag("signal", "logs").gauge().value())
					.isEqualTo(2048);
				assertThat(registry.find("otel.export.circuit.state").meters()).hasSize(2);
			});
	}

	@Test
	void backsOffWithoutARegistry() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(OtelExportAutoConfiguration.class, OtelExportMetricsAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(OtelExportMeterBinder.class));
	}

	@Test
	void backsOffWithoutMicrometer() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(OtelExportAutoConfiguration.class, OtelExportMetricsAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).doesNotHaveBean("otelExportMeterBinder"));
	}

	@Test
	void backsOffToAUserBinder() {
		this.runner.withUserConfiguration(UserBinder.class)
			.run((context) -> assertThat(context).hasSingleBean(OtelExportMeterBinder.class).hasBean("userBinder"));
	}

	@Test
	void backsOffWhenExportIsDisabled() {
		this.runner.withPropertyValues("otel.export.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(OtelExportMeterBinder.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBinder {

		@Bean
		OtelExportMeterBinder userBinder(ExportStatistics statistics) {
			return new OtelExportMeterBinder(statistics);
		}

	}

}
