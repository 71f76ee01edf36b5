package io.github.otelexport.export.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.logs.TestLogRecordData;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;

/**
 * Finished spans, log records and encoded export requests for the transport tests.
 *
 * @author otel-export authors
 */
final class TestRequests {

	static final Resource RESOURCE = Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "shop"));

	static final InstrumentationScopeInfo SCOPE = InstrumentationScopeInfo.create("checkout");

	private TestRequests() {
	}

	/**
	 * Return an encoded request of {@code count} spans of one resource and scope.
	 * @param count the number of spans
	 * @return the request bytes
	 */
	static byte[] spans(int count) {
		return OtlpRequestEncoder.spans(batch(count, RESOURCE, SCOPE));
	}

	/**
	 * Return an encoded request of {@code count} log records of one resource and scope.
	 * @param count the number of log records
	 * @return the request bytes
	 */
	static byte[] logs(int count) {
		List<LogRecordData> logs = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			logs.add(TestLogRecordData.builder()
				.setResource(RESOURCE)
				.setInstrumentationScopeInfo(SCOPE)
				.setTimestamp(1_000 + i, TimeUnit.MILLISECONDS)
				.setSeverity(Severity.INFO)
				.setBody("log-" + i)
				.build());
		}
		return OtlpRequestEncoder.logs(logs);
	}

	static List<SpanData> batch(int count, Resource resource, InstrumentationScopeInfo scope) {
		List<SpanData> spans = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			spans.add(span("span-" + i, i, resource, scope));
		}
		return spans;
	}

	static SpanData span(String name, int index, Resource resource, InstrumentationScopeInfo scope) {
		return TestSpanData.builder()
			.setName(name)
			.setKind(SpanKind.SERVER)
			.setSpanContext(SpanContext.create(String.format("%032x", index + 1), String.format("%016x", index + 1),
					TraceFlags.getSampled(), TraceState.getDefault()))
			.setResource(resource)
			.setInstrumentationScopeInfo(scope)
			.setAttributes(Attributes.of(AttributeKey.longKey("index"), (long) index))
			.setStartEpochNanos(TimeUnit.MILLISECONDS.toNanos(1_000))
			.setEndEpochNanos(TimeUnit.MILLISECONDS.toNanos(1_010))
			.setStatus(StatusData.ok())
			.setHasEnded(true)
			.setTotalRecordedEvents(0)
			.setTotalRecordedLinks(0)
			.build();
	}

}
