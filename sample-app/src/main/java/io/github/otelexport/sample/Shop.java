package io.github.otelexport.sample;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Pretend business logic that makes spans both ways an application does: through a
 * Micrometer {@link Observation} and through the OpenTelemetry API. It logs a line for
 * each request, which {@code logback-spring.xml} turns into an OpenTelemetry log record
 * carrying the request's trace id.
 *
 * @author otel-export authors
 */
@Component
class Shop {

	/**
	 * Not named after the class: otel-export never exports the records of loggers under
	 * {@code io.github.otelexport.}, its own (so that a failing export cannot feed
	 * itself), and the sample's classes live there.
	 */
	private static final Logger logger = LoggerFactory.getLogger("sample.shop");

	private final ObservationRegistry observations;

	private final Tracer tracer;

	Shop(ObservationRegistry observations, OpenTelemetry openTelemetry) {
		this.observations = observations;
		this.tracer = openTelemetry.getTracer("io.github.otelexport.sample");
	}

	/**
	 * Greet someone, observed through Micrometer.
	 * @param name who to greet
	 * @return the greeting
	 */
	String greet(String name) {
		return Observation.createNotStarted("sample.greet", this.observations)
			.lowCardinalityKeyValue("channel", "web")
			.observe(() -> {
				logger.info("Greeted {}", name);
				return "Hello, " + name + "!";
			});
	}

	/**
	 * Check out a basket, traced through the OpenTelemetry API with a child span per
	 * step.
	 * @param items how many items are in the basket
	 * @return the trace id, to look the trace up in the backend
	 */
	String checkout(int items) {
		Span checkout = this.tracer.spanBuilder("checkout").startSpan();
		try (Scope scope = checkout.makeCurrent()) {
			checkout.setAttribute("shop.items", items);
			step("reserve-stock");
			step("charge-card");
			logger.info("Checked out {} items", items);
			return checkout.getSpanContext().getTraceId();
		}
		catch (RuntimeException ex) {
			checkout.setStatus(StatusCode.ERROR);
			throw ex;
		}
		finally {
			checkout.end();
		}
	}

	private void step(String name) {
		this.tracer.spanBuilder(name).startSpan().end();
	}

}
