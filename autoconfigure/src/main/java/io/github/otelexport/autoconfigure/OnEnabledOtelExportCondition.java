package io.github.otelexport.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.PropertyResolver;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The condition of {@link ConditionalOnEnabledOtelExport}. As with Spring Boot's
 * {@code management.tracing.export.<exporter>.enabled}, the starter's own switch wins
 * over the general tracing export switch; OpenTelemetry switched off wins over both,
 * since there is then no SDK to export from.
 *
 * @author otel-export authors
 */
class OnEnabledOtelExportCondition extends SpringBootCondition {

	static final String ENABLED = "otel.export.enabled";

	static final String TRACING_EXPORT_ENABLED = "management.tracing.export.enabled";

	static final String OPENTELEMETRY_ENABLED = "management.opentelemetry.enabled";

	static final String OTEL_SDK_DISABLED = "OTEL_SDK_DISABLED";

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage.forCondition(ConditionalOnEnabledOtelExport.class);
		String disabledBecause = disabledBecause(context.getEnvironment());
		if (disabledBecause != null) {
			return ConditionOutcome.noMatch(message.because(disabledBecause));
		}
		return ConditionOutcome
			.match(message.because(Boolean.TRUE.equals(context.getEnvironment().getProperty(ENABLED, Boolean.class))
					? ENABLED + " is true" : "span export is enabled by default"));
	}

	/**
	 * Tell why span export is switched off, for this condition and for the code that runs
	 * before conditions are evaluated.
	 * @param environment the environment
	 * @return the reason, or {@code null} when span export is on
	 */
	static String disabledBecause(PropertyResolver environment) {
		Boolean openTelemetry = environment.getProperty(OPENTELEMETRY_ENABLED, Boolean.class);
		if (Boolean.FALSE.equals(openTelemetry)) {
			return OPENTELEMETRY_ENABLED + " is false";
		}
		// Boot maps OTEL_SDK_DISABLED to management.opentelemetry.enabled; read it here
		// when nothing set that property, as the OpenTelemetry specification does: only
		// "true" disables
		if (openTelemetry == null && "true".equalsIgnoreCase(environment.getProperty(OTEL_SDK_DISABLED))) {
			return OTEL_SDK_DISABLED + " is true";
		}
		Boolean enabled = environment.getProperty(ENABLED, Boolean.class);
		if (enabled != null) {
			return enabled ? null : ENABLED + " is false";
		}
		if (Boolean.FALSE.equals(environment.getProperty(TRACING_EXPORT_ENABLED, Boolean.class))) {
			return TRACING_EXPORT_ENABLED + " is false";
		}
		return null;
	}

}
