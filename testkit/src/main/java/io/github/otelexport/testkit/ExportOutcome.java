package io.github.otelexport.testkit;

import java.time.Duration;
import java.util.Map;

import com.google.protobuf.MessageLite;
import io.grpc.Status;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;

/**
 * The receiver's answer to one export request, independent of the transport.
 *
 * @author otel-export authors
 */
sealed interface ExportOutcome {

	/**
	 * Whether the answer counts the request's spans or log records (all but the rejected
	 * ones) as received.
	 * @return whether the request was accepted
	 */
	default boolean accepted() {
		return true;
	}

	/**
	 * How many of the request's spans or log records the answer rejects.
	 * @return the number of rejected items
	 */
	default int rejectedItems() {
		return 0;
	}

	/** Success, possibly partial. */
	record Success(int rejectedItems, String message) implements ExportOutcome {

		static final Success FULL = new Success(0, "");

		/**
		 * The OTLP response message of a signal, the same on both transports.
		 * @param signal the signal of the request
		 * @return the {@code Export...ServiceResponse}
		 */
		MessageLite response(Signal signal) {
			return switch (signal) {
				case TRACES -> tracesResponse();
				case LOGS -> logsResponse();
			};
		}

		ExportTraceServiceResponse tracesResponse() {
			if (isFull()) {
				return ExportTraceServiceResponse.getDefaultInstance();
			}
			return ExportTraceServiceResponse.newBuilder()
				.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
					.setRejectedSpans(this.rejectedItems)
					.setErrorMessage(this.message))
				.build();
		}

		ExportLogsServiceResponse logsResponse() {
			if (isFull()) {
				return ExportLogsServiceResponse.getDefaultInstance();
			}
			return ExportLogsServiceResponse.newBuilder()
				.setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
					.setRejectedLogRecords(this.rejectedItems)
					.setErrorMessage(this.message))
				.build();
		}

		private boolean isFull() {
			return this.rejectedItems == 0 && this.message.isEmpty();
		}

	}

	/**
	 * The required header was missing or wrong.
	 *
	 * @param headerName the required header's name
	 * @param receivedValue the value the request had, or {@code null} when it had none
	 */
	record Unauthenticated(String headerName, String receivedValue) implements ExportOutcome {

		/**
		 * The error text; like some real backends, it echoes the value it refused, so
		 * that clients can be tested not to repeat it.
		 */
		String message() {
			return (this.receivedValue != null)
					? "Header '" + this.headerName + "' has a value that is not accepted: '" + this.receivedValue + "'"
					: "Missing header '" + this.headerName + "'";
		}

		@Override
		public boolean accepted() {
			return false;
		}

	}

	/** An HTTP status and headers chosen by the test. */
	record HttpFailure(int status, Map<String, String> headers) implements ExportOutcome {

		@Override
		public boolean accepted() {
			return false;
		}

	}

	/** A gRPC status chosen by the test. */
	record GrpcFailure(Status.Code code, Duration retryDelay) implements ExportOutcome {

		@Override
		public boolean accepted() {
			return false;
		}

	}

	/** HTTP 200 with a body that is not protobuf. */
	record Garbage() implements ExportOutcome {
	}

	/** 200 (gRPC: OK) with a body of several megabytes. */
	record HugeBody(int bytes) implements ExportOutcome {
	}

	/** HTTP 200 with a valid body sent one byte per interval. */
	record TricklingBody(Duration byteInterval) implements ExportOutcome {
	}

	/**
	 * The start of an HTTP 200 response, then a TCP reset: the spans or log records
	 * arrived, the client never learns it.
	 */
	record ResetDuringResponse() implements ExportOutcome {
	}

}
