package io.github.otelexport.export.transport;

import java.io.IOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.ConnectionSpec;
import okhttp3.Dispatcher;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * OTLP/gRPC unary {@code TraceService/Export} and {@code LogsService/Export} over
 * OkHttp's HTTP/2: cleartext with prior knowledge, or TLS with ALPN. OkHttp does the
 * HTTP/2; this class does the gRPC on top (framing, {@code grpc-timeout},
 * {@code grpc-encoding}, the status from the headers of a trailers-only response or from
 * the trailers) and gives OkHttp sockets with {@code TCP_NODELAY}.
 * <p>
 * Each call is bounded end to end by OkHttp's call timeout, reading the body included;
 * the body is read up to {@link OtlpResponse#MAX_BODY_BYTES}. Calls run on at most
 * {@value #MAX_CALLS} threads of the transport's own, which end when idle and are given
 * back by {@link #close()}.
 *
 * @author otel-export authors
 */
final class GrpcTransport implements OtlpTransport {

	/** Calls beyond this many at once wait, untimed, until one ends. */
	static final int MAX_CALLS = 16;

	private static final MediaType GRPC = MediaType.get("application/grpc");

	private static final String GRPC_STATUS = "grpc-status";

	private static final int GRPC_UNKNOWN = 2;

	private static final Duration IDLE_THREAD_TIMEOUT = Duration.ofSeconds(30);

	private final TransportSettings settings;

	private final Map<Signal, String> urls = new EnumMap<>(Signal.class);

	private final String timeout;

	private final ThreadPoolExecutor executor;

	private final OkHttpClient client;

	private final InFlight inFlight = new InFlight();

	private final TransportThreads threads;

	GrpcTransport(TransportSettings settings) {
		this.threads = new TransportThreads("grpc");
		this.settings = settings;
		for (Signal signal : Signal.values()) {
			this.urls.put(signal, settings.grpcEndpoint(signal).resolve(signal.grpcMethodPath()).toString());
		}
		this.timeout = GrpcWire.timeout(settings.timeout());
		this.executor = new ThreadPoolExecutor(MAX_CALLS, MAX_CALLS, IDLE_THREAD_TIMEOUT.toMillis(),
				TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), this.threads);
		this.executor.allowCoreThreadTimeOut(true);
		Dispatcher dispatcher = new Dispatcher(this.executor);
		dispatcher.setMaxRequests(MAX_CALLS);
		dispatcher.setMaxRequestsPerHost(MAX_CALLS);
		OkHttpClient.Builder builder = new OkHttpClient.Builder().dispatcher(dispatcher)
			.connectionPool(new ConnectionPool())
			.socketFactory(new NoDelaySocketFactory())
			.callTimeout(settings.timeout())
			.connectTimeout(settings.connectTimeout())
			.readTimeout(settings.timeout())
			.writeTimeout(settings.timeout())
			.followRedirects(false)
			.followSslRedirects(false);
		if (settings.isTls()) {
			// OkHttp needs HTTP/1.1 in the list; ALPN picks HTTP/2 with a gRPC server
			builder.protocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1));
			SSLContext sslContext = ProbeTlsContext.of(settings.tls());
			if (sslContext != null) {
				builder.sslSocketFactory(sslContext.getSocketFactory(), ProbeTlsContext.trustManager(settings.tls()));
			}
		}
		else {
			builder.protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE)).connectionSpecs(List.of(ConnectionSpec.CLEARTEXT));
		}
		this.client = builder.build();
	}

	@Override
	public CompletableFuture<OtlpResponse> send(Signal signal, byte[] request) {
		CompletableFuture<OtlpResponse> result = this.inFlight.start();
		if (result.isDone()) {
			return result;
		}
		try {
			Call call = this.client.newCall(request(signal, request));
			result.whenComplete((response, failure) -> {
				if (failure != null) {
					call.cancel();
				}
			});
			call.enqueue(new Callback() {

				@Override
				public void onFailure(Call call, IOException failure) {
					result.completeExceptionally(failure);
				}

				@Override
				public void onResponse(Call call, Response response) {
					try (response) {
						result.complete(response(response));
					}
					catch (IOException | RuntimeException ex) {
						result.completeExceptionally(ex);
					}
				}

			});
		}
		catch (RuntimeException ex) {
			// a header OkHttp refuses
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
		this.client.dispatcher().cancelAll();
		this.executor.shutdownNow();
		this.client.connectionPool().evictAll();
	}

	private Request request(Signal signal, byte[] request) {
		boolean gzip = this.settings.gzip();
		byte[] framed = GrpcWire.frame(gzip ? Gzip.compress(request) : request, gzip);
		Request.Builder builder = new Request.Builder().url(this.urls.get(signal))
			.post(RequestBody.create(framed, GRPC))
			.header("te", "trailers")
			.header("grpc-timeout", this.timeout);
		if (gzip) {
			builder.header("grpc-encoding", "gzip");
		}
		// answers may come compressed too; unframe expands them, within the body limit
		builder.header("grpc-accept-encoding", "gzip");
		this.settings.headers().forEach(builder::addHeader);
		return builder.build();
	}

	/**
	 * Read the body (up to the limit), then the status: from the headers of a
	 * trailers-only response, else from the trailers that follow the body.
	 */
	private OtlpResponse response(Response response) throws IOException {
		BufferedSource source = response.body().source();
		boolean cut = source.request(OtlpResponse.MAX_BODY_BYTES + 1L);
		byte[] raw = source.readByteArray(Math.min(source.getBuffer().size(), OtlpResponse.MAX_BODY_BYTES));
		if (cut) {
			// the status is in the trailers after the body: read the rest a segment at a
			// time and forget it, so memory stays bounded and the call's deadline bounds
			// the time
			while (source.request(1)) {
				source.getBuffer().clear();
			}
		}
		Headers headers = response.headers();
		Headers trailers = response.trailers();
		Headers status = (headers.get(GRPC_STATUS) != null) ? headers : trailers;
		String contentType = headers.get("content-type");
		boolean grpcBody = contentType != null && contentType.startsWith("application/grpc");
		OtlpResponse.Builder builder = OtlpResponse.grpc(response.code())
			.headers(headers.toMultimap())
			.trailers(trailers.toMultimap())
			.body(grpcBody ? GrpcWire.unframe(raw, headers.get("grpc-encoding")) : raw, cut);
		String code = status.get(GRPC_STATUS);
		if (code == null) {
			// not a gRPC server's answer (a proxy's error page)
			return builder.message(grpcBody ? "" : ErrorBody.message(contentType, raw)).build();
		}
		RpcStatus details = RpcStatus.fromHeader(status.get("grpc-status-details-bin"));
		String message = status.get("grpc-message");
		return builder.grpcStatus(statusCode(code))
			.message((message != null) ? GrpcWire.decodeMessage(message) : details.message())
			.retryAfter(details.retryDelay())
			.build();
	}

	private static int statusCode(String value) {
		try {
			return Integer.parseInt(value.trim());
		}
		catch (NumberFormatException ex) {
			return GRPC_UNKNOWN;
		}
	}

	/**
	 * Return the HTTP/2 client. Visible for testing.
	 * @return the client
	 */
	OkHttpClient client() {
		return this.client;
	}

	/**
	 * Return how the names of this transport's threads start. Visible for testing.
	 * @return the prefix
	 */
	String threadNamePrefix() {
		return this.threads.prefix();
	}

}
