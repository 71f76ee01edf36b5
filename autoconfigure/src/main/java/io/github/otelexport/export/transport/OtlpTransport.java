package io.github.otelexport.export.transport;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Sends one encoded OTLP export request to one destination and returns everything the
 * server answered. It never retries and never classifies: a response of any status
 * completes the future normally; a failure to get one (connection refused, timeout, TLS,
 * reset) completes it exceptionally with the real exception.
 *
 * @author otel-export authors
 */
public interface OtlpTransport extends AutoCloseable {

	/**
	 * Send a request of a signal to that signal's service (gRPC) or URL (http/protobuf).
	 * @param signal what the request carries
	 * @param request the encoded export request (see {@link OtlpRequestEncoder}); it is
	 * not changed and may be sent again
	 * @return the response, within the settings' timeout; failed with a
	 * {@link java.net.MalformedURLException} when the signal has no URL (see
	 * {@link TransportSettings#httpEndpoint(Signal)})
	 */
	CompletableFuture<OtlpResponse> send(Signal signal, byte[] request);

	/**
	 * Send a trace export request.
	 * @param request the encoded {@code ExportTraceServiceRequest}; it is not changed and
	 * may be sent again
	 * @return the response, within the settings' timeout
	 */
	default CompletableFuture<OtlpResponse> send(byte[] request) {
		return send(Signal.TRACES, request);
	}

	/**
	 * Fail the attempts still waiting for a response, close the connections and give the
	 * threads back. Idempotent; later sends fail at once.
	 */
	@Override
	void close();

	/**
	 * Return a transport for OTLP/gRPC.
	 * @param settings the settings
	 * @return the transport
	 */
	static OtlpTransport grpc(TransportSettings settings) {
		return new GrpcTransport(Objects.requireNonNull(settings, "settings must not be null"));
	}

	/**
	 * Return a transport for OTLP http/protobuf.
	 * @param settings the settings
	 * @param clock the clock an HTTP-date {@code Retry-After} is measured with when the
	 * response has no {@code Date}
	 * @return the transport
	 */
	static OtlpTransport httpProtobuf(TransportSettings settings, Clock clock) {
		return new HttpTransport(Objects.requireNonNull(settings, "settings must not be null"),
				Objects.requireNonNull(clock, "clock must not be null"));
	}

}
