package io.github.otelexport.diagnose;

import java.time.Duration;

import io.github.otelexport.stats.ExportErrorCategory;

/**
 * The result of one step of an endpoint diagnosis.
 *
 * @param name the step: {@code dns}, {@code tcp}, {@code tls} or {@code otlp}
 * @param outcome whether the step passed, failed or was not run
 * @param duration how long the step took
 * @param category what went wrong, or {@code null} unless the step failed
 * @param hint what to do about it, naming the properties of the endpoint's role and where
 * its headers come from, or {@code null} unless the step failed
 * @param detail what the step found (an address, a TLS version, an error message), free
 * of credentials
 * @author otel-export authors
 */
public record ProbeStep(String name, Outcome outcome, Duration duration, ExportErrorCategory category, String hint,
		String detail) {

	static ProbeStep passed(String name, Duration duration, String detail) {
		return new ProbeStep(name, Outcome.OK, duration, null, null, detail);
	}

	static ProbeStep failed(String name, Duration duration, ExportErrorCategory category, ProbeTarget target,
			String detail) {
		return new ProbeStep(name, Outcome.FAILED, duration, category,
				category.hint(target.role(), target.headersProperty()), detail);
	}

	static ProbeStep skipped(String name, String why) {
		return new ProbeStep(name, Outcome.SKIPPED, Duration.ZERO, null, null, why);
	}

	/**
	 * How a step ended.
	 */
	public enum Outcome {

		/**
		 * The step passed.
		 */
		OK,

		/**
		 * The step failed; later steps were skipped.
		 */
		FAILED,

		/**
		 * The step did not apply (TLS on a plaintext endpoint) or an earlier step failed.
		 */
		SKIPPED

	}

}
