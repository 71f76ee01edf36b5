package io.github.otelexport.actuate;

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
 * {@code OUT_OF_SERVICE} and {@code UP}; it is added only when no order is configured, to
 * the lowest-precedence {@code defaultProperties} source. HTTP status mapping is left
 * alone: unmapped statuses, {@code DEGRADED} included, answer 200.
 *
 * @author otel-export authors
 */
public final class HealthStatusOrderEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String STATUS_ORDER = "management.endpoint.health.status.order";

	static final String DEFAULT_ORDER = "DOWN,OUT_OF_SERVICE,DEGRADED,UP,UNKNOWN";

	private static final String HEALTH_STATUS_CLASS = "org.springframework.boot.health.contributor.Status";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!ClassUtils.isPresent(HEALTH_STATUS_CLASS, application.getClassLoader())
				|| Binder.get(environment).bind(STATUS_ORDER, Bindable.listOf(String.class)).isBound()) {
			return;
		}
		DefaultPropertiesPropertySource.addOrMerge(Map.of(STATUS_ORDER, DEFAULT_ORDER),
				environment.getPropertySources());
	}

}
