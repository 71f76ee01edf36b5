package io.github.otelexport.export;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;

/**
 * Builds finished spans for tests.
 *
 * @author otel-export authors
 */
final class TestSpans {

	private TestSpans() {
	}

	static List<SpanData> batch(int size) {
		List<SpanData> spans = new ArrayList<>(size);
		for (int i = 0; i < size; i++) {
			spans.add(span("span-" + i, i));
		}
		return spans;
	}

	static SpanData span(String name, int index) {
		String traceId = String.format("%032x", index + 1);
		String spanId = String.format("%016x", index + 1);
		return TestSpanData.builder()
			.setName(name)
			.setKind(SpanKind.INTERNAL)
			.setSpanContext(SpanContext.create(traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault()))
			.setStartEpochNanos(TimeUnit.MILLISECONDS.toNanos(1_000))
			.setEndEpochNanos(TimeUnit.MILLISECONDS.toNanos(1_010))
			.setStatus(StatusData.unset())
			.setHasEnded(true)
			.setTotalRecordedEvents(0)
			.setTotalRecordedLinks(0)
			.build();
	}

}
