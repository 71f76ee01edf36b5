package io.github.otelexport.autoconfigure;

import java.util.Collection;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Logs a sample of the spans handed to the exporter (trace and span id, name, kind,
 * duration, status and attributes), then passes them on. Spans are logged when they are
 * handed over, so they also show while the backend is unreachable.
 *
 * @author otel-export authors
 */
final class DebugLoggingSpanExporter implements SpanExporter {

	private static final Log defaultLogger = LogFactory.getLog(DebugLoggingSpanExporter.class);

	private final SpanExporter delegate;

	private final SpanLogSampler sampler;

	private final Log logger;

	DebugLoggingSpanExporter(SpanExporter delegate, SpanLogSampler sampler) {
		this(delegate, sampler, defaultLogger);
	}

	DebugLoggingSpanExporter(SpanExporter delegate, SpanLogSampler sampler, Log logger) {
		this.delegate = delegate;
		this.sampler = sampler;
		this.logger = logger;
	}

	@Override
	public CompletableResultCode export(Collection<SpanData> spans) {
		try {
			if (this.logger.isInfoEnabled()) {
				for (SpanData span : spans) {
					if (this.sampler.sample()) {
						this.logger.info(describe(span));
					}
				}
			}
		}
		catch (RuntimeException ex) {
			this.logger.debug("Could not log spans", ex);
		}
		return this.delegate.export(spans);
	}

	static String describe(SpanData span) {
		long durationMicros = TimeUnit.NANOSECONDS.toMicros(span.getEndEpochNanos() - span.getStartEpochNanos());
		StringBuilder line = new StringBuilder("Span ").append(span.getName())
			.append(" traceId=")
			.append(span.getTraceId())
			.append(" spanId=")
			.append(span.getSpanId());
		if (span.getParentSpanContext().isValid()) {
			line.append(" parentSpanId=").append(span.getParentSpanId());
		}
		line.append(" kind=")
			.append(span.getKind())
			.append(" duration=")
			.append(durationMicros / 1000.0)
			.append("ms status=")
			.append(span.getStatus().getStatusCode());
		if (!span.getStatus().getDescription().isEmpty()) {
			line.append(" (").append(span.getStatus().getDescription()).append(")");
		}
		StringJoiner attributes = new StringJoiner(", ", "{", "}");
		span.getAttributes().forEach((key, value) -> attributes.add(key.getKey() + "=" + value));
		line.append(" attributes=").append(attributes);
		return line.toString();
	}

	@Override
	public CompletableResultCode flush() {
		return this.delegate.flush();
	}

	@Override
	public CompletableResultCode shutdown() {
		return this.delegate.shutdown();
	}

	@Override
	public String toString() {
		return "DebugLoggingSpanExporter{" + this.delegate + "}";
	}

}
