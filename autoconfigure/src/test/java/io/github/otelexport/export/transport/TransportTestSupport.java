package io.github.otelexport.export.transport;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Settings, waiting and thread counting shared by the transport tests.
 *
 * @author otel-export authors
 */
final class TransportTestSupport {

	/**
	 * Long enough for a loaded build machine, short enough to keep deadline tests quick.
	 */
	static final Duration TIMEOUT = Duration.ofSeconds(10);

	static final Map<String, String> HEADERS = Map.of("x-api-key", "k3y-for-tests");

	private TransportTestSupport() {
	}

	static TransportSettings settings(String endpoint) {
		return settings(endpoint, TIMEOUT, false, TlsSettings.none());
	}

	static TransportSettings settings(String endpoint, Duration timeout, boolean gzip, TlsSettings tls) {
		return new TransportSettings(URI.create(endpoint), HEADERS, timeout, Duration.ofSeconds(5), gzip, tls);
	}

	/**
	 * Wait for a response; the transport's own deadline ends every attempt long before.
	 */
	static OtlpResponse response(CompletableFuture<OtlpResponse> attempt)
			throws InterruptedException, ExecutionException, TimeoutException {
		return attempt.get(30, TimeUnit.SECONDS);
	}

	/**
	 * Return the failure of an attempt, which must fail.
	 */
	static Throwable failure(CompletableFuture<OtlpResponse> attempt) throws InterruptedException, TimeoutException {
		try {
			OtlpResponse response = attempt.get(30, TimeUnit.SECONDS);
			throw new AssertionError("Expected the attempt to fail, but it got " + response);
		}
		catch (ExecutionException ex) {
			return ex.getCause();
		}
	}

	/**
	 * Return the live threads of one transport; other tests' transports may still be
	 * idling out in the same JVM.
	 */
	static List<Thread> transportThreads(OtlpTransport transport) {
		String prefix = (transport instanceof HttpTransport http) ? http.threadNamePrefix()
				: ((GrpcTransport) transport).threadNamePrefix();
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter(Thread::isAlive)
			.filter((thread) -> thread.getName().startsWith(prefix))
			.toList();
	}

}
