package io.github.otelexport.export;

import java.util.concurrent.atomic.AtomicBoolean;

import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportStatistics;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * Counts the spans handed to the export pipeline. It sits beside the batch processor
 * (both see every ended span), so that the batch processor can stay the SDK's own type.
 * Spans that end after shutdown are counted as dropped: the batch processor ignores them.
 *
 * @author otel-export authors
 */
final class CountingSpanProcessor implements SpanProcessor {

	private final ExportStatistics statistics;

	private final AtomicBoolean shutdown = new AtomicBoolean();

	CountingSpanProcessor(ExportStatistics statistics) {
		this.statistics = statistics;
	}

	@Override
	public void onStart(Context parentContext, ReadWriteSpan span) {
	}

	@Override
	public boolean isStartRequired() {
		return false;
	}

	@Override
	public void onEnd(ReadableSpan span) {
		// The batch processor only exports sampled spans
		if (!span.getSpanContext().isSampled()) {
			return;
		}
		this.statistics.recordReceived(1);
		if (this.shutdown.get()) {
			this.statistics.recordDropped(DropReason.SHUTDOWN, 1);
		}
	}

	@Override
	public boolean isEndRequired() {
		return true;
	}

	@Override
	public CompletableResultCode shutdown() {
		this.shutdown.set(true);
		return CompletableResultCode.ofSuccess();
	}

	@Override
	public String toString() {
		return "CountingSpanProcessor";
	}

}
