package io.github.otelexport.testkit;

import java.time.Duration;
import java.util.Map;

import io.grpc.Status;

/**
 * The receiver's answer to one export request, independent of the transport.
 *
 * @author otel-export authors
 */
sealed interface ExportOutcome {

	/**
	 * Whether the answer counts the request's spans (all but the rejected ones) as
	 * received.
	 * @return whether the request was accepted
	 */
	default boolean accepted() {
		return true;
	}

	/**
	 * How many of the request's spans the answer rejects.
	 * @return the number of rejected spans
	 */
	default int rejectedSpans() {
		return 0;
	}

	/** Success, possibly partial. */
	record Success(int rejectedSpans, String message) implements ExportOutcome {

		static final Success FULL = new Success(0, "");

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
	 * The start of an HTTP 200 response, then a TCP reset: the spans arrived, the client
	 * never learns it.
	 */
	record ResetDuringResponse() implements ExportOutcome {
	}

}
