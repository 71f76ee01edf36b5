package io.github.otelexport.testkit;

import java.util.HexFormat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * Builds OTLP export requests for tests.
 *
 * @author otel-export authors
 */
final class TestSpans {

	static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

	private TestSpans() {
	}

	static ExportTraceServiceRequest request(int spans) {
		return request(TRACE_ID, spans);
	}

	static ExportTraceServiceRequest request(String traceId, int spans) {
		ScopeSpans.Builder scope = ScopeSpans.newBuilder();
		for (int i = 0; i < spans; i++) {
			scope.addSpans(Span.newBuilder()
				.setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(traceId)))
				.setSpanId(ByteString.copyFrom(HexFormat.of().parseHex("%016x".formatted(i + 1))))
				.setName("span-" + i));
		}
		return ExportTraceServiceRequest.newBuilder()
			.addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scope))
			.build();
	}

}
