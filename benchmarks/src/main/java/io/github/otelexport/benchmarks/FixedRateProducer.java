package io.github.otelexport.benchmarks;

import java.util.concurrent.locks.LockSupport;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;

/**
 * Ends spans on the calling thread at a fixed rate, as an application under steady load
 * does: span {@code i} is due {@code i / rate} seconds after the first, so a producer
 * that fell behind (a collection, switching the receiver's fault) catches up at once and
 * the count at any moment is what the rate says. Each span looks like an HTTP server
 * span, with a handful of attributes, so that the buffer holds spans of a realistic size.
 *
 * @author otel-export authors
 */
final class FixedRateProducer {

	private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");

	private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");

	private static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");

	private static final AttributeKey<String> SCHEME = AttributeKey.stringKey("url.scheme");

	private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");

	private static final AttributeKey<String> SERVER = AttributeKey.stringKey("server.address");

	private static final AttributeKey<String> CLIENT = AttributeKey.stringKey("client.address");

	private static final AttributeKey<String> USER_AGENT = AttributeKey.stringKey("user_agent.original");

	private final Tracer tracer;

	private final double nanosPerSpan;

	private long start;

	private long ended;

	/**
	 * Create a producer.
	 * @param tracer the tracer the spans are ended with
	 * @param spansPerSecond the rate
	 */
	FixedRateProducer(Tracer tracer, double spansPerSecond) {
		if (!(spansPerSecond > 0)) {
			throw new IllegalArgumentException("spansPerSecond must be positive but was " + spansPerSecond);
		}
		this.tracer = tracer;
		this.nanosPerSpan = 1e9 / spansPerSecond;
	}

	/**
	 * End spans, each at its time, until {@code total} have been ended since the first
	 * call. The schedule runs on across calls: what happens between two calls does not
	 * shift it.
	 * @param total the spans ended in all once this returns
	 */
	void endUntil(long total) {
		if (this.ended == 0) {
			this.start = System.nanoTime();
		}
		while (this.ended < total) {
			long wait = this.start + (long) (this.ended * this.nanosPerSpan) - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
			else {
				endSpan(this.ended++);
			}
		}
	}

	/**
	 * Return the spans ended so far.
	 * @return the spans ended
	 */
	long ended() {
		return this.ended;
	}

	private void endSpan(long index) {
		this.tracer.spanBuilder("GET /orders/{id}")
			.setSpanKind(SpanKind.SERVER)
			.setAttribute(METHOD, "GET")
			.setAttribute(ROUTE, "/orders/{id}")
			.setAttribute(PATH, "/orders/" + index)
			.setAttribute(SCHEME, "https")
			.setAttribute(STATUS, 200L)
			.setAttribute(SERVER, "orders.example.com")
			.setAttribute(CLIENT, "10.0.12.34")
			.setAttribute(USER_AGENT, "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
			.startSpan()
			.end();
	}

}
