package io.github.otelexport.testkit;

import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import com.google.rpc.RetryInfo;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;

/**
 * The OTLP/gRPC {@code TraceService} and {@code LogsService}: each hands its requests to
 * the {@link ExportHandler} and turns its {@link ExportOutcome} into a gRPC response or
 * status, the same way for both signals.
 *
 * @author otel-export authors
 */
final class OtlpGrpcServices {

	private static final Context.Key<Map<String, String>> HEADERS = Context.key("otlp-receiver-headers");

	private final ExportHandler handler;

	OtlpGrpcServices(ExportHandler handler) {
		this.handler = handler;
	}

	List<ServerServiceDefinition> definitions() {
		HeaderCapture headerCapture = new HeaderCapture();
		return List.of(ServerInterceptors.intercept(new TraceService(), headerCapture),
				ServerInterceptors.intercept(new LogsService(), headerCapture));
	}

	private static boolean gzip(Map<String, String> headers) {
		return "gzip".equalsIgnoreCase(headers.get("grpc-encoding"));
	}

	private static <R> void answer(ExportOutcome outcome, StreamObserver<R> observer,
			Function<ExportOutcome.Success, R> response, Parser<R> parser) {
		try {
			if (outcome instanceof ExportOutcome.Success success) {
				observer.onNext(response.apply(success));
				observer.onCompleted();
			}
			else if (outcome instanceof ExportOutcome.HugeBody huge) {
				observer.onNext(parser.parseFrom(OtlpHttpResponse.hugeBody(huge.bytes())));
				observer.onCompleted();
			}
			else {
				observer.onError(error(outcome));
			}
		}
		catch (StatusRuntimeException ex) {
			// the client cancelled while the response was delayed
		}
		catch (InvalidProtocolBufferException ex) {
			observer.onError(Status.INTERNAL.withDescription(ex.getMessage()).asRuntimeException());
		}
	}

	private static StatusRuntimeException error(ExportOutcome outcome) {
		if (outcome instanceof ExportOutcome.Unauthenticated unauthenticated) {
			return Status.UNAUTHENTICATED.withDescription(unauthenticated.message()).asRuntimeException();
		}
		if (outcome instanceof ExportOutcome.GrpcFailure failure) {
			com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
				.setCode(failure.code().value())
				.setMessage("Answered with " + failure.code() + " by the test receiver");
			if (failure.retryDelay() != null) {
				status.addDetails(
						Any.pack(RetryInfo.newBuilder().setRetryDelay(protoDuration(failure.retryDelay())).build()));
			}
			return StatusProto.toStatusRuntimeException(status.build());
		}
		return Status.INTERNAL.withDescription("Unexpected outcome " + outcome).asRuntimeException();
	}

	private static com.google.protobuf.Duration protoDuration(Duration duration) {
		return com.google.protobuf.Duration.newBuilder()
			.setSeconds(duration.getSeconds())
			.setNanos(duration.getNano())
			.build();
	}

	/**
	 * {@code opentelemetry.proto.collector.trace.v1.TraceService}.
	 */
	private final class TraceService extends TraceServiceGrpc.TraceServiceImplBase {

		@Override
		public void export(ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> observer) {
			Map<String, String> headers = HEADERS.get();
			ExportOutcome outcome = OtlpGrpcServices.this.handler.traces(Protocol.GRPC, headers, gzip(headers),
					request);
			answer(outcome, observer, ExportOutcome.Success::tracesResponse, ExportTraceServiceResponse.parser());
		}

	}

	/**
	 * {@code opentelemetry.proto.collector.logs.v1.LogsService}.
	 */
	private final class LogsService extends LogsServiceGrpc.LogsServiceImplBase {

		@Override
		public void export(ExportLogsServiceRequest request, StreamObserver<ExportLogsServiceResponse> observer) {
			Map<String, String> headers = HEADERS.get();
			ExportOutcome outcome = OtlpGrpcServices.this.handler.logs(Protocol.GRPC, headers, gzip(headers), request);
			answer(outcome, observer, ExportOutcome.Success::logsResponse, ExportLogsServiceResponse.parser());
		}

	}

	/**
	 * Puts the request headers into the call's context.
	 */
	private static final class HeaderCapture implements ServerInterceptor {

		@Override
		public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata metadata,
				ServerCallHandler<Q, R> next) {
			Context context = Context.current().withValue(HEADERS, headers(metadata));
			return Contexts.interceptCall(context, call, metadata, next);
		}

		private static Map<String, String> headers(Metadata metadata) {
			Map<String, String> headers = new LinkedHashMap<>();
			for (String name : metadata.keys()) {
				if (name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
					Iterable<byte[]> values = metadata.getAll(Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER));
					values.forEach((value) -> headers.merge(name, Base64.getEncoder().encodeToString(value),
							(first, second) -> first + "," + second));
				}
				else {
					Iterable<String> values = metadata.getAll(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
					values.forEach((value) -> headers.merge(name, value, (first, second) -> first + "," + second));
				}
			}
			return headers;
		}

	}

}
