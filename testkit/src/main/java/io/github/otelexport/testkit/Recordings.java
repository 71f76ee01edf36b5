package io.github.otelexport.testkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.opentelemetry.proto.trace.v1.Span;

/**
 * What the receiver has seen: every request, and the spans of accepted requests in
 * arrival order, or only how many of each. Thread-safe.
 *
 * @author otel-export authors
 */
final class Recordings {

	private static final HexFormat HEX = HexFormat.of();

	private final Object lock = new Object();

	private final List<ReceivedRequest> requests = new ArrayList<>();

	private final List<Span> spans = new ArrayList<>();

	private final Map<String, List<Span>> spansByTraceId = new LinkedHashMap<>();

	private final boolean keep;

	private int requestCount;

	private int spanCount;

	/**
	 * Create recordings.
	 * @param keep whether to keep requests and spans, or only count them
	 */
	Recordings(boolean keep) {
		this.keep = keep;
	}

	void record(ReceivedRequest request, List<Span> acceptedSpans) {
		synchronized (this.lock) {
			this.requestCount++;
			this.spanCount += acceptedSpans.size();
			if (!this.keep) {
				return;
			}
			this.requests.add(request);
			for (Span span : acceptedSpans) {
				this.spans.add(span);
				String traceId = HEX.formatHex(span.getTraceId().toByteArray());
				this.spansByTraceId.computeIfAbsent(traceId, (key) -> new ArrayList<>()).add(span);
			}
		}
	}

	int spanCount() {
		synchronized (this.lock) {
			return this.spanCount;
		}
	}

	List<Span> spans() {
		synchronized (this.lock) {
			return List.copyOf(this.spans);
		}
	}

	Map<String, List<Span>> spansByTraceId() {
		synchronized (this.lock) {
			Map<String, List<Span>> copy = new LinkedHashMap<>();
			this.spansByTraceId.forEach((traceId, spans) -> copy.put(traceId, List.copyOf(spans)));
			return Collections.unmodifiableMap(copy);
		}
	}

	List<ReceivedRequest> requests() {
		synchronized (this.lock) {
			return List.copyOf(this.requests);
		}
	}

	int requestCount() {
		synchronized (this.lock) {
			return this.requestCount;
		}
	}

	void clear() {
		synchronized (this.lock) {
			this.requestCount = 0;
			this.spanCount = 0;
			this.requests.clear();
			this.spans.clear();
			this.spansByTraceId.clear();
		}
	}

}
