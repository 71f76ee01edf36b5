package io.github.otelexport.diagnose;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import io.github.otelexport.stats.DestinationRole;

/**
 * The step-by-step diagnosis of one export endpoint: DNS resolution, TCP connection, TLS
 * handshake and an empty OTLP export request.
 *
 * @param role the destination the endpoint is for
 * @param endpoint the endpoint without credentials
 * @param timestamp when the diagnosis started
 * @param steps every step in order, skipped ones included
 * @author otel-export authors
 */
public record EndpointDiagnosis(DestinationRole role, String endpoint, Instant timestamp, List<ProbeStep> steps) {

	/**
	 * Whether no step failed.
	 * @return {@code true} when the endpoint accepts OTLP export requests
	 */
	public boolean ok() {
		return failedStep().isEmpty();
	}

	/**
	 * Return the step that failed, if any.
	 * @return the failed step
	 */
	public Optional<ProbeStep> failedStep() {
		return this.steps.stream().filter((step) -> step.outcome() == ProbeStep.Outcome.FAILED).findFirst();
	}

	/**
	 * Return a one-line summary for a log: the endpoint and the property that sets it,
	 * then {@code OK} with each step's duration, or the failed step's category, detail
	 * and hint.
	 * @return the summary
	 */
	public String summary() {
		String prefix = this.role + " endpoint " + this.endpoint + " (" + this.role.property("endpoint") + "): ";
		return failedStep()
			.map((step) -> prefix + step.category() + " at the " + step.name() + " step (" + step.detail() + "). "
					+ step.hint())
			.orElseGet(() -> prefix + "OK ("
					+ this.steps.stream()
						.filter((step) -> step.outcome() == ProbeStep.Outcome.OK)
						.map((step) -> step.name() + " " + millis(step.duration()))
						.collect(Collectors.joining(", "))
					+ ")");
	}

	private static String millis(Duration duration) {
		return duration.toMillis() + "ms";
	}

}
