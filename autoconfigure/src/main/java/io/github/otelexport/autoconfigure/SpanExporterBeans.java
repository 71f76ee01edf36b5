package io.github.otelexport.autoconfigure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import io.opentelemetry.sdk.trace.export.SpanExporter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.type.MethodMetadata;

/**
 * Sorts the application's {@link SpanExporter} beans: ours (already in the pipeline),
 * Spring Boot's own OTLP exporters (left out, so that no span is exported twice), and any
 * other exporter the application defines (kept, so that it still receives spans).
 *
 * @author otel-export authors
 */
final class SpanExporterBeans {

	private static final String BOOT_OTLP_PACKAGE = "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.";

	private final ConfigurableListableBeanFactory beanFactory;

	private final SpanExporter ours;

	SpanExporterBeans(ConfigurableListableBeanFactory beanFactory, SpanExporter ours) {
		this.beanFactory = beanFactory;
		this.ours = ours;
	}

	/**
	 * Return the span exporter beans other than ours and Boot's OTLP exporters, in order.
	 * @param spanExporters all span exporter beans
	 * @param onBootOtlpExporter called once when Boot's OTLP exporter was left out
	 * @return the other exporters
	 */
	List<SpanExporter> others(ObjectProvider<SpanExporter> spanExporters, Runnable onBootOtlpExporter) {
		Set<Object> boot = bootOtlpExporters();
		List<SpanExporter> others = new ArrayList<>();
		spanExporters.orderedStream().forEach((exporter) -> {
			if (exporter != this.ours && !boot.contains(exporter)) {
				others.add(exporter);
			}
		});
		if (!boot.isEmpty()) {
			onBootOtlpExporter.run();
		}
		return others;
	}

	private Set<Object> bootOtlpExporters() {
		Set<Object> result = Collections.newSetFromMap(new IdentityHashMap<>());
		for (String name : this.beanFactory.getBeanNamesForType(SpanExporter.class, true, false)) {
			if (this.beanFactory.containsBeanDefinition(name)
					&& isBootOtlpExporter(this.beanFactory.getBeanDefinition(name))) {
				result.add(this.beanFactory.getBean(name));
			}
		}
		return result;
	}

	private static boolean isBootOtlpExporter(BeanDefinition definition) {
		if (definition instanceof AnnotatedBeanDefinition annotated) {
			MethodMetadata factoryMethod = annotated.getFactoryMethodMetadata();
			return factoryMethod != null && factoryMethod.getDeclaringClassName().startsWith(BOOT_OTLP_PACKAGE);
		}
		return false;
	}

}
