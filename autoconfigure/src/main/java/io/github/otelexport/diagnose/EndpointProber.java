package io.github.otelexport.diagnose;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import io.github.otelexport.export.ExportErrorClassifier;
import io.github.otelexport.export.SystemTime;
import io.github.otelexport.export.transport.Endpoints;
import io.github.otelexport.export.transport.OtlpRequestEncoder;
import io.github.otelexport.export.transport.OtlpResponse;
import io.github.otelexport.export.transport.OtlpTransport;
import io.github.otelexport.stats.ExportErrorCategory;
import io.github.otelexport.stats.ExportFailure;

/**
 * Diagnoses an export endpoint step by step: DNS resolution, TCP connection, TLS
 * handshake (https only) and an empty OTLP export request through a transport configured
 * like the pipeline's. Each step has its own time budget; after a failed step the later
 * ones are skipped.
 * <p>
 * Probing opens real connections and may take up to four budgets, so it never runs on a
 * request or health-check path unless an operator asks for it.
 *
 * @author otel-export authors
 */
public final class EndpointProber {

	private static final String DNS = "dns";

	private static final String TCP = "tcp";

	private static final String TLS = "tls";

	private static final String OTLP = "otlp";

	private static final byte[] EMPTY_REQUEST = OtlpRequestEncoder.spans(List.of());

	private static final byte[] HTTP2_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

	private static final byte HTTP2_SETTINGS = 0x4;

	/**
	 * What an HTTP/1.1 request to a port that speaks HTTP/2 only fails with: the
	 * connection is closed, or what comes back is no HTTP/1.1 answer.
	 */
	private static final Set<ExportErrorCategory> CLOSED_WITHOUT_ANSWER = EnumSet.of(ExportErrorCategory.UNAVAILABLE,
			ExportErrorCategory.UNKNOWN, ExportErrorCategory.INVALID_ENDPOINT);

	private final Duration stepBudget;

	private final ExportErrorClassifier classifier;

	private final Clock clock;

	private final LongSupplier nanoTime;

	/**
	 * Create a prober.
	 * @param stepBudget the longest time each step may take
	 * @param classifier classifies the failure of a step
	 */
	public EndpointProber(Duration stepBudget, ExportErrorClassifier classifier) {
		this(stepBudget, classifier, SystemTime.CLOCK, SystemTime.TICKER);
	}

	/**
	 * Create a prober with the given time sources (visible for testing).
	 * @param stepBudget the longest time each step may take
	 * @param classifier classifies the failure of a step
	 * @param clock tells when a diagnosis starts
	 * @param nanoTime measures step durations
	 */
	EndpointProber(Duration stepBudget, ExportErrorClassifier classifier, Clock clock, LongSupplier nanoTime) {
		this.stepBudget = stepBudget;
		this.classifier = classifier;
		this.clock = clock;
		this.nanoTime = nanoTime;
	}

	/**
	 * Diagnose one endpoint.
	 * @param target the endpoint and how to build an exporter for it
	 * @return the result of every step
	 */
	public EndpointDiagnosis probe(ProbeTarget target) {
		Instant timestamp = this.clock.instant();
		String endpoint = Endpoints.sanitize(target.endpoint());
		List<ProbeStep> steps = new ArrayList<>();
		URI uri = parse(target.endpoint());
		if (uri == null) {
			steps.add(ProbeStep.failed(DNS, Duration.ZERO, ExportErrorCategory.INVALID_ENDPOINT, target,
					"Not an http:// or https:// URL with a host: " + endpoint));
			skipRest(steps, TCP, TLS, OTLP);
			return new EndpointDiagnosis(target.role(), endpoint, timestamp, steps);
		}
		boolean https = "https".equals(uri.getScheme().toLowerCase(Locale.ROOT));
		int port = (uri.getPort() != -1) ? uri.getPort() : (https ? 443 : 80);
		long start = this.nanoTime.getAsLong();
		InetAddress address;
		try {
			address = resolve(uri.getHost());
			steps.add(ProbeStep.passed(DNS, since(start), uri.getHost() + " -> " + address.getHostAddress()));
		}
		catch (Exception ex) {
			steps.add(failed(DNS, start, ex, target));
			skipRest(steps, TCP, TLS, OTLP);
			return new EndpointDiagnosis(target.role(), endpoint, timestamp, steps);
		}
		if (!connect(steps, address, uri.getHost(), port, https, target)) {
			skipRest(steps, OTLP);
			return new EndpointDiagnosis(target.role(), endpoint, timestamp, steps);
		}
		steps.add(export(target, address, port, https));
		return new EndpointDiagnosis(target.role(), endpoint, timestamp, steps);
	}

	private ProbeStep noAnswer(ProbeStep otlp, ProbeTarget target, InetAddress address, int port, boolean https) {
		if (https || !CLOSED_WITHOUT_ANSWER.contains(otlp.category()) || !speaksOnlyHttp2(address, port)) {
			return otlp;
		}
		return ProbeStep.failed(OTLP, otlp.duration(), ExportErrorCategory.INVALID_ENDPOINT, target,
				"The port speaks HTTP/2 only, as a gRPC port (the Collector's 4317) does, and closed the "
						+ "http/protobuf request without an answer: set " + target.role().property("protocol")
						+ "=grpc for this port, or use the http/protobuf port (the Collector's 4318) with the "
						+ "path /v1/traces (" + otlp.detail() + ")");
	}

	/**
	 * Send the HTTP/2 connection preface and an empty SETTINGS frame, as a gRPC client
	 * does over cleartext, and see whether the server answers with a SETTINGS frame.
	 */
	private boolean speaksOnlyHttp2(InetAddress address, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(address, port), budgetMillis());
			socket.setSoTimeout(budgetMillis());
			OutputStream out = socket.getOutputStream();
			out.write(HTTP2_PREFACE);
			out.write(new byte[] { 0, 0, 0, HTTP2_SETTINGS, 0, 0, 0, 0, 0 });
			out.flush();
			byte[] frameHeader = socket.getInputStream().readNBytes(9);
			return frameHeader.length == 9 && frameHeader[3] == HTTP2_SETTINGS;
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
	}

	private boolean connect(List<ProbeStep> steps, InetAddress address, String host, int port, boolean https,
			ProbeTarget target) {
		long start = this.nanoTime.getAsLong();
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(address, port), budgetMillis());
			steps.add(ProbeStep.passed(TCP, since(start), "connected to " + address.getHostAddress() + ":" + port));
			if (!https) {
				steps.add(ProbeStep.skipped(TLS, "plaintext endpoint (http://)"));
				return true;
			}
			return handshake(steps, socket, host, port, target);
		}
		catch (IOException | RuntimeException ex) {
			steps.add(failed(TCP, start, ex, target));
			skipRest(steps, TLS);
			return false;
		}
	}

	private boolean handshake(List<ProbeStep> steps, Socket socket, String host, int port, ProbeTarget target) {
		long start = this.nanoTime.getAsLong();
		try {
			SSLContext context = (target.sslContext() != null) ? target.sslContext() : SSLContext.getDefault();
			try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, host, port, false)) {
				SSLParameters parameters = tls.getSSLParameters();
				if (target.verifyHostname()) {
					parameters.setEndpointIdentificationAlgorithm("HTTPS");
				}
				tls.setSSLParameters(parameters);
				tls.setSoTimeout(budgetMillis());
				tls.startHandshake();
				steps.add(ProbeStep.passed(TLS, since(start),
						tls.getSession().getProtocol() + " " + tls.getSession().getCipherSuite()));
				return true;
			}
		}
		catch (Exception ex) {
			steps.add(failed(TLS, start, ex, target));
			return false;
		}
	}

	private ProbeStep export(ProbeTarget target, InetAddress address, int port, boolean https) {
		long start = this.nanoTime.getAsLong();
		CompletableFuture<OtlpResponse> sent = null;
		try {
			OtlpTransport transport = target.transport().get();
			sent = transport.send(EMPTY_REQUEST);
			OtlpResponse response = sent.get(budgetMillis(), TimeUnit.MILLISECONDS);
			if (!response.isSuccess()) {
				ExportFailure failure = this.classifier.classify(response);
				return ProbeStep.failed(OTLP, since(start), failure.category(), target,
						Endpoints.redact(failure.message()));
			}
			return ProbeStep.passed(OTLP, since(start), "an empty export request was accepted");
		}
		catch (TimeoutException ex) {
			sent.cancel(true);
			ExportFailure failure = this.classifier.timedOut(this.stepBudget);
			return ProbeStep.failed(OTLP, since(start), failure.category(), target, failure.message());
		}
		catch (ExecutionException ex) {
			// no answer at all: over cleartext, a port that speaks only HTTP/2 (a gRPC
			// port) closes an HTTP/1.1 request so
			return noAnswer(failed(OTLP, start, (ex.getCause() != null) ? ex.getCause() : ex, target), target, address,
					port, https);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			sent.cancel(true);
			return failed(OTLP, start, ex, target);
		}
		catch (RuntimeException ex) {
			return failed(OTLP, start, ex, target);
		}
	}

	/**
	 * Resolve on a short-lived daemon thread: the JDK resolver cannot be interrupted, so
	 * a slow DNS server must not hold the caller beyond the budget.
	 */
	private InetAddress resolve(String host) throws Exception {
		CompletableFuture<InetAddress> lookup = new CompletableFuture<>();
		Thread thread = new Thread(() -> {
			try {
				lookup.complete(InetAddress.getByName(host));
			}
			catch (Throwable ex) {
				lookup.completeExceptionally(ex);
			}
		}, "otel-export-probe-dns");
		thread.setDaemon(true);
		thread.start();
		try {
			return lookup.get(budgetMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof Exception cause) ? cause : ex;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw ex;
		}
		catch (TimeoutException ex) {
			throw new UnknownHostException(host + ": no answer from DNS within " + budgetMillis() + "ms");
		}
	}

	private ProbeStep failed(String step, long start, Throwable failure, ProbeTarget target) {
		ExportFailure classified = this.classifier.classify(failure);
		return ProbeStep.failed(step, since(start), classified.category(), target,
				Endpoints.redact(classified.message()));
	}

	private static void skipRest(List<ProbeStep> steps, String... names) {
		for (String name : names) {
			steps.add(ProbeStep.skipped(name, "an earlier step failed"));
		}
	}

	private Duration since(long start) {
		return Duration.ofNanos(this.nanoTime.getAsLong() - start);
	}

	private int budgetMillis() {
		return (int) Math.min(Integer.MAX_VALUE, Math.max(1, this.stepBudget.toMillis()));
	}

	private static URI parse(String endpoint) {
		if (endpoint == null) {
			return null;
		}
		try {
			URI uri = new URI(endpoint.trim());
			String scheme = uri.getScheme();
			boolean http = scheme != null && ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme));
			return (http && uri.getHost() != null) ? uri : null;
		}
		catch (URISyntaxException ex) {
			return null;
		}
	}

}
