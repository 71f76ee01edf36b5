package io.github.otelexport.testkit;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * An immutable snapshot of the receiver's switches: the active fault, the response delay
 * and the required header.
 *
 * @param fault the active fault
 * @param delay how long to hold each response back
 * @param requiredHeaderName the lower-cased name of a required header, or {@code null}
 * @param requiredHeaderValue the value the required header must have
 * @param echo the form in which the error message repeats a refused value
 * @param servedOnly the one signal served, the other answered as not implemented, or
 * {@code null} when both are served
 * @author otel-export authors
 */
record Behaviour(Fault fault, Duration delay, String requiredHeaderName, String requiredHeaderValue,
		UnaryOperator<String> echo, Signal servedOnly) {

	static final Behaviour NORMAL = new Behaviour(Fault.ACCEPT, Duration.ZERO, null, null, UnaryOperator.identity(),
			null);

	Behaviour withFault(Fault fault) {
		return new Behaviour(fault, this.delay, this.requiredHeaderName, this.requiredHeaderValue, this.echo,
				this.servedOnly);
	}

	Behaviour withDelay(Duration delay) {
		return new Behaviour(this.fault, delay, this.requiredHeaderName, this.requiredHeaderValue, this.echo,
				this.servedOnly);
	}

	Behaviour withRequiredHeader(String name, String value, UnaryOperator<String> echo) {
		return new Behaviour(this.fault, this.delay, name, value, echo, this.servedOnly);
	}

	Behaviour withServedOnly(Signal signal) {
		return new Behaviour(this.fault, this.delay, this.requiredHeaderName, this.requiredHeaderValue, this.echo,
				signal);
	}

	boolean serves(Signal signal) {
		return this.servedOnly == null || this.servedOnly == signal;
	}

	boolean authorized(Map<String, String> headers) {
		return this.requiredHeaderName == null
				|| Objects.equals(headers.get(this.requiredHeaderName), this.requiredHeaderValue);
	}

}
