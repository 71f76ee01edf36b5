package io.github.otelexport.autoconfigure;

import io.opentelemetry.sdk.logs.SdkLoggerProvider;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when log records are exported through otel-export:
 * {@code otel.export.logs.enabled} when it is set, else whether the application has
 * OpenTelemetry logging, an {@link SdkLoggerProvider} bean (Spring Boot's or its own),
 * since without one there is nothing to export. Evaluated when the bean is registered,
 * after Spring Boot's logging auto-configuration, so that its logger provider counts.
 *
 * @author otel-export authors
 */
class OnLogExportCondition extends SpringBootCondition implements ConfigurationCondition {

	static final String ENABLED = "otel.export.logs.enabled";

	@Override
	public ConfigurationPhase getConfigurationPhase() {
		return ConfigurationPhase.REGISTER_BEAN;
	}

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage.forCondition("log export");
		Boolean enabled = context.getEnvironment().getProperty(ENABLED, Boolean.class);
		if (enabled != null) {
			return new ConditionOutcome(enabled, message.because(ENABLED + " is " + enabled));
		}
		ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
		boolean loggerProvider = beanFactory != null
				&& beanFactory.getBeanNamesForType(SdkLoggerProvider.class, true, false).length > 0;
		return new ConditionOutcome(loggerProvider, message.because(
				ENABLED + " is not set and there is " + (loggerProvider ? "an" : "no") + " SdkLoggerProvider bean"));
	}

}
