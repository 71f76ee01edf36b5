package io.github.otelexport.autoconfigure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.type.MethodMetadata;

/**
 * Sorts the application's exporter beans of one signal ({@link SpanExporter} or
 * {@link LogRecordExporter}): ours (already in the pipeline), Spring Boot's own OTLP
 * exporters (left out, so that nothing is exported twice), and any other exporter the
 * application defines (kept, so that it still receives what the application sends).
 *
 * @param <T> the exporter type
 * @author otel-export authors
 */
final class ExporterBeans<T> {

	private static final String BOOT_OTLP_SPAN_PACKAGE = "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.";

	private static final String BOOT_OTLP_LOG_PACKAGE = "org.springframework.boot.opentelemetry.autoconfigure.logging.otlp.";

	private final ConfigurableListableBeanFactory beanFactory;

	private final Class<T> type;

	private final String bootOtlpPackage;

	private final T ours;

	private ExporterBeans(ConfigurableListableBeanFactory beanFactory, Class<T> type, String bootOtlpPackage, T ours) {
		this.beanFactory = beanFactory;
		this.type = type;
		this.bootOtlpPackage = bootOtlpPackage;
		this.ours = ours;
	}

	static ExporterBeans<SpanExporter> spans(ConfigurableListableBeanFactory beanFactory, SpanExporter ours) {
		return new ExporterBeans<>(beanFactory, SpanExporter.class, BOOT_OTLP_SPAN_PACKAGE, ours);
	}

	/**
	 * The log record exporter beans; ours is never a bean.
	 */
	static ExporterBeans<LogRecordExporter> logRecords(ConfigurableListableBeanFactory beanFactory) {
		return new ExporterBeans<>(beanFactory, LogRecordExporter.class, BOOT_OTLP_LOG_PACKAGE, null);
	}

	/**
	 * Return the exporter beans other than ours and Boot's OTLP exporters, in order.
	 * @param exporters all exporter beans of the type
	 * @param onBootOtlpExporter called once when Boot's OTLP exporter was left out
	 * @return the other exporters
	 */
	List<T> others(ObjectProvider<T> exporters, Runnable onBootOtlpExporter) {
		Set<Object> boot = bootOtlpExporters();
		List<T> others = new ArrayList<>();
		exporters.orderedStream().forEach((exporter) -> {
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
		for (String name : this.beanFactory.getBeanNamesForType(this.type, true, false)) {
			if (this.beanFactory.containsBeanDefinition(name)
					&& isBootOtlpExporter(this.beanFactory.getBeanDefinition(name))) {
				result.add(this.beanFactory.getBean(name));
			}
		}
		return result;
	}

	private boolean isBootOtlpExporter(BeanDefinition definition) {
		if (definition instanceof AnnotatedBeanDefinition annotated) {
			MethodMetadata factoryMethod = annotated.getFactoryMethodMetadata();
			return factoryMethod != null && factoryMethod.getDeclaringClassName().startsWith(this.bootOtlpPackage);
		}
		return false;
	}

}
