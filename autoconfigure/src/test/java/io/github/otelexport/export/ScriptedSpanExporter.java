package io.github.otelexport.export;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * A {@link SpanExporter} whose answers a test scripts: queued answers first, then a
 * default answer.
 *
 * @author otel-export authors
 */
final class ScriptedSpanExporter implements SpanExporter {

	private final ConcurrentLinkedQueue<Supplier<CompletableResultCode>> script = new ConcurrentLinkedQueue<>();

	private volatile Supplier<CompletableResultCode> otherwise = CompletableResultCode::ofSuccess;

	private final List<Integer> batches = new CopyOnWriteArrayList<>();

	private final AtomicInteger exported = new AtomicInteger();

	private final AtomicInteger shutdowns = new AtomicInteger();

	static Supplier<CompletableResultCode> failure(Throwable throwable) {
		return () -> CompletableResultCode.ofExceptionalFailure(throwable);
	}

	static Supplier<CompletableResultCode> success() {
		return CompletableResultCode::ofSuccess;
	}

	ScriptedSpanExporter then(Supplier<CompletableResultCode> answer) {
		this.script.add(answer);
		return this;
	}

	ScriptedSpanExporter then(int times, Supplier<CompletableResultCode> answer) {
		for (int i = 0; i < times; i++) {
			this.script.add(answer);
		}
		return this;
	}

	ScriptedSpanExporter otherwise(Supplier<CompletableResultCode> answer) {
		this.otherwise = answer;
		return this;
	}

	@Override
	public CompletableResultCode export(Collection<SpanData> spans) {
		this.batches.add(spans.size());
		Supplier<CompletableResultCode> answer = this.script.poll();
		CompletableResultCode result = ((answer != null) ? answer : this.otherwise).get();
		if (result.isDone() && result.isSuccess()) {
			this.exported.addAndGet(spans.size());
		}
		return result;
	}

	@Override
	public CompletableResultCode flush() {
		return CompletableResultCode.ofSuccess();
	}

	@Override
	public CompletableResultCode shutdown() {
		this.shutdowns.incrementAndGet();
		return CompletableResultCode.ofSuccess();
	}

	int attempts() {
		return this.batches.size();
	}

	int exportedSpans() {
		return this.exported.get();
	}

	int shutdowns() {
		return this.shutdowns.get();
	}

}
