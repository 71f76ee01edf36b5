package io.github.otelexport.autoconfigure;

import java.util.List;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.core.type.MethodMetadata;

/**
 * Removes the definitions of Spring Boot's own batch processors when the context defines
 * ours for the same signal:
 * {@code OpenTelemetryTracingAutoConfiguration.otelSpanProcessor} when a
 * {@code BatchingSpanProcessor} is defined, and
 * {@code OpenTelemetryLoggingAutoConfiguration.openTelemetryBatchLogRecordProcessor} when
 * an {@code OtelExportLogRecordProcessor} is. Boot's processors back off only for a bean
 * of the SDK's batch processor type, which ours are not; beside ours they would put
 * everything through a second queue and export it a second time (spans through our
 * exporter, a {@code SpanExporter} bean, among others). No other definition is touched:
 * only the one whose factory method Boot's auto-configuration declares.
 *
 * @author otel-export authors
 */
final class BootBatchProcessorRemover implements BeanDefinitionRegistryPostProcessor {

	static final String BOOT_TRACING_AUTO_CONFIGURATION = "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration";

	static final String BOOT_LOGGING_AUTO_CONFIGURATION = "org.springframework.boot.opentelemetry.autoconfigure.logging.OpenTelemetryLoggingAutoConfiguration";

	/**
	 * Ours, by the type its bean method declares, replaces the Boot processor of the
	 * given type declared by the given auto-configuration; names, so that no class of an
	 * absent signal is loaded.
	 */
	private record Replacement(String ours, String bootAutoConfiguration, String bootType) {
	}

	private static final List<Replacement> REPLACEMENTS = List.of(
			new Replacement("io.github.otelexport.export.BatchingSpanProcessor", BOOT_TRACING_AUTO_CONFIGURATION,
					"io.opentelemetry.sdk.trace.export.BatchSpanProcessor"),
			new Replacement("io.github.otelexport.autoconfigure.OtelExportLogRecordProcessor",
					BOOT_LOGGING_AUTO_CONFIGURATION, "io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor"));

	@Override
	public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) throws BeansException {
		for (Replacement replacement : REPLACEMENTS) {
			remove(registry, replacement);
		}
	}

	private static void remove(BeanDefinitionRegistry registry, Replacement replacement) {
		String[] names = registry.getBeanDefinitionNames();
		boolean ours = false;
		for (String name : names) {
			ours = ours || returns(registry.getBeanDefinition(name), replacement.ours());
		}
		if (!ours) {
			return;
		}
		for (String name : names) {
			BeanDefinition definition = registry.getBeanDefinition(name);
			if (declaredBy(definition, replacement.bootAutoConfiguration())
					&& returns(definition, replacement.bootType())) {
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
	private static boolean returns(BeanDefinition definition, String type) {
		MethodMetadata factoryMethod = factoryMethod(definition);
		String declared = (factoryMethod != null) ? factoryMethod.getReturnTypeName() : definition.getBeanClassName();
		return type.equals(declared);
	}

	/**
	 * Whether the definition is a bean method of the given auto-configuration.
	 */
	static boolean declaredBy(BeanDefinition definition, String autoConfiguration) {
		MethodMetadata factoryMethod = factoryMethod(definition);
		return factoryMethod != null && autoConfiguration.equals(factoryMethod.getDeclaringClassName());
	}

	private static MethodMetadata factoryMethod(BeanDefinition definition) {
		return (definition instanceof AnnotatedBeanDefinition annotated) ? annotated.getFactoryMethodMetadata() : null;
	}

}
