package io.github.otelexport.export;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.MalformedURLException;
import java.net.NoRouteToHostException;
import java.net.ProtocolException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.UnknownServiceException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

import io.github.otelexport.export.transport.Endpoints;
import io.github.otelexport.export.transport.OtlpPartialSuccess;
import io.github.otelexport.export.transport.OtlpResponse;
import io.github.otelexport.export.transport.Signal;
import io.github.otelexport.stats.Durations;
import io.github.otelexport.stats.ExportErrorCategory;
import io.github.otelexport.stats.ExportFailure;
import io.opentelemetry.sdk.common.export.GrpcStatusCode;

/**
 * Turns what an export attempt failed with (an exception, an HTTP status, a gRPC status)
 * into an {@link ExportFailure}. The rules are data: status-code tables and an ordered
 * list of exception rules matched against the cause chain. Whether a failure is retryable
 * follows the OTLP specification, plus connection-level failures.
 *
 * @author otel-export authors
 */
public final class ExportErrorClassifier {

	private static final Map<Integer, ExportErrorCategory> HTTP_STATUS = Map.ofEntries(
			Map.entry(400, ExportErrorCategory.REJECTED), Map.entry(401, ExportErrorCategory.UNAUTHENTICATED),
			Map.entry(403, ExportErrorCategory.UNAUTHENTICATED), Map.entry(404, ExportErrorCategory.INVALID_ENDPOINT),
			Map.entry(405, ExportErrorCategory.INVALID_ENDPOINT), Map.entry(408, ExportErrorCategory.DEADLINE_EXCEEDED),
			Map.entry(413, ExportErrorCategory.RESOURCE_EXHAUSTED),
			Map.entry(415, ExportErrorCategory.INVALID_ENDPOINT),
			Map.entry(429, ExportErrorCategory.RESOURCE_EXHAUSTED), Map.entry(502, ExportErrorCategory.UNAVAILABLE),
			Map.entry(503, ExportErrorCategory.UNAVAILABLE), Map.entry(504, ExportErrorCategory.DEADLINE_EXCEEDED));

	private static final Set<Integer> RETRYABLE_HTTP = Set.of(429, 502, 503, 504);

	private static final Map<GrpcStatusCode, ExportErrorCategory> GRPC_STATUS = Map.of(GrpcStatusCode.DEADLINE_EXCEEDED,
			ExportErrorCategory.DEADLINE_EXCEEDED, GrpcStatusCode.UNAUTHENTICATED, ExportErrorCategory.UNAUTHENTICATED,
			GrpcStatusCode.PERMISSION_DENIED, ExportErrorCategory.UNAUTHENTICATED, GrpcStatusCode.RESOURCE_EXHAUSTED,
			ExportErrorCategory.RESOURCE_EXHAUSTED, GrpcStatusCode.UNIMPLEMENTED, ExportErrorCategory.INVALID_ENDPOINT,
			GrpcStatusCode.UNAVAILABLE, ExportErrorCategory.UNAVAILABLE, GrpcStatusCode.INVALID_ARGUMENT,
			ExportErrorCategory.REJECTED);

	private static final Set<GrpcStatusCode> RETRYABLE_GRPC = Collections
		.unmodifiableSet(EnumSet.of(GrpcStatusCode.CANCELLED, GrpcStatusCode.DEADLINE_EXCEEDED, GrpcStatusCode.ABORTED,
				GrpcStatusCode.OUT_OF_RANGE, GrpcStatusCode.UNAVAILABLE, GrpcStatusCode.DATA_LOSS));

	/**
	 * Matched in order against every throwable of the cause chain; the first rule with a
	 * match wins.
	 */
	private static final List<ExceptionRule> EXCEPTION_RULES = List.of(
			new ExceptionRule(UnknownHostException.class, ExportErrorCategory.UNKNOWN_HOST),
			// the JDK HttpClient's unresolvable host: a ConnectException caused by this
			new ExceptionRule(UnresolvedAddressException.class::isInstance, (message) -> true,
					ExportErrorCategory.UNKNOWN_HOST, (throwable) -> "The endpoint's host name does not resolve. "),
			// the JDK HttpClient's timeouts; a connect timeout is caused by a
			// ConnectException, so this rule comes first
			new ExceptionRule(HttpTimeoutException.class, ExportErrorCategory.DEADLINE_EXCEEDED),
			new ExceptionRule(ConnectException.class, ExportErrorCategory.CONNECTION_REFUSED),
			new ExceptionRule(NoRouteToHostException.class, ExportErrorCategory.CONNECTION_REFUSED),
			// OkHttp checks the host name after the handshake, whatever the trust manager
			new ExceptionRule(SSLPeerUnverifiedException.class::isInstance, messageContains("not verified"),
					ExportErrorCategory.TLS, ExportErrorClassifier::hostNameNotInCertificate),
			// the JDK checks it in the handshake (the JDK HttpClient asks for it), also
			// under insecure-skip-verify: see InsecureTrustManager
			new ExceptionRule(
					(throwable) -> throwable instanceof SSLException || throwable instanceof CertificateException,
					messageContains("no subject alternative", "no name matching"), ExportErrorCategory.TLS,
					ExportErrorClassifier::hostNameNotInCertificate),
			new ExceptionRule(CertPathValidatorException.class, ExportErrorCategory.TLS),
			new ExceptionRule(CertPathBuilderException.class, ExportErrorCategory.TLS),
			new ExceptionRule(CertificateException.class, ExportErrorCategory.TLS),
			new ExceptionRule(SSLException.class, ExportErrorCategory.TLS),
			new ExceptionRule(SocketTimeoutException.class, ExportErrorCategory.DEADLINE_EXCEEDED),
			new ExceptionRule(InterruptedIOException.class, messageContains("timeout", "timed out"),
					ExportErrorCategory.DEADLINE_EXCEEDED),
			new ExceptionRule(MalformedURLException.class, ExportErrorCategory.INVALID_ENDPOINT),
			new ExceptionRule(URISyntaxException.class, ExportErrorCategory.INVALID_ENDPOINT),
			new ExceptionRule(UnknownServiceException.class, ExportErrorCategory.INVALID_ENDPOINT),
			new ExceptionRule(ProtocolException.class, ExportErrorCategory.INVALID_ENDPOINT),
			// An HTTP/1.x answer read as an HTTP/2 frame: its first bytes "HTT" make a
			// frame length of 4740180, which OkHttp refuses. A gRPC client spoke to an
			// HTTP/1.1 port (such as the Collector's 4318), which answered 400
			new ExceptionRule(IOException.class, messageContains("frame_size_error: 4740180"),
					ExportErrorCategory.INVALID_ENDPOINT),
			// other HTTP/2 framing errors: the peer does not speak HTTP/2
			new ExceptionRule(Throwable.class,
					messageContains("protocol_error", "frame_size_error", "expected a settings frame",
							"expected a connection header"),
					ExportErrorCategory.INVALID_ENDPOINT),
			new ExceptionRule(SocketException.class, messageContains("reset", "broken pipe", "connection abort"),
					ExportErrorCategory.UNAVAILABLE),
			// OkHttp's HTTP/2 connection was closed under the request (a reset or a
			// GOAWAY)
			ExceptionRule.named("okhttp3.internal.http2.ConnectionShutdownException", ExportErrorCategory.UNAVAILABLE),
			new ExceptionRule(IOException.class, "closed"::equalsIgnoreCase, ExportErrorCategory.UNAVAILABLE),
			// OkHttp: the server closed the connection it had just accepted before its
			// HTTP/2 settings (one shutting down); a server that does not speak HTTP/2
			// answers with something else, an invalid endpoint above
			new ExceptionRule(IOException.class, messageContains("settings preface not received"),
					ExportErrorCategory.UNAVAILABLE),
			// the JDK HttpClient's connection closed under the request
			new ExceptionRule(IOException.class,
					messageContains("eof reached while reading", "connection closed locally",
							"header parser received no bytes"),
					ExportErrorCategory.UNAVAILABLE),
			new ExceptionRule(Throwable.class,
					messageContains("connection reset", "unexpected end of stream", "stream was reset"),
					ExportErrorCategory.UNAVAILABLE));

	/**
	 * Categories of connection-level failures that are worth retrying.
	 */
	private static final Set<ExportErrorCategory> RETRYABLE_CONNECTION_FAILURES = Collections
		.unmodifiableSet(EnumSet.of(ExportErrorCategory.CONNECTION_REFUSED, ExportErrorCategory.UNKNOWN_HOST,
				ExportErrorCategory.DEADLINE_EXCEEDED, ExportErrorCategory.UNAVAILABLE));

	private static final int MAX_CAUSE_DEPTH = 16;

	/**
	 * What a proxy or server that requires a client certificate answers (nginx: "No
	 * required SSL certificate was sent"), after a handshake that did not fail.
	 */
	private static final Predicate<String> CLIENT_CERTIFICATE_REQUIRED = messageContains("required ssl certificate",
			"client certificate", "certificate required", "ssl certificate error");

	private static final Pattern HOST_NOT_VERIFIED = Pattern
		.compile("Hostname (\\S+) not verified|matching (?:IP address )?(\\S+) found");

	private final SecretRedactor redactor;

	/**
	 * Create a classifier whose messages are free of URL credentials.
	 */
	public ExportErrorClassifier() {
		this(SecretRedactor.urlCredentialsOnly());
	}

	/**
	 * Create a classifier whose messages are free of URL credentials and of the given
	 * secret values, such as configured header values a backend may echo.
	 * @param secrets the values to mask
	 * @return the classifier
	 */
	public static ExportErrorClassifier redacting(Collection<String> secrets) {
		return new ExportErrorClassifier(SecretRedactor.of(secrets));
	}

	/**
	 * Create a classifier whose messages are also free of the given secrets.
	 * @param redactor what to remove from the evidence's text
	 */
	ExportErrorClassifier(SecretRedactor redactor) {
		this.redactor = redactor;
	}

	/**
	 * Return what this classifier removes from the evidence's text.
	 * @return the redactor
	 */
	SecretRedactor redactor() {
		return this.redactor;
	}

	/**
	 * Classify what a server answered to a request it did not accept.
	 * @param response the response, not a success
	 * @return the classified failure
	 */
	public ExportFailure classify(OtlpResponse response) {
		Duration retryAfter = response.retryAfter().orElse(null);
		if (response.isGrpc()) {
			if (response.grpcStatus().isPresent()) {
				GrpcStatusCode code = GrpcStatusCode.fromValue(response.grpcStatus().getAsInt());
				String message = this.redactor.redact(response.message());
				if (!RETRYABLE_GRPC.contains(code) && code != GrpcStatusCode.UNAUTHENTICATED
						&& code != GrpcStatusCode.PERMISSION_DENIED && CLIENT_CERTIFICATE_REQUIRED.test(message)) {
					// a proxy that terminates TLS answers for the server behind it
					return clientCertificateRequired("gRPC " + code, message);
				}
				return classifyGrpcStatus(code, response.message(), retryAfter);
			}
			if (response.isBodyCut()) {
				return new ExportFailure(ExportErrorCategory.UNKNOWN, false,
						"The gRPC response was longer than " + (OtlpResponse.MAX_BODY_BYTES >> 20)
								+ " MiB and was cut before its status, so whether the batch was accepted is unknown; "
								+ "an OTLP receiver answers in a few bytes: is the endpoint one?",
						null, null);
			}
			if (response.httpStatus() == 200) {
				return new ExportFailure(ExportErrorCategory.UNKNOWN, false,
						"HTTP 200 without a gRPC status: the server is not a gRPC server"
								+ suffix(this.redactor.redact(response.message())),
						null, null);
			}
			// no gRPC status: what answered is not a gRPC server (a proxy or load
			// balancer in front of one), and its HTTP status says what happened
		}
		return classifyHttpResponse(response, retryAfter);
	}

	private ExportFailure classifyHttpResponse(OtlpResponse response, Duration retryAfter) {
		int status = response.httpStatus();
		String prefix = response.isGrpc() ? "no gRPC status, " : "";
		if (status >= 300 && status < 400) {
			String location = response.header("location").map(Endpoints::sanitize).orElse("nowhere");
			return new ExportFailure(ExportErrorCategory.INVALID_ENDPOINT, false, prefix + "HTTP " + status
					+ " redirect to " + this.redactor.redact(location)
					+ ": OTLP exporters do not follow redirects; write the address it points to in the endpoint", null,
					null);
		}
		String message = this.redactor.redact(response.message());
		// an authentication answer that mentions certificates is still about credentials
		if (status >= 400 && status < 500 && status != 401 && status != 403
				&& CLIENT_CERTIFICATE_REQUIRED.test(message)) {
			return clientCertificateRequired(prefix + "HTTP " + status, message);
		}
		ExportFailure failure = classifyHttpStatus(status, message, retryAfter);
		return prefix.isEmpty() ? failure : new ExportFailure(failure.category(), failure.retryable(),
				prefix + failure.message(), failure.exceptionType(), failure.retryAfter());
	}

	private static ExportFailure clientCertificateRequired(String status, String message) {
		return new ExportFailure(ExportErrorCategory.TLS, false,
				status + ": the server requires a client certificate (mutual TLS); configure tls.client-certificate "
						+ "and tls.client-key, or an SSL bundle with a key store" + suffix(message),
				null, null);
	}

	/**
	 * Classify an exception, reading the cause chain.
	 * @param failure the exception
	 * @return the classified failure
	 */
	public ExportFailure classify(Throwable failure) {
		List<Throwable> chain = causeChain(failure);
		for (ExceptionRule rule : EXCEPTION_RULES) {
			for (Throwable candidate : chain) {
				if (rule.matches(candidate)) {
					return new ExportFailure(rule.category(), RETRYABLE_CONNECTION_FAILURES.contains(rule.category()),
							rule.explanation().apply(candidate) + describe(candidate), candidate.getClass().getName(),
							null);
				}
			}
		}
		Throwable evidence = chain.get(chain.size() - 1);
		return new ExportFailure(ExportErrorCategory.UNKNOWN, false, describe(evidence), evidence.getClass().getName(),
				null);
	}

	/**
	 * Classify an HTTP response status.
	 * @param statusCode the HTTP status code
	 * @param statusMessage the status message or error text, may be {@code null}
	 * @param retryAfter the delay from a {@code Retry-After} header, or {@code null}
	 * @return the classified failure
	 */
	public ExportFailure classifyHttpStatus(int statusCode, String statusMessage, Duration retryAfter) {
		ExportErrorCategory category = HTTP_STATUS.getOrDefault(statusCode, ExportErrorCategory.UNKNOWN);
		boolean retryable = RETRYABLE_HTTP.contains(statusCode);
		Duration delay = retryable ? retryAfter : null;
		String message = "HTTP " + statusCode + suffix(this.redactor.redact(statusMessage)) + asked(delay);
		return new ExportFailure(category, retryable, message, null, delay);
	}

	/**
	 * Classify a gRPC response status.
	 * @param statusCode the gRPC status
	 * @param description the status description, may be {@code null}
	 * @param retryDelay the delay from the status's {@code RetryInfo} detail, or
	 * {@code null} when the status carries none: then {@code RESOURCE_EXHAUSTED} is not
	 * retried, as the OTLP specification says
	 * @return the classified failure
	 */
	public ExportFailure classifyGrpcStatus(GrpcStatusCode statusCode, String description, Duration retryDelay) {
		ExportErrorCategory category = GRPC_STATUS.getOrDefault(statusCode, ExportErrorCategory.UNKNOWN);
		boolean retryable = RETRYABLE_GRPC.contains(statusCode)
				|| (statusCode == GrpcStatusCode.RESOURCE_EXHAUSTED && retryDelay != null);
		Duration delay = retryable ? retryDelay : null;
		String message = "gRPC " + statusCode + suffix(this.redactor.redact(description)) + asked(delay);
		return new ExportFailure(category, retryable, message, null, delay);
	}

	/**
	 * Say what the server asked for, so that the recent error explains the wait.
	 */
	private static String asked(Duration delay) {
		return (delay != null) ? "; the server asked to retry after " + Durations.format(delay) : "";
	}

	/**
	 * Return the failure of an attempt whose result did not complete in time.
	 * @param timeout how long the attempt was waited for
	 * @return a retryable {@link ExportErrorCategory#DEADLINE_EXCEEDED} failure
	 */
	public ExportFailure timedOut(Duration timeout) {
		return new ExportFailure(ExportErrorCategory.DEADLINE_EXCEEDED, true,
				"No response within " + timeout.toMillis() + "ms", null, null);
	}

	/**
	 * Return the failure of the items that a backend rejected from a request it accepted
	 * (an OTLP partial success).
	 * @param partialSuccess what the response said
	 * @param items the number of items in the request
	 * @param signal what they are
	 * @return a permanent {@link ExportErrorCategory#REJECTED} failure
	 */
	ExportFailure partialSuccess(OtlpPartialSuccess partialSuccess, int items, Signal signal) {
		return new ExportFailure(ExportErrorCategory.REJECTED, false,
				"Partial success: the backend rejected " + partialSuccess.rejected() + " of " + items + " "
						+ signal.items() + suffix(this.redactor.redact(partialSuccess.message())),
				null, null);
	}

	private static List<Throwable> causeChain(Throwable failure) {
		List<Throwable> chain = new ArrayList<>();
		Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		for (Throwable current = failure; current != null && chain.size() < MAX_CAUSE_DEPTH
				&& seen.add(current); current = current.getCause()) {
			chain.add(current);
		}
		return chain;
	}

	/**
	 * Say what the host name check means: the SDK offers no way to turn it off, so
	 * insecure-skip-verify does not help and the endpoint must name a host the
	 * certificate names.
	 */
	private static String hostNameNotInCertificate(Throwable throwable) {
		Matcher matcher = HOST_NOT_VERIFIED.matcher(String.valueOf(throwable.getMessage()));
		String host = matcher.find() ? "the host " + ((matcher.group(1) != null) ? matcher.group(1) : matcher.group(2))
				: "the endpoint's host";
		return "The server's certificate does not name " + host
				+ ": write a host name that the certificate names (see its subjectAltNames) in the endpoint URL; "
				+ "tls.insecure-skip-verify skips the certificate chain check, not the host name check. ";
	}

	private String describe(Throwable throwable) {
		String message = throwable.getMessage();
		return throwable.getClass().getSimpleName() + suffix(this.redactor.redact(message));
	}

	private static String suffix(String text) {
		if (text == null || text.isBlank()) {
			return "";
		}
		String oneLine = text.strip().replaceAll("\\s+", " ");
		return ": " + ((oneLine.length() > 300) ? oneLine.substring(0, 300) + "..." : oneLine);
	}

	private static Predicate<String> messageContains(String... fragments) {
		return (message) -> {
			if (message == null) {
				return false;
			}
			String lower = message.toLowerCase(Locale.ROOT);
			for (String fragment : fragments) {
				if (lower.contains(fragment)) {
					return true;
				}
			}
			return false;
		};
	}

	/**
	 * A rule of the classifier; its explanation goes before the evidence's own message.
	 */
	private record ExceptionRule(Predicate<Throwable> type, Predicate<String> message, ExportErrorCategory category,
			Function<Throwable, String> explanation) {

		private static final Function<Throwable, String> NO_EXPLANATION = (throwable) -> "";

		ExceptionRule(Class<? extends Throwable> type, Predicate<String> message, ExportErrorCategory category) {
			this(type::isInstance, message, category, NO_EXPLANATION);
		}

		ExceptionRule(Class<? extends Throwable> type, ExportErrorCategory category) {
			this(type::isInstance, (message) -> true, category, NO_EXPLANATION);
		}

		/**
		 * Match a type by name, for exceptions of libraries the core does not depend on.
		 */
		static ExceptionRule named(String className, ExportErrorCategory category) {
			return new ExceptionRule(
					(Predicate<Throwable>) (throwable) -> throwable.getClass().getName().equals(className),
					(message) -> true, category, NO_EXPLANATION);
		}

		boolean matches(Throwable throwable) {
			return this.type.test(throwable) && this.message.test(throwable.getMessage());
		}

	}

}
