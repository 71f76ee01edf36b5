package io.github.otelexport.autoconfigure;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.ClassUtils;

/**
 * Adds {@code DEGRADED} to the health endpoint's status order, as a default that any
 * configured {@code management.endpoint.health.status.order} replaces.
 * <p>
 * The health endpoint's aggregator ignores statuses that are missing from the order, so
 * without this an {@code otelExport} component reporting {@code DEGRADED} would not show
 * in the overall status. The value is Boot's default order with {@code DEGRADED} between
 * {@code OUT_OF_SERVICE} and {@code UP}; it is added only when no order is configured and
 * the indicator can be active (span export on, the {@code otelexport} health indicator
 * not switched off), to the lowest-precedence {@code defaultProperties} source. HTTP
 * status mapping is left alone: unmapped statuses, {@code DEGRADED} included, answer 200.
 * <p>
 * It runs before conditions are evaluated, so it reads the same switches as
 * {@link OnEnabledOtelExportCondition} and Boot's
 * {@code @ConditionalOnEnabledHealthIndicator}.
 *
 * @author otel-export authors
 */
final class HealthStatusOrderEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String STATUS_ORDER = "management.endpoint.health.status.order";

	static final String DEFAULT_ORDER = "DOWN,OUT_OF_SERVICE,DEGRADED,UP,UNKNOWN";

	static final String INDICATOR_ENABLED = "management.health.otelexport.enabled";

	static final String INDICATOR_DEFAULTS_ENABLED = "management.health.defaults.enabled";

	private static final String HEALTH_STATUS_CLASS = "org.springframework.boot.health.contributor.Status";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!ClassUtils.isPresent(HEALTH_STATUS_CLASS, application.getClassLoader())
				|| !indicatorCanBeActive(environment)
				|| Binder.get(environment).bind(STATUS_ORDER, Bindable.listOf(String.class)).isBound()) {
			return;
		}
		DefaultPropertiesPropertySource.addOrMerge(Map.of(STATUS_ORDER, DEFAULT_ORDER),
				environment.getPropertySources());
	}

	private static boolean indicatorCanBeActive(ConfigurableEnvironment environment) {
		if (OnEnabledOtelExportCondition.disabledBecause(environment) != null) {
			return false;
		}
		// As @ConditionalOnEnabledHealthIndicator: the indicator's own switch wins over
		// the defaults switch
		Boolean enabled = environment.getProperty(INDICATOR_ENABLED, Boolean.class);
		if (enabled != null) {
			return enabled;
		}
		return environment.getProperty(INDICATOR_DEFAULTS_ENABLED, Boolean.class, true);
	}

}
