package io.github.otelexport.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import io.grpc.Status;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * Decides the answer to a decoded export request from the current {@link Behaviour},
 * records the request and holds the answer back for the configured delay. Shared by the
 * gRPC and the HTTP side, and by every signal: a fault answers a log request exactly as
 * it answers a trace request.
 *
 * @author otel-export authors
 */
final class ExportHandler {

	private final FaultState faults;

	private final Recordings recordings;

	ExportHandler(FaultState faults, Recordings recordings) {
		this.faults = faults;
		this.recordings = recordings;
	}

	ExportOutcome traces(Protocol protocol, Map<String, String> headers, boolean gzip,
			ExportTraceServiceRequest request) {
		List<Span> spans = new ArrayList<>();
		for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
			for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
				spans.addAll(scopeSpans.getSpansList());
			}
		}
		return handle(Signal.TRACES, protocol, headers, gzip, spans, this.recordings::recordSpans);
	}

	ExportOutcome logs(Protocol protocol, Map<String, String> headers, boolean gzip, ExportLogsServiceRequest request) {
		List<LogRecord> logRecords = new ArrayList<>();
		for (ResourceLogs resourceLogs : request.getResourceLogsList()) {
			for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
				logRecords.addAll(scopeLogs.getLogRecordsList());
			}
		}
		return handle(Signal.LOGS, protocol, headers, gzip, logRecords, this.recordings::recordLogRecords);
	}

	/**
	 * Record a request that was refused before its body could be decoded (wrong path,
	 * method, media type or a malformed body) and hold the answer back for the delay.
	 * @param signal the signal of the request's path, or {@code null} for a path that
	 * serves none
	 * @param protocol the transport
	 * @param headers the request headers
	 * @param gzip whether the body was compressed
	 */
	void rejectedUndecoded(Signal signal, Protocol protocol, Map<String, String> headers, boolean gzip) {
		Behaviour behaviour = this.faults.current();
		this.recordings.record(new ReceivedRequest(signal, protocol, headers, gzip, 0, false));
		this.faults.await(behaviour.delay());
	}

	/**
	 * Pause while a response is being written; returns early when the receiver closes.
	 * @param pause how long
	 */
	void pause(Duration pause) {
		this.faults.await(pause);
	}

	private <T> ExportOutcome handle(Signal signal, Protocol protocol, Map<String, String> headers, boolean gzip,
			List<T> items, BiConsumer<ReceivedRequest, List<T>> record) {
		Behaviour behaviour = this.faults.current();
		ExportOutcome outcome = behaviour.serves(signal) ? decide(protocol, headers, behaviour, items.size())
				: notImplemented(protocol);
		List<T> accepted = outcome.accepted() ? items.subList(0, items.size() - outcome.rejectedItems()) : List.of();
		record.accept(new ReceivedRequest(signal, protocol, headers, gzip, items.size(), outcome.accepted()), accepted);
		this.faults.await(behaviour.delay());
		return outcome;
	}

	/**
	 * The answer of a backend that does not implement a signal: no handler at its HTTP
	 * path, no such gRPC service.
	 */
	private static ExportOutcome notImplemented(Protocol protocol) {
		return (protocol == Protocol.HTTP) ? new ExportOutcome.HttpFailure(404, Map.of())
				: new ExportOutcome.GrpcFailure(Status.Code.UNIMPLEMENTED, null);
	}

	private ExportOutcome decide(Protocol protocol, Map<String, String> headers, Behaviour behaviour, int items) {
		if (!behaviour.authorized(headers)) {
			String received = headers.get(behaviour.requiredHeaderName());
			return new ExportOutcome.Unauthenticated(behaviour.requiredHeaderName(),
					(received != null) ? behaviour.echo().apply(received) : null);
		}
		Fault fault = behaviour.fault();
		if (fault instanceof Fault.PartialSuccess partial) {
			return new ExportOutcome.Success(Math.min(partial.rejectedItems(), items), partial.message());
		}
		if (protocol == Protocol.HTTP) {
			if (fault instanceof Fault.HttpStatus status) {
				return new ExportOutcome.HttpFailure(status.status(), status.headers());
			}
			if (fault instanceof Fault.TricklingBody trickling) {
				return new ExportOutcome.TricklingBody(trickling.byteInterval());
			}
			if (fault instanceof Fault.ResetDuringResponse) {
				return new ExportOutcome.ResetDuringResponse();
			}
			if (fault instanceof Fault.Garbage) {
				return new ExportOutcome.Garbage();
			}
			if (fault instanceof Fault.HugeBody huge) {
				return new ExportOutcome.HugeBody(huge.bytes());
			}
		}
		if (protocol == Protocol.GRPC && fault instanceof Fault.GrpcStatus status) {
			return new ExportOutcome.GrpcFailure(status.code(), status.retryDelay());
		}
		if (protocol == Protocol.GRPC && fault instanceof Fault.HugeGrpcMessage huge) {
			return new ExportOutcome.HugeBody(huge.bytes());
		}
		return ExportOutcome.Success.FULL;
	}

}
