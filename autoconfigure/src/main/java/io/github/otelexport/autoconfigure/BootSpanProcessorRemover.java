package io.github.otelexport.autoconfigure;

import io.github.otelexport.export.BatchingSpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.core.type.MethodMetadata;

/**
 * Removes the definition of Spring Boot's own batch span processor
 * ({@code OpenTelemetryTracingAutoConfiguration.otelSpanProcessor}) when the context
 * defines a {@link BatchingSpanProcessor}. Boot's processor backs off only for a
 * {@link BatchSpanProcessor} bean, which ours is not; beside ours it would put every span
 * through a second queue and export it a second time, through our exporter (a
 * {@code SpanExporter} bean) among others. No other definition is touched: only the one
 * whose factory method Boot's tracing auto-configuration declares.
 *
 * @author otel-export authors
 */
final class BootSpanProcessorRemover implements BeanDefinitionRegistryPostProcessor {

	static final String BOOT_TRACING_AUTO_CONFIGURATION = "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration";

	@Override
	public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) throws BeansException {
		String[] names = registry.getBeanDefinitionNames();
		boolean ours = false;
		for (String name : names) {
			ours = ours || returns(registry.getBeanDefinition(name), BatchingSpanProcessor.class);
		}
		if (!ours) {
			return;
		}
		for (String name : names) {
			BeanDefinition definition = registry.getBeanDefinition(name);
			MethodMetadata factoryMethod = factoryMethod(definition);
			if (factoryMethod != null && BOOT_TRACING_AUTO_CONFIGURATION.equals(factoryMethod.getDeclaringClassName())
					&& returns(definition, BatchSpanProcessor.class)) {
				registry.removeBeanDefinition(name);
			}
		}
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) throws BeansException {
	}

	/**
	 * Whether the definition is of the given type, by its class or its factory method's
	 * declared return type, as known before any bean is created.
	 */
	private static boolean returns(BeanDefinition definition, Class<?> type) {
		MethodMetadata factoryMethod = factoryMethod(definition);
		String declared = (factoryMethod != null) ? factoryMethod.getReturnTypeName() : definition.getBeanClassName();
		return type.getName().equals(declared);
	}

	private static MethodMetadata factoryMethod(BeanDefinition definition) {
		return (definition instanceof AnnotatedBeanDefinition annotated) ? annotated.getFactoryMethodMetadata() : null;
	}

}
