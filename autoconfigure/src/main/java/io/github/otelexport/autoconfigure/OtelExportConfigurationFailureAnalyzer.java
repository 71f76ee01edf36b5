package io.github.otelexport.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link InvalidOtelExportConfigurationException}: which property, which
 * value, and what to write instead.
 *
 * @author otel-export authors
 */
class OtelExportConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidOtelExportConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidOtelExportConfigurationException cause) {
		String description = "Invalid otel-export configuration:%n%n    Property: %s%n    Value: '%s'%n    Reason: %s"
			.formatted(cause.getProperty(), cause.getValue(), cause.getReason());
		return new FailureAnalysis(description, cause.getAction(), cause);
	}

}
