package io.github.otelexport.export;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import com.google.protobuf.InvalidProtocolBufferException;
import io.github.otelexport.export.transport.OtlpResponse;
import io.github.otelexport.export.transport.OtlpTransport;
import io.github.otelexport.export.transport.Signal;
import io.github.otelexport.export.transport.TestOtlpResponses;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ScopeSpans;

/**
 * An {@link OtlpTransport} whose answers a test scripts: queued answers first, then a
 * default answer. For what a real server cannot be made to do at a given instant of
 * injected time; the real-socket tests cover the transports themselves.
 *
 * @author otel-export authors
 */
final class ScriptedTransport implements OtlpTransport {

	private final ConcurrentLinkedQueue<Supplier<CompletableFuture<OtlpResponse>>> script = new ConcurrentLinkedQueue<>();

	private volatile Supplier<CompletableFuture<OtlpResponse>> otherwise = success();

	/**
	 * What every request of log records gets instead of the script, or {@code null}.
	 */
	private volatile Supplier<CompletableFuture<OtlpResponse>> logRecordsAnswer;

	private final AtomicInteger logRecordRequests = new AtomicInteger();

	private final List<byte[]> requests = new CopyOnWriteArrayList<>();

	private final AtomicInteger exportedSpans = new AtomicInteger();

	private final AtomicInteger exportedLogRecords = new AtomicInteger();

	private final AtomicInteger closes = new AtomicInteger();

	private final List<CompletableFuture<OtlpResponse>> answers = new CopyOnWriteArrayList<>();

	static Supplier<CompletableFuture<OtlpResponse>> failure(Throwable throwable) {
		return () -> CompletableFuture.failedFuture(throwable);
	}

	static Supplier<CompletableFuture<OtlpResponse>> success() {
		return answer(TestOtlpResponses.http(200));
	}

	static Supplier<CompletableFuture<OtlpResponse>> status(int httpStatus) {
		return answer(TestOtlpResponses.http(httpStatus));
	}

	static Supplier<CompletableFuture<OtlpResponse>> answer(OtlpResponse response) {
		return () -> CompletableFuture.completedFuture(response);
	}

	ScriptedTransport then(Supplier<CompletableFuture<OtlpResponse>> answer) {
		this.script.add(answer);
		return this;
	}

	ScriptedTransport then(int times, Supplier<CompletableFuture<OtlpResponse>> answer) {
		for (int i = 0; i < times; i++) {
			this.script.add(answer);
		}
		return this;
	}

	ScriptedTransport otherwise(Supplier<CompletableFuture<OtlpResponse>> answer) {
		this.otherwise = answer;
		return this;
	}

	/**
	 * Answer every request of log records so, and leave the script to spans: a
	 * destination that fails one signal only.
	 */
	ScriptedTransport logRecordsAnswer(Supplier<CompletableFuture<OtlpResponse>> answer) {
		this.logRecordsAnswer = answer;
		return this;
	}

	@Override
	public CompletableFuture<OtlpResponse> send(Signal signal, byte[] request) {
		this.requests.add(request);
		Supplier<CompletableFuture<OtlpResponse>> logRecords = this.logRecordsAnswer;
		if (signal == Signal.LOGS) {
			this.logRecordRequests.incrementAndGet();
		}
		Supplier<CompletableFuture<OtlpResponse>> answer = (signal == Signal.LOGS && logRecords != null) ? logRecords
				: this.script.poll();
		CompletableFuture<OtlpResponse> result = ((answer != null) ? answer : this.otherwise).get();
		this.answers.add(result);
		// counted when the answer comes, now or when a test completes it
		result.whenComplete((response, failure) -> {
			if (failure == null && response.isSuccess()) {
				if (signal == Signal.LOGS) {
					this.exportedLogRecords.addAndGet(logRecords(request));
				}
				else {
					this.exportedSpans.addAndGet(spans(request));
				}
			}
		});
		return result;
	}

	/**
	 * Fail the attempts still waiting for an answer, as a real transport does.
	 */
	@Override
	public void close() {
		this.closes.incrementAndGet();
		this.answers.forEach((answer) -> answer.completeExceptionally(new IOException("closed")));
	}

	/**
	 * An answer that comes when the test completes it.
	 */
	static Supplier<CompletableFuture<OtlpResponse>> pending(CompletableFuture<OtlpResponse> answer) {
		return () -> answer;
	}

	int attempts() {
		return this.requests.size();
	}

	int logRecordAttempts() {
		return this.logRecordRequests.get();
	}

	/**
	 * Return the spans of every request sent, in the order they were sent.
	 */
	List<Integer> requestSpans() {
		return this.requests.stream().map(ScriptedTransport::spans).toList();
	}

	static int spans(byte[] request) {
		try {
			return ExportTraceServiceRequest.parseFrom(request)
				.getResourceSpansList()
				.stream()
				.flatMap((resource) -> resource.getScopeSpansList().stream())
				.mapToInt(ScopeSpans::getSpansCount)
				.sum();
		}
		catch (InvalidProtocolBufferException ex) {
			throw new IllegalStateException("Not an ExportTraceServiceRequest", ex);
		}
	}

	static int logRecords(byte[] request) {
		try {
			return ExportLogsServiceRequest.parseFrom(request)
				.getResourceLogsList()
				.stream()
				.flatMap((resource) -> resource.getScopeLogsList().stream())
				.mapToInt(ScopeLogs::getLogRecordsCount)
				.sum();
		}
		catch (InvalidProtocolBufferException ex) {
			throw new IllegalStateException("Not an ExportLogsServiceRequest", ex);
		}
	}

	/**
	 * Return the log records of the requests this transport answered with a success.
	 */
	int exportedLogRecords() {
		return this.exportedLogRecords.get();
	}

	/**
	 * Return the spans of the requests this transport answered with a success.
	 */
	int exportedSpans() {
		return this.exportedSpans.get();
	}

	int shutdowns() {
		return this.closes.get();
	}

}
