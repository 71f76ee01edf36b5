package io.github.otelexport.export;

import java.util.concurrent.atomic.AtomicBoolean;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * Counts the spans handed to the export pipeline, then passes them to the batch
 * processor. Spans that end after shutdown are counted as dropped instead of being left
 * in a queue nobody drains.
 *
 * @author otel-export authors
 */
final class CountingSpanProcessor implements SpanProcessor {

	private final SpanProcessor delegate;

	private final ExportStatistics statistics;

	private final AtomicBoolean shutdown = new AtomicBoolean();

	CountingSpanProcessor(SpanProcessor delegate, ExportStatistics statistics) {
		this.delegate = delegate;
		this.statistics = statistics;
	}

	@Override
	public void onStart(Context parentContext, ReadWriteSpan span) {
		this.delegate.onStart(parentContext, span);
	}

	@Override
	public boolean isStartRequired() {
		return this.delegate.isStartRequired();
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
			return;
		}
		this.delegate.onEnd(span);
	}

	@Override
	public boolean isEndRequired() {
		return true;
	}

	@Override
	public CompletableResultCode shutdown() {
		if (!this.shutdown.compareAndSet(false, true)) {
			return CompletableResultCode.ofSuccess();
		}
		return this.delegate.shutdown();
	}

	@Override
	public CompletableResultCode forceFlush() {
		return this.delegate.forceFlush();
	}

	@Override
	public String toString() {
		return "CountingSpanProcessor{delegate=" + this.delegate + "}";
	}

}
