package io.github.otelexport.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import io.grpc.Status;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * An in-process OTLP trace and log receiver for tests: OTLP/gRPC and OTLP/HTTP protobuf
 * on ephemeral loopback ports, optional TLS and mutual TLS, recordings of what arrived,
 * and faults that can be switched at any moment and are real at the socket level.
 * <p>
 * Spans and log records arrive on the same two ports ({@code TraceService} and
 * {@code LogsService} over gRPC, {@code /v1/traces} and {@code /v1/logs} over HTTP), are
 * recorded apart ({@link #spans()}, {@link #logRecords()}) and meet the same faults.
 * <p>
 * Each fault switch ({@link #refuseConnections()}, {@link #resetConnections()},
 * {@link #presentUntrustedCertificate()}, {@code respondWith...},
 * {@link #partialSuccess(int, String)}) replaces the previous fault. The
 * {@linkplain #delayResponses(Duration) delay} and the
 * {@linkplain #requireHeader(String, String) required header} combine with any fault and
 * stay until {@link #accept()} (or are cleared one by one). HTTP-only faults leave the
 * gRPC port answering normally, and gRPC-only faults leave the HTTP port answering
 * normally.
 *
 * @author otel-export authors
 */
public final class OtlpReceiver implements AutoCloseable {

	private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

	private static final AtomicInteger INSTANCES = new AtomicInteger();

	private final FaultState faults = new FaultState();

	private final Recordings recordings;

	private final NamedThreadFactory threads;

	private final CertificateAuthority certificates;

	private final ExportHandler handler;

	private OtlpGrpcServer grpcServer;

	private OtlpHttpServer httpServer;

	/** Started on the first {@link #presentUntrustedCertificate()}. */
	private UntrustedServers untrusted;

	private ConnectionGate grpcGate;

	private ConnectionGate httpGate;

	private boolean closed;

	private OtlpReceiver(boolean tls, boolean mutualTls, boolean keep) {
		this.recordings = new Recordings(keep);
		this.handler = new ExportHandler(this.faults, this.recordings);
		this.threads = new NamedThreadFactory(Integer.toString(INSTANCES.incrementAndGet()));
		this.certificates = tls ? CertificateAuthority.generate() : null;
		try {
			this.grpcServer = new OtlpGrpcServer(LOOPBACK, new OtlpGrpcServices(this.handler), this.certificates,
					mutualTls, this.threads);
			this.httpServer = new OtlpHttpServer(LOOPBACK, this.handler,
					tls ? this.certificates.serverSslContext() : null, mutualTls, this.threads);
			this.grpcGate = new ConnectionGate(LOOPBACK, this.grpcServer.port(), this.faults::resetting, this.threads);
			this.httpGate = new ConnectionGate(LOOPBACK, this.httpServer.port(), this.faults::resetting, this.threads);
			this.grpcGate.open();
			this.httpGate.open();
		}
		catch (IOException ex) {
			close();
			throw new UncheckedIOException("Cannot start the OTLP receiver", ex);
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
	}

	/**
	 * Start a plaintext receiver speaking both protocols.
	 * @return the started receiver
	 */
	public static OtlpReceiver start() {
		return builder().build();
	}

	/**
	 * Return a builder for a receiver with TLS or mutual TLS.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Return the gRPC endpoint, such as {@code http://127.0.0.1:41234} ({@code https://}
	 * with TLS).
	 * @return the gRPC endpoint
	 */
	public String grpcEndpoint() {
		return scheme() + "://" + LOOPBACK.getHostAddress() + ":" + grpcPort();
	}

	/**
	 * Return the HTTP endpoint for spans, such as
	 * {@code http://127.0.0.1:41235/v1/traces} ({@code https://} with TLS).
	 * @return the HTTP endpoint for spans
	 * @see #httpEndpoint(Signal)
	 */
	public String httpEndpoint() {
		return httpEndpoint(Signal.TRACES);
	}

	/**
	 * Return the HTTP endpoint for a signal, such as
	 * {@code http://127.0.0.1:41235/v1/logs} for {@link Signal#LOGS} ({@code https://}
	 * with TLS).
	 * @param signal the signal
	 * @return the HTTP endpoint for that signal
	 */
	public String httpEndpoint(Signal signal) {
		Objects.requireNonNull(signal, "signal must not be null");
		return scheme() + "://" + LOOPBACK.getHostAddress() + ":" + httpPort() + signal.httpPath();
	}

	/**
	 * Return the gRPC port; it stays the same while connections are refused.
	 * @return the gRPC port
	 */
	public int grpcPort() {
		return this.grpcGate.port();
	}

	/**
	 * Return the HTTP port; it stays the same while connections are refused.
	 * @return the HTTP port
	 */
	public int httpPort() {
		return this.httpGate.port();
	}

	/**
	 * Return whether the receiver uses TLS.
	 * @return whether the receiver uses TLS
	 */
	public boolean isTls() {
		return this.certificates != null;
	}

	/**
	 * Return the receiver's CA certificate, which a client trusts to reach it over TLS.
	 * @return the PEM bytes
	 * @throws IllegalStateException if the receiver does not use TLS
	 */
	public byte[] caCertificatePem() {
		return tls().caCertificatePem();
	}

	/**
	 * Return a file holding the receiver's CA certificate (PEM).
	 * @return the file, deleted on {@link #close()}
	 * @throws IllegalStateException if the receiver does not use TLS
	 */
	public Path caCertificateFile() {
		return tls().caCertificateFile();
	}

	/**
	 * Return a client certificate signed by the receiver's CA, for mutual TLS.
	 * @return the PEM bytes
	 * @throws IllegalStateException if the receiver does not use TLS
	 */
	public byte[] clientCertificatePem() {
		return tls().clientCertificatePem();
	}

	/**
	 * Return the private key of the {@linkplain #clientCertificatePem() client
	 * certificate}.
	 * @return the PEM bytes (PKCS#8)
	 * @throws IllegalStateException if the receiver does not use TLS
	 */
	public byte[] clientKeyPem() {
		return tls().clientKeyPem();
	}

	/**
	 * Return a file holding the client certificate (PEM).
	 * @return the file, deleted on {@link #close()}
	 * @throws IllegalStateException if the receiver does not use TLS
	 */
	public Path clientCertificateFile() {
		return tls().clientCertificateFile();
	}

	/**
	 * Return a file holding the client certificate's private key (PEM, PKCS#8).
	 * @return the file, deleted on {@link #close()}
	 * @throws IllegalStateException if the receiver does not use TLS
	 */
	public Path clientKeyFile() {
		return tls().clientKeyFile();
	}

	/**
	 * Return the number of spans accepted (a partial success counts the spans it did not
	 * reject).
	 * @return the number of spans accepted
	 */
	public int spanCount() {
		return this.recordings.spanCount();
	}

	/**
	 * Return the accepted spans in arrival order.
	 * @return an immutable copy
	 */
	public List<Span> spans() {
		return this.recordings.spans();
	}

	/**
	 * Return the accepted spans grouped by lower-case hex trace id, in arrival order.
	 * @return an immutable copy
	 */
	public Map<String, List<Span>> spansByTraceId() {
		return this.recordings.spansByTraceId();
	}

	/**
	 * Return the number of log records accepted (a partial success counts the log records
	 * it did not reject).
	 * @return the number of log records accepted
	 */
	public int logRecordCount() {
		return this.recordings.logRecordCount();
	}

	/**
	 * Return the accepted log records in arrival order.
	 * @return an immutable copy
	 */
	public List<LogRecord> logRecords() {
		return this.recordings.logRecords();
	}

	/**
	 * Return the accepted log records that carry a trace id, grouped by lower-case hex
	 * trace id, in arrival order; log records emitted outside a span are left out.
	 * @return an immutable copy
	 */
	public Map<String, List<LogRecord>> logRecordsByTraceId() {
		return this.recordings.logRecordsByTraceId();
	}

	/**
	 * Return every request seen on either port, of every signal, including rejected ones.
	 * Requests cut off by {@link #resetConnections()} never reach the receiver and are
	 * not listed.
	 * @return an immutable copy
	 * @see #requests(Signal)
	 */
	public List<ReceivedRequest> requests() {
		return this.recordings.requests();
	}

	/**
	 * Return the {@linkplain #requests() requests} sent for one signal, including
	 * rejected ones; an HTTP request to a path that serves no signal is in none of them.
	 * @param signal the signal
	 * @return an immutable copy
	 */
	public List<ReceivedRequest> requests(Signal signal) {
		Objects.requireNonNull(signal, "signal must not be null");
		return this.recordings.requests().stream().filter((request) -> request.signal() == signal).toList();
	}

	/**
	 * Return the number of {@linkplain #requests() requests} seen.
	 * @return the number of requests
	 */
	public int requestCount() {
		return this.recordings.requestCount();
	}

	/**
	 * Forget every recorded request, span and log record; the behaviour is unchanged.
	 */
	public void clear() {
		this.recordings.clear();
	}

	/**
	 * Answer normally again: no fault, no delay, no required header, and listening on the
	 * same ports.
	 */
	public synchronized void accept() {
		this.faults.update((behaviour) -> Behaviour.NORMAL);
		route(Fault.ACCEPT);
		listen(true);
	}

	/**
	 * Close the listening sockets (and open connections) so that clients get "connection
	 * refused"; {@link #accept()} or any other fault listens again on the same ports.
	 */
	public void refuseConnections() {
		fault(new Fault.RefuseConnections());
	}

	/**
	 * Hold every response back for a while; combines with the active fault.
	 * @param delay the delay, {@link Duration#ZERO} for none
	 */
	public void delayResponses(Duration delay) {
		Objects.requireNonNull(delay, "delay must not be null");
		if (delay.isNegative()) {
			throw new IllegalArgumentException("delay must not be negative but was " + delay);
		}
		checkOpen();
		this.faults.update((behaviour) -> behaviour.withDelay(delay));
	}

	/**
	 * Require a header on every request: HTTP 401 or gRPC {@code UNAUTHENTICATED} when it
	 * is missing or has another value. Like some real backends, the error message (the
	 * HTTP body's, the gRPC status description) echoes the refused value, so that a
	 * client can be tested not to repeat it in its own logs. Stays until
	 * {@link #accept()} or {@link #clearRequiredHeader()}.
	 * @param name the header name, in any case
	 * @param value the exact value
	 */
	public void requireHeader(String name, String value) {
		requireHeader(name, value, UnaryOperator.identity());
	}

	/**
	 * Require a header as {@link #requireHeader(String, String)} does, with an error
	 * message that echoes the refused value in another form, as backends do: lower-cased,
	 * URL-encoded, JSON-escaped. A client can then be tested not to repeat it in any of
	 * them.
	 * @param name the header name, in any case
	 * @param value the exact value
	 * @param echo turns the refused value into the form the message shows, such as
	 * {@code (refused) -> refused.toLowerCase(Locale.ROOT)}
	 */
	public void requireHeader(String name, String value, UnaryOperator<String> echo) {
		Objects.requireNonNull(name, "name must not be null");
		Objects.requireNonNull(value, "value must not be null");
		Objects.requireNonNull(echo, "echo must not be null");
		checkOpen();
		this.faults.update((behaviour) -> behaviour.withRequiredHeader(name.toLowerCase(Locale.ROOT), value, echo));
	}

	/**
	 * Stop requiring a header.
	 */
	public void clearRequiredHeader() {
		this.faults.update((behaviour) -> behaviour.withRequiredHeader(null, null, UnaryOperator.identity()));
	}

	/**
	 * Answer HTTP requests with a status (the gRPC port answers normally). The body is a
	 * {@code google.rpc.Status}, as the OTLP specification asks.
	 * @param status the HTTP status from 300 to 599, such as 400, 413, 429, 503
	 */
	public void respondWithHttpStatus(int status) {
		respondWithHttpStatus(status, Map.of());
	}

	/**
	 * Answer HTTP requests with a status and a {@code Retry-After} header in seconds.
	 * @param status the HTTP status from 300 to 599, such as 429 or 503
	 * @param retryAfter the delay to advertise (rounded up to seconds), or {@code null}
	 */
	public void respondWithHttpStatus(int status, Duration retryAfter) {
		respondWithHttpStatus(status, (retryAfter != null)
				? Map.of("Retry-After", Long.toString((retryAfter.toMillis() + 999) / 1000)) : Map.of());
	}

	/**
	 * Answer HTTP requests with a status and extra response headers, such as a
	 * {@code Location} with a redirect or a {@code Retry-After} that is an HTTP-date.
	 * @param status the HTTP status from 300 to 599
	 * @param headers the headers, name to value, sent as given
	 */
	public void respondWithHttpStatus(int status, Map<String, String> headers) {
		if (status < 300 || status > 599) {
			throw new IllegalArgumentException("status must be between 300 and 599 but was " + status);
		}
		fault(new Fault.HttpStatus(status, Map.copyOf(headers)));
	}

	/**
	 * Answer gRPC requests with a status (the HTTP port answers normally).
	 * @param code the error status code, such as {@code UNAVAILABLE}
	 */
	public void respondWithGrpcStatus(Status.Code code) {
		respondWithGrpcStatus(code, null);
	}

	/**
	 * Answer gRPC requests with a status carrying a {@code google.rpc.RetryInfo} detail.
	 * @param code the status code, such as {@code RESOURCE_EXHAUSTED}
	 * @param retryDelay the retry delay to advertise, or {@code null} for none
	 */
	public void respondWithGrpcStatus(Status.Code code, Duration retryDelay) {
		Objects.requireNonNull(code, "code must not be null");
		if (code == Status.Code.OK) {
			throw new IllegalArgumentException("code must be an error; use accept() to answer normally");
		}
		fault(new Fault.GrpcStatus(code, retryDelay));
	}

	/**
	 * Serve one signal only, as a backend that implements a single OTLP service does
	 * (Jaeger's OTLP receiver takes traces only): requests of the other signal get HTTP
	 * 404 and gRPC {@code UNIMPLEMENTED} on both ports and are recorded as refused, while
	 * the signal served meets the active fault as usual. Stays until {@link #accept()} or
	 * {@code serveOnly(null)}.
	 * @param signal the signal to serve, or {@code null} to serve both again
	 */
	public void serveOnly(Signal signal) {
		checkOpen();
		this.faults.update((behaviour) -> behaviour.withServedOnly(signal));
	}

	/**
	 * Present, to every new TLS connection, a server certificate signed by another CA
	 * than {@link #caCertificatePem()}, so that a client trusting only the receiver's CA
	 * fails the handshake with a certificate path error. Open connections are closed so
	 * that pooled connections handshake again; {@link #accept()} (or another fault)
	 * presents the trusted certificate again, closing the open connections too.
	 * @throws IllegalStateException if the receiver does not use TLS
	 */
	public void presentUntrustedCertificate() {
		tls();
		fault(new Fault.UntrustedCertificate());
	}

	/**
	 * Reset (TCP RST) every connection, new or open, as soon as request bytes arrive.
	 */
	public void resetConnections() {
		fault(new Fault.ResetConnections());
	}

	/**
	 * Answer with an OTLP partial success on both ports: the last {@code rejected} spans
	 * or log records of each request are not recorded, and the response says so
	 * ({@code ExportTracePartialSuccess.rejected_spans},
	 * {@code ExportLogsPartialSuccess.rejected_log_records}).
	 * @param rejected how many spans or log records of each request to reject
	 * @param message the error message
	 */
	public void partialSuccess(int rejected, String message) {
		if (rejected < 0) {
			throw new IllegalArgumentException("rejected must not be negative but was " + rejected);
		}
		fault(new Fault.PartialSuccess(rejected, Objects.requireNonNullElse(message, "")));
	}

	/**
	 * Answer HTTP requests with 200 and a body that is not protobuf.
	 */
	public void respondWithGarbage() {
		fault(new Fault.Garbage());
	}

	/**
	 * Answer HTTP requests with 200 and a valid protobuf body of about {@code bytes}
	 * bytes.
	 * @param bytes the body size
	 */
	public void respondWithHugeBody(int bytes) {
		if (bytes < 0) {
			throw new IllegalArgumentException("bytes must not be negative but was " + bytes);
		}
		fault(new Fault.HugeBody(bytes));
	}

	/**
	 * Answer gRPC requests with {@code OK} and a valid response message of about
	 * {@code bytes} bytes (the HTTP port answers normally).
	 * @param bytes the message size
	 */
	public void respondWithHugeGrpcMessage(int bytes) {
		if (bytes < 0) {
			throw new IllegalArgumentException("bytes must not be negative but was " + bytes);
		}
		fault(new Fault.HugeGrpcMessage(bytes));
	}

	/**
	 * Answer HTTP requests with 200 and a valid body of 64 bytes, sent one byte per
	 * interval, as a backend stuck behind a slow link does. The spans or log records are
	 * recorded.
	 * @param byteInterval the pause after each byte
	 */
	public void respondWithTricklingBody(Duration byteInterval) {
		Objects.requireNonNull(byteInterval, "byteInterval must not be null");
		if (byteInterval.isNegative()) {
			throw new IllegalArgumentException("byteInterval must not be negative but was " + byteInterval);
		}
		fault(new Fault.TricklingBody(byteInterval));
	}

	/**
	 * Answer HTTP requests with the head and half the body of a 200 response, then reset
	 * the connection (TCP RST). The spans or log records are recorded: the backend got
	 * them, the client never learns it.
	 */
	public void resetDuringResponses() {
		fault(new Fault.ResetDuringResponse());
	}

	/**
	 * Stop both servers, free the ports, delete the certificate files and end every
	 * thread of the receiver. Idempotent.
	 */
	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.faults.close();
		closeQuietly(this.grpcGate);
		closeQuietly(this.httpGate);
		closeQuietly(this.grpcServer);
		closeQuietly(this.httpServer);
		closeQuietly(this.untrusted);
		closeQuietly(this.certificates);
		this.threads.joinAll(Duration.ofSeconds(5));
	}

	@Override
	public String toString() {
		return "OtlpReceiver[grpc=" + grpcEndpoint() + ", http=" + httpEndpoint() + "]";
	}

	private synchronized void fault(Fault fault) {
		checkOpen();
		this.faults.update((behaviour) -> behaviour.withFault(fault));
		route(fault);
		listen(!(fault instanceof Fault.RefuseConnections));
	}

	/**
	 * Send new connections to the servers with the untrusted certificate while that fault
	 * is on, to the real servers otherwise.
	 */
	private void route(Fault fault) {
		checkOpen();
		if (fault instanceof Fault.UntrustedCertificate) {
			if (this.untrusted == null) {
				this.untrusted = UntrustedServers.start(LOOPBACK, this.handler, this.threads);
			}
			this.grpcGate.forwardTo(this.untrusted.grpcPort());
			this.httpGate.forwardTo(this.untrusted.httpPort());
		}
		else {
			this.grpcGate.forwardTo(this.grpcServer.port());
			this.httpGate.forwardTo(this.httpServer.port());
		}
	}

	private void listen(boolean listen) {
		checkOpen();
		if (!listen) {
			this.grpcGate.refuse();
			this.httpGate.refuse();
			return;
		}
		try {
			this.grpcGate.open();
			this.httpGate.open();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot listen again on port " + grpcPort() + " or " + httpPort(), ex);
		}
	}

	private void checkOpen() {
		if (this.closed) {
			throw new IllegalStateException("The receiver is closed");
		}
	}

	private CertificateAuthority tls() {
		if (this.certificates == null) {
			throw new IllegalStateException(
					"The receiver does not use TLS; build it with OtlpReceiver.builder().tls()");
		}
		return this.certificates;
	}

	private String scheme() {
		return isTls() ? "https" : "http";
	}

	private static void closeQuietly(AutoCloseable closeable) {
		if (closeable == null) {
			return;
		}
		try {
			closeable.close();
		}
		catch (Exception ex) {
			// closing must go on for the other parts
		}
	}

	/**
	 * Builds and starts an {@link OtlpReceiver}.
	 */
	public static final class Builder {

		private boolean tls;

		private boolean mutualTls;

		private boolean countOnly;

		private Builder() {
		}

		/**
		 * Count requests, spans and log records without keeping them, for load tests and
		 * benchmarks whose receiver would otherwise hold millions of them:
		 * {@link OtlpReceiver#spans()}, {@link OtlpReceiver#logRecords()}, their
		 * {@code ...ByTraceId()} views and {@link OtlpReceiver#requests()} stay empty,
		 * {@link OtlpReceiver#spanCount()}, {@link OtlpReceiver#logRecordCount()} and
		 * {@link OtlpReceiver#requestCount()} count.
		 * @return this builder
		 */
		public Builder countOnly() {
			this.countOnly = true;
			return this;
		}

		/**
		 * Serve TLS on both ports with a certificate signed by a generated CA.
		 * @return this builder
		 */
		public Builder tls() {
			this.tls = true;
			return this;
		}

		/**
		 * Serve TLS and require a client certificate signed by the generated CA.
		 * @return this builder
		 */
		public Builder mutualTls() {
			this.tls = true;
			this.mutualTls = true;
			return this;
		}

		/**
		 * Start the receiver.
		 * @return the started receiver
		 */
		public OtlpReceiver build() {
			return new OtlpReceiver(this.tls, this.mutualTls, !this.countOnly);
		}

	}

}
