package io.github.otelexport.testkit;

import java.time.Duration;
import java.util.Map;

import io.grpc.Status;

/**
 * How the receiver answers the next requests; exactly one fault is active at a time.
 *
 * @author otel-export authors
 */
sealed interface Fault {

	/** Normal operation. */
	Fault ACCEPT = new Accept();

	/** Answer normally. */
	record Accept() implements Fault {
	}

	/** Close the listening sockets so that connecting is refused. */
	record RefuseConnections() implements Fault {
	}

	/** Present a server certificate signed by a CA that clients do not trust. */
	record UntrustedCertificate() implements Fault {
	}

	/** Reset (TCP RST) every connection as soon as request bytes arrive. */
	record ResetConnections() implements Fault {
	}

	/**
	 * Answer HTTP requests with a status and extra headers, such as {@code Retry-After}.
	 */
	record HttpStatus(int status, Map<String, String> headers) implements Fault {
	}

	/** Answer gRPC requests with a status, optionally with a {@code RetryInfo} delay. */
	record GrpcStatus(Status.Code code, Duration retryDelay) implements Fault {
	}

	/** Accept all but some spans or log records of each request and say why. */
	record PartialSuccess(int rejectedItems, String message) implements Fault {
	}

	/** Answer HTTP requests with 200 and a body that is not protobuf. */
	record Garbage() implements Fault {
	}

	/** Answer HTTP requests with 200 and a (valid) body of the given size. */
	record HugeBody(int bytes) implements Fault {
	}

	/** Answer gRPC requests with OK and a (valid) response message of the given size. */
	record HugeGrpcMessage(int bytes) implements Fault {
	}

	/** Answer HTTP requests with 200 and a body sent one byte at a time. */
	record TricklingBody(Duration byteInterval) implements Fault {
	}

	/** Answer HTTP requests with the start of a response, then reset the connection. */
	record ResetDuringResponse() implements Fault {
	}

}
