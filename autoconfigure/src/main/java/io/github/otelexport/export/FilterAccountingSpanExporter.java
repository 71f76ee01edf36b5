package io.github.otelexport.export;

import java.util.Collection;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.github.otelexport.export.transport.Signal;
import io.github.otelexport.stats.DropReason;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * Sits in front of the exporters that wrap the resilient exporter (such as Micrometer's
 * {@code CompositeSpanExporter} with the application's span filters) and counts the spans
 * they did not hand on as {@link DropReason#FILTERED}, so that the accounting identity
 * holds with filters too. The front must hand spans to the resilient exporter before its
 * {@code export} returns, as the batch processor's single worker thread calls it.
 *
 * @author otel-export authors
 */
final class FilterAccountingSpanExporter implements SpanExporter {

	private static final Logger logger = Logger.getLogger(FilterAccountingSpanExporter.class.getName());

	private final SpanExporter front;

	private final ResilientSpanExporter exporter;

	FilterAccountingSpanExporter(SpanExporter front, ResilientSpanExporter exporter) {
		this.front = front;
		this.exporter = exporter;
	}

	@Override
	public CompletableResultCode export(Collection<SpanData> spans) {
		long before = this.exporter.spansHandled();
		try {
			return this.front.export(spans);
		}
		catch (RuntimeException ex) {
			logger.log(Level.WARNING, "A span exporter in front of the resilient exporter failed", ex);
			return CompletableResultCode.ofFailure();
		}
		finally {
			long lost = spans.size() - (this.exporter.spansHandled() - before);
			if (lost > 0) {
				this.exporter.recorder(Signal.TRACES).recordDropped(DropReason.FILTERED, lost);
			}
		}
	}

	@Override
	public CompletableResultCode flush() {
		return this.front.flush();
	}

	@Override
	public CompletableResultCode shutdown() {
		return this.front.shutdown();
	}

	@Override
	public String toString() {
		return "FilterAccountingSpanExporter{front=" + this.front + "}";
	}

}
