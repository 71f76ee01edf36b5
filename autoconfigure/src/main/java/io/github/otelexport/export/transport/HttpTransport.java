package io.github.otelexport.export.transport;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;

/**
 * OTLP http/protobuf over the JDK {@link HttpClient}, which sets {@code TCP_NODELAY}.
 * <p>
 * Every attempt is bounded end to end: a timer fails it when the timeout passes, whether
 * the server has not answered, or answers and then trickles its body (the JDK's own
 * request timeout stops at the response headers). The body is read without blocking a
 * thread and at most {@link OtlpResponse#MAX_BODY_BYTES} of it. The client runs on two
 * threads of its own, which also run the timers, end when idle and are given back by
 * {@link #close()}.
 *
 * @author otel-export authors
 */
final class HttpTransport implements OtlpTransport {

	private static final String PROTOBUF = "application/x-protobuf";

	private static final int THREADS = 2;

	private static final Duration IDLE_THREAD_TIMEOUT = Duration.ofSeconds(30);

	private final TransportSettings settings;

	/**
	 * Where each signal's requests go; a signal without one fails its sends with why.
	 */
	private final Map<Signal, URI> urls = new EnumMap<>(Signal.class);

	private final Map<Signal, String> missingUrls = new EnumMap<>(Signal.class);

	private final Clock clock;

	private final ScheduledThreadPoolExecutor executor;

	/**
	 * Dropped by {@link #close()}: on Java 17 the client cannot be closed, and its
	 * selector thread ends only once nothing refers to it any more.
	 */
	private volatile HttpClient client;

	private final InFlight inFlight = new InFlight();

	private final TransportThreads threads;

	HttpTransport(TransportSettings settings, Clock clock) {
		this.threads = new TransportThreads("http");
		this.settings = settings;
		this.clock = clock;
		for (Signal signal : Signal.values()) {
			try {
				this.urls.put(signal, settings.httpEndpoint(signal));
			}
			catch (IllegalStateException ex) {
				// a trace-only destination with a path of its own still sends spans
				this.missingUrls.put(signal, ex.getMessage());
			}
		}
		this.executor = new ScheduledThreadPoolExecutor(THREADS, this.threads);
		this.executor.setRemoveOnCancelPolicy(true);
		this.executor.setKeepAliveTime(IDLE_THREAD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		this.executor.allowCoreThreadTimeOut(true);
		HttpClient.Builder builder = HttpClient.newBuilder()
			.executor(this.executor)
			.connectTimeout(settings.connectTimeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			// HTTP/2 only where ALPN negotiates it: no h2c upgrade attempts in cleartext
			.version(settings.isTls() ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1);
		SSLContext sslContext = settings.isTls() ? ProbeTlsContext.of(settings.tls()) : null;
		if (sslContext != null) {
			builder.sslContext(sslContext);
		}
		this.client = builder.build();
	}

	@Override
	public CompletableFuture<OtlpResponse> send(Signal signal, byte[] request) {
		URI url = this.urls.get(signal);
		if (url == null) {
			return CompletableFuture.failedFuture(new MalformedURLException(this.missingUrls.get(signal)));
		}
		CompletableFuture<OtlpResponse> result = this.inFlight.start();
		if (result.isDone()) {
			return result;
		}
		try {
			HttpRequest httpRequest = request(url, request);
			ScheduledFuture<?> deadline = this.executor.schedule(
					() -> result.completeExceptionally(new HttpTimeoutException(
							"No complete response within the timeout of " + this.settings.timeout())),
					this.settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
			result.whenComplete((response, failure) -> deadline.cancel(false));
			AtomicReference<CappedBodySubscriber> body = new AtomicReference<>();
			HttpClient client = this.client;
			if (client == null) {
				throw new IllegalStateException("The transport is closed");
			}
			CompletableFuture<HttpResponse<CappedBodySubscriber.Body>> exchange = client.sendAsync(httpRequest,
					(info) -> {
						CappedBodySubscriber subscriber = new CappedBodySubscriber(OtlpResponse.MAX_BODY_BYTES);
						body.set(subscriber);
						return subscriber;
					});
			exchange.whenComplete((response, failure) -> {
				if (failure != null) {
					result.completeExceptionally(unwrap(failure));
				}
				else {
					result.complete(response(response));
				}
			});
			result.whenComplete((response, failure) -> {
				if (failure != null) {
					// the deadline, or close(): stop the exchange wherever it is
					exchange.cancel(true);
					CappedBodySubscriber subscriber = body.get();
					if (subscriber != null) {
						subscriber.abort(failure);
					}
				}
			});
		}
		catch (RuntimeException ex) {
			// a header the client refuses, or the executor shut down by close()
			result.completeExceptionally(ex);
		}
		return result;
	}

	@Override
	public void close() {
		if (this.inFlight.isClosed()) {
			return;
		}
		this.inFlight.close();
		// Java 21 and later: the client ends its selector thread; on Java 17 it ends once
		// the client is garbage collected
		HttpClient client = this.client;
		this.client = null;
		if (client instanceof AutoCloseable closeable) {
			try {
				closeable.close();
			}
			catch (Exception ex) {
				// closing goes on with the threads
			}
		}
		this.executor.shutdownNow();
	}

	private HttpRequest request(URI url, byte[] request) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(url)
			.timeout(this.settings.timeout())
			.header("Content-Type", PROTOBUF);
		this.settings.headers().forEach(builder::header);
		if (this.settings.gzip()) {
			builder.header("Content-Encoding", "gzip");
			builder.POST(HttpRequest.BodyPublishers.ofByteArray(Gzip.compress(request)));
		}
		else {
			builder.POST(HttpRequest.BodyPublishers.ofByteArray(request));
		}
		return builder.build();
	}

	private OtlpResponse response(HttpResponse<CappedBodySubscriber.Body> response) {
		CappedBodySubscriber.Body body = response.body();
		int status = response.statusCode();
		boolean success = status >= 200 && status < 300;
		// the request never asks for compression, but a server may compress anyway
		byte[] bytes = "gzip".equalsIgnoreCase(response.headers().firstValue("content-encoding").orElse(null))
				? Gzip.decompress(body.bytes(), OtlpResponse.MAX_BODY_BYTES) : body.bytes();
		String message = success ? ""
				: ErrorBody.message(response.headers().firstValue("content-type").orElse(null), bytes);
		return OtlpResponse.http(status)
			.headers(response.headers().map())
			.body(bytes, body.cut())
			.message(message)
			.retryAfter(RetryAfter.parse(response.headers().firstValue("retry-after").orElse(null),
					response.headers().firstValue("date").orElse(null), this.clock))
			.build();
	}

	private static Throwable unwrap(Throwable failure) {
		return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
	}

	/**
	 * Return how the names of this transport's threads start. Visible for testing.
	 * @return the prefix
	 */
	String threadNamePrefix() {
		return this.threads.prefix();
	}

}
