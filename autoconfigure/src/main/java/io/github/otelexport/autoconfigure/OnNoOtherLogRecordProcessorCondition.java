package io.github.otelexport.autoconfigure;

import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when the application defines no {@link BatchLogRecordProcessor} and no
 * {@link OtelExportLogRecordProcessor} of its own. Spring Boot's batch processor does not
 * count: it is the one ours replaces ({@link BootBatchProcessorRemover}), and it is
 * defined by then, as log export is configured after Boot's logging.
 *
 * @author otel-export authors
 */
class OnNoOtherLogRecordProcessorCondition extends SpringBootCondition implements ConfigurationCondition {

	@Override
	public ConfigurationPhase getConfigurationPhase() {
		return ConfigurationPhase.REGISTER_BEAN;
	}

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage.forCondition("no other log record processor");
		ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
		if (beanFactory == null) {
			return ConditionOutcome.match(message.because("there is no bean factory"));
		}
		String[] ours = beanFactory.getBeanNamesForType(OtelExportLogRecordProcessor.class, true, false);
		if (ours.length > 0) {
			return ConditionOutcome.noMatch(message.found("log record processor").items((Object[]) ours));
		}
		for (String name : beanFactory.getBeanNamesForType(BatchLogRecordProcessor.class, true, false)) {
			if (!beanFactory.containsBeanDefinition(name)
					|| !BootBatchProcessorRemover.declaredBy(beanFactory.getBeanDefinition(name),
							BootBatchProcessorRemover.BOOT_LOGGING_AUTO_CONFIGURATION)) {
				return ConditionOutcome.noMatch(message.found("batch log record processor").items(name));
			}
		}
		return ConditionOutcome.match(message.because("only Spring Boot's batch log record processor is defined"));
	}

}
