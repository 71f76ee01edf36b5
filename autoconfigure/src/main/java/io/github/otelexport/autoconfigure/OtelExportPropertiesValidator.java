package io.github.otelexport.autoconfigure;

import java.time.Duration;

/**
 * Checks the {@code otel.export.*} settings that are not about a destination: batch,
 * retry, fallback switching, health, diagnostics and debug logging. Every bean that reads
 * them runs the check (the exporter, the batch processor, the state evaluator behind the
 * health indicator and the endpoint), so an application's own bean for one of them, or
 * for the destinations, does not skip it.
 *
 * @author otel-export authors
 */
final class OtelExportPropertiesValidator {

	private OtelExportPropertiesValidator() {
	}

	static void validate(OtelExportProperties properties) {
		OtelExportProperties.Batch batch = properties.getBatch();
		atLeastOne("otel.export.batch.max-queue-size", batch.getMaxQueueSize());
		atLeastOne("otel.export.batch.max-export-batch-size", batch.getMaxExportBatchSize());
		if (batch.getMaxExportBatchSize() > batch.getMaxQueueSize()) {
			throw new InvalidOtelExportConfigurationException("otel.export.batch.max-export-batch-size",
					String.valueOf(batch.getMaxExportBatchSize()),
					"a batch cannot be larger than the queue it is taken from (otel.export.batch.max-queue-size="
							+ batch.getMaxQueueSize() + ")",
					"Set otel.export.batch.max-export-batch-size to at most " + batch.getMaxQueueSize()
							+ ", or raise otel.export.batch.max-queue-size.");
		}
		positive("otel.export.batch.schedule-delay", batch.getScheduleDelay());
		positive("otel.export.batch.export-timeout", batch.getExportTimeout());
		validateRetry(properties.getRetry(), batch.getExportTimeout());
		OtelExportProperties.Fallback fallback = properties.getFallback();
		atLeastOne("otel.export.fallback.failure-threshold", fallback.getFailureThreshold());
		positive("otel.export.fallback.probe-interval", fallback.getProbeInterval());
		notNegative("otel.export.health.grace-period", properties.getHealth().getGracePeriod());
		atLeastOne("otel.export.diagnostics.recent-errors", properties.getDiagnostics().getRecentErrors());
		OtelExportProperties.Debug debug = properties.getDebug();
		if (debug.getSamplingInitial() < 0) {
			throw new InvalidOtelExportConfigurationException("otel.export.debug.sampling-initial",
					String.valueOf(debug.getSamplingInitial()), "the number of spans must not be negative",
					"Set otel.export.debug.sampling-initial to 0 or more, for example 5.");
		}
		atLeastOne("otel.export.debug.sampling-thereafter", debug.getSamplingThereafter());
	}

	private static void validateRetry(OtelExportProperties.Retry retry, Duration exportTimeout) {
		atLeastOne("otel.export.retry.max-attempts", retry.getMaxAttempts());
		positive("otel.export.retry.initial-backoff", retry.getInitialBackoff());
		positive("otel.export.retry.max-backoff", retry.getMaxBackoff());
		positive("otel.export.retry.max-elapsed-time", retry.getMaxElapsedTime());
		if (retry.getMaxBackoff().compareTo(retry.getInitialBackoff()) < 0) {
			throw new InvalidOtelExportConfigurationException("otel.export.retry.max-backoff",
					String.valueOf(retry.getMaxBackoff()),
					"it is shorter than otel.export.retry.initial-backoff (" + retry.getInitialBackoff() + ")",
					"Set otel.export.retry.max-backoff to at least " + retry.getInitialBackoff() + ".");
		}
		if (retry.getMultiplier() < 1.0) {
			throw new InvalidOtelExportConfigurationException("otel.export.retry.multiplier",
					String.valueOf(retry.getMultiplier()), "the backoff would shrink after each attempt",
					"Set otel.export.retry.multiplier to 1.0 or more, for example 2.0.");
		}
		if (retry.getJitter() < 0.0 || retry.getJitter() > 1.0) {
			throw new InvalidOtelExportConfigurationException("otel.export.retry.jitter",
					String.valueOf(retry.getJitter()), "the jitter is a fraction of the wait, between 0 and 1",
					"Set otel.export.retry.jitter between 0 and 1, for example 0.2.");
		}
		if (retry.isEnabled() && retry.getMaxElapsedTime().compareTo(exportTimeout) >= 0) {
			throw new InvalidOtelExportConfigurationException("otel.export.retry.max-elapsed-time",
					String.valueOf(retry.getMaxElapsedTime()),
					"retries of a batch must end before the batch processor gives up on it "
							+ "(otel.export.batch.export-timeout=" + exportTimeout + ")",
					"Set otel.export.retry.max-elapsed-time shorter than otel.export.batch.export-timeout (for example "
							+ exportTimeout.multipliedBy(5).dividedBy(6)
							+ "), or raise otel.export.batch.export-timeout.");
		}
	}

	private static void atLeastOne(String property, int value) {
		if (value < 1) {
			throw new InvalidOtelExportConfigurationException(property, String.valueOf(value),
					"the value must be at least 1", "Set " + property + " to 1 or more.");
		}
	}

	private static void positive(String property, Duration value) {
		if (value == null || value.isZero() || value.isNegative()) {
			throw new InvalidOtelExportConfigurationException(property, String.valueOf(value),
					"the duration must be positive", "Set " + property + " to a positive duration, for example 10s.");
		}
	}

	private static void notNegative(String property, Duration value) {
		if (value == null || value.isNegative()) {
			throw new InvalidOtelExportConfigurationException(property, String.valueOf(value),
					"the duration must not be negative", "Set " + property + " to 0s or more, for example 1m.");
		}
	}

}
