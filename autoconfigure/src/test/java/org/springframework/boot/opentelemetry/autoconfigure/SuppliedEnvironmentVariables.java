package org.springframework.boot.opentelemetry.autoconfigure;

import java.util.List;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.support.EnvironmentPostProcessorsFactory;

/**
 * Spring Boot's own environment post-processors, with its mapping of the {@code OTEL_*}
 * environment variables reading variables a test supplies instead of the process's, which
 * a test must not change. In Boot's package, as the mapping takes its variables through
 * package-private API only.
 *
 * @author otel-export authors
 */
public final class SuppliedEnvironmentVariables {

	private SuppliedEnvironmentVariables() {
	}

	/**
	 * Return the post-processors of {@code spring.factories}, Boot's {@code OTEL_*}
	 * mapping reading {@code variables}.
	 * @param classLoader the class loader that finds {@code spring.factories}
	 * @param variables the environment variables
	 * @return the factory
	 */
	public static EnvironmentPostProcessorsFactory postProcessors(ClassLoader classLoader,
			Map<String, String> variables) {
		EnvironmentPostProcessorsFactory springFactories = EnvironmentPostProcessorsFactory
			.fromSpringFactories(classLoader);
		return (logFactory, bootstrapContext) -> {
			List<EnvironmentPostProcessor> postProcessors = springFactories.getEnvironmentPostProcessors(logFactory,
					bootstrapContext);
			return postProcessors.stream()
				.map((postProcessor) -> (postProcessor instanceof OpenTelemetryEnvironmentVariableEnvironmentPostProcessor)
						? new OpenTelemetryEnvironmentVariableEnvironmentPostProcessor(logFactory,
								OpenTelemetryEnvironmentVariables.forMap(logFactory, variables))
						: postProcessor)
				.toList();
		};
	}

}
