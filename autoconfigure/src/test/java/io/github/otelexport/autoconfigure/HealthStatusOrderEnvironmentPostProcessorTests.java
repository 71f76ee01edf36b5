package io.github.otelexport.autoconfigure;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.test.context.support.TestPropertySourceUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HealthStatusOrderEnvironmentPostProcessor}.
 *
 * @author otel-export authors
 */
class HealthStatusOrderEnvironmentPostProcessorTests {

	private final StandardEnvironment environment = new StandardEnvironment();

	private final HealthStatusOrderEnvironmentPostProcessor postProcessor = new HealthStatusOrderEnvironmentPostProcessor();

	@Test
	void addsDegradedToTheDefaultOrder() {
		this.postProcessor.postProcessEnvironment(this.environment, new SpringApplication());
		assertThat(this.environment.getProperty("management.endpoint.health.status.order"))
			.isEqualTo("DOWN,OUT_OF_SERVICE,DEGRADED,UP,UNKNOWN");
		assertThat(this.environment.getPropertySources()
			.stream()
			.reduce((first, second) -> second)
			.orElseThrow()
			.getName()).isEqualTo("defaultProperties");
	}

	@ParameterizedTest
	@ValueSource(strings = { "otel.export.enabled=false", "management.health.otelexport.enabled=false",
			"management.health.defaults.enabled=false", "management.opentelemetry.enabled=false",
			"management.tracing.export.enabled=false" })
	void leavesTheOrderAloneWhenTheIndicatorCannotBeActive(String property) {
		TestPropertySourceUtils.addInlinedPropertiesToEnvironment(this.environment, property);
		this.postProcessor.postProcessEnvironment(this.environment, new SpringApplication());
		assertThat(this.environment.getProperty("management.endpoint.health.status.order")).isNull();
		assertThat(this.environment.getPropertySources().contains("defaultProperties")).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "management.health.defaults.enabled=false,management.health.otelexport.enabled=true",
			"management.tracing.export.enabled=false,otel.export.enabled=true" })
	void addsDegradedWhenTheOwnSwitchWinsOverTheGeneralOne(String properties) {
		TestPropertySourceUtils.addInlinedPropertiesToEnvironment(this.environment, properties.split(","));
		this.postProcessor.postProcessEnvironment(this.environment, new SpringApplication());
		assertThat(this.environment.getProperty("management.endpoint.health.status.order"))
			.isEqualTo("DOWN,OUT_OF_SERVICE,DEGRADED,UP,UNKNOWN");
	}

	@Test
	void keepsAConfiguredOrder() {
		this.environment.getPropertySources()
			.addFirst(new MapPropertySource("application", Map.of("management.endpoint.health.status.order[0]", "DOWN",
					"management.endpoint.health.status.order[1]", "UP")));
		this.postProcessor.postProcessEnvironment(this.environment, new SpringApplication());
		assertThat(this.environment.getPropertySources().contains("defaultProperties")).isFalse();
	}

	@Test
	void keepsAnOrderSetAsDefaultProperty() {
		SpringApplication application = new SpringApplication();
		this.environment.getPropertySources()
			.addLast(new MapPropertySource("defaultProperties",
					Map.of("management.endpoint.health.status.order", "DOWN,UP")));
		this.postProcessor.postProcessEnvironment(this.environment, application);
		assertThat(this.environment.getProperty("management.endpoint.health.status.order")).isEqualTo("DOWN,UP");
	}

}
