package io.github.otelexport.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * Decides the answer to a decoded export request from the current {@link Behaviour},
 * records the request and holds the answer back for the configured delay. Shared by the
 * gRPC and the HTTP side.
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

	ExportOutcome handle(Protocol protocol, Map<String, String> headers, boolean gzip,
			ExportTraceServiceRequest request) {
		Behaviour behaviour = this.faults.current();
		List<Span> spans = spans(request);
		ExportOutcome outcome = decide(protocol, headers, behaviour, spans.size());
		List<Span> accepted = outcome.accepted() ? spans.subList(0, spans.size() - outcome.rejectedSpans()) : List.of();
		this.recordings.record(new ReceivedRequest(protocol, headers, gzip, spans.size(), outcome.accepted()),
				accepted);
		this.faults.await(behaviour.delay());
		return outcome;
	}

	/**
	 * Record a request that was refused before its body could be decoded (wrong path,
	 * method, media type or a malformed body) and hold the answer back for the delay.
	 * @param protocol the transport
	 * @param headers the request headers
	 * @param gzip whether the body was compressed
	 */
	void rejectedUndecoded(Protocol protocol, Map<String, String> headers, boolean gzip) {
		Behaviour behaviour = this.faults.current();
		this.recordings.record(new ReceivedRequest(protocol, headers, gzip, 0, false), List.of());
		this.faults.await(behaviour.delay());
	}

	/**
	 * Pause while a response is being written; returns early when the receiver closes.
	 * @param pause how long
	 */
	void pause(Duration pause) {
		this.faults.await(pause);
	}

	private ExportOutcome decide(Protocol protocol, Map<String, String> headers, Behaviour behaviour, int spans) {
		if (!behaviour.authorized(headers)) {
			String received = headers.get(behaviour.requiredHeaderName());
			return new ExportOutcome.Unauthenticated(behaviour.requiredHeaderName(),
					(received != null) ? behaviour.echo().apply(received) : null);
		}
		Fault fault = behaviour.fault();
		if (fault instanceof Fault.PartialSuccess partial) {
			return new ExportOutcome.Success(Math.min(partial.rejectedSpans(), spans), partial.message());
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

	private static List<Span> spans(ExportTraceServiceRequest request) {
		List<Span> spans = new ArrayList<>();
		for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
			for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
				spans.addAll(scopeSpans.getSpansList());
			}
		}
		return spans;
	}

}
