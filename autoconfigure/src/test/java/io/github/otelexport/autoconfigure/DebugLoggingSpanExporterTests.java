package io.github.otelexport.autoconfigure;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.github.otelexport.export.TestTime;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DebugLoggingSpanExporter}.
 *
 * @author otel-export authors
 */
@ExtendWith(OutputCaptureExtension.class)
class DebugLoggingSpanExporterTests {

	private final TestTime clock = new TestTime(Instant.parse("2026-01-01T00:00:00Z"));

	private final List<SpanData> delegated = new ArrayList<>();

	@Test
	void logsSampledSpansAndPassesAllOn(CapturedOutput output) {
		SpanExporter exporter = new DebugLoggingSpanExporter(new CapturingExporter(),
				new SpanLogSampler(1, 1000, this.clock));
		try (SdkTracerProvider provider = SdkTracerProvider.builder()
			.addSpanProcessor(SimpleSpanProcessor.create(exporter))
			.build()) {
			Tracer tracer = provider.get("test");
			tracer.spanBuilder("first")
				.setSpanKind(SpanKind.SERVER)
				.setAttribute(AttributeKey.stringKey("http.route"), "/orders")
				.startSpan()
				.setStatus(StatusCode.ERROR, "boom")
				.end();
			tracer.spanBuilder("second").startSpan().end();
		}
		assertThat(this.delegated).hasSize(2);
		SpanData first = this.delegated.get(0);
		assertThat(output).contains("Span first traceId=" + first.getTraceId() + " spanId=" + first.getSpanId())
			.contains("kind=SERVER")
			.contains("status=ERROR (boom)")
			.contains("http.route=/orders")
			.containsPattern("duration=[0-9.]+ms")
			.doesNotContain("Span second");
	}

	private final class CapturingExporter implements SpanExporter {

		@Override
		public CompletableResultCode export(Collection<SpanData> spans) {
			DebugLoggingSpanExporterTests.this.delegated.addAll(spans);
			return CompletableResultCode.ofSuccess();
		}

		@Override
		public CompletableResultCode flush() {
			return CompletableResultCode.ofSuccess();
		}

		@Override
		public CompletableResultCode shutdown() {
			return CompletableResultCode.ofSuccess();
		}

	}

}
