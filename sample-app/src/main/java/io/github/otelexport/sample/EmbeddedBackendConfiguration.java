package io.github.otelexport.sample;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Hands the {@link EmbeddedBackend} started by
 * {@link EmbeddedBackendEnvironmentPostProcessor} to the context, which closes it on
 * shutdown.
 *
 * @author otel-export authors
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(EmbeddedBackend.ID_PROPERTY)
class EmbeddedBackendConfiguration {

	@Bean(destroyMethod = "close")
	EmbeddedBackend embeddedBackend(Environment environment) {
		return EmbeddedBackend.take(environment.getRequiredProperty(EmbeddedBackend.ID_PROPERTY));
	}

}
