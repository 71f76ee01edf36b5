package io.github.otelexport.export.transport;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What a transport needs to reach one destination.
 *
 * @param endpoint the URL, {@code http} or {@code https}: for http/protobuf the full URL
 * (usually ending in {@code /v1/traces}); for gRPC the scheme, host and port (a path is
 * replaced by the service method's)
 * @param headers headers sent with every request (API keys, tokens); never shown
 * @param timeout how long one attempt may take from connecting to the last byte of the
 * response
 * @param connectTimeout how long connecting may take
 * @param gzip whether to compress requests
 * @param tls the TLS settings, used for {@code https}
 * @param logsEndpoint where log records go, in the same form as {@code endpoint}; or
 * {@code null} to derive it: over http/protobuf from an {@code endpoint} ending in
 * {@code /v1/traces} ({@code /v1/logs} instead), over gRPC the {@code endpoint} itself
 * @author otel-export authors
 */
public record TransportSettings(URI endpoint, Map<String, String> headers, Duration timeout, Duration connectTimeout,
		boolean gzip, TlsSettings tls, URI logsEndpoint) {

	/**
	 * Validate the settings.
	 * @param endpoint the URL
	 * @param headers the headers
	 * @param timeout the attempt timeout
	 * @param connectTimeout the connect timeout
	 * @param gzip whether to compress
	 * @param tls the TLS settings
	 * @param logsEndpoint the URL of log records, or {@code null} to derive it
	 */
	public TransportSettings {
		requireHttpUrl(Objects.requireNonNull(endpoint, "endpoint must not be null"), "endpoint");
		if (logsEndpoint != null) {
			requireHttpUrl(logsEndpoint, "logsEndpoint");
			if (!logsEndpoint.getScheme().equalsIgnoreCase(endpoint.getScheme())) {
				// one client, with or without TLS, serves both signals
				throw new IllegalArgumentException("logsEndpoint must use the scheme of endpoint ("
						+ endpoint.getScheme() + ") but was '" + Endpoints.sanitize(logsEndpoint.toString()) + "'");
			}
		}
		headers = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(headers, "headers")));
		requirePositive(timeout, "timeout");
		requirePositive(connectTimeout, "connectTimeout");
		Objects.requireNonNull(tls, "tls must not be null");
	}

	/**
	 * Create settings whose logs endpoint is derived from the endpoint.
	 * @param endpoint the URL
	 * @param headers the headers
	 * @param timeout the attempt timeout
	 * @param connectTimeout the connect timeout
	 * @param gzip whether to compress
	 * @param tls the TLS settings
	 */
	public TransportSettings(URI endpoint, Map<String, String> headers, Duration timeout, Duration connectTimeout,
			boolean gzip, TlsSettings tls) {
		this(endpoint, headers, timeout, connectTimeout, gzip, tls, null);
	}

	/**
	 * Return the http/protobuf URL requests of a signal are posted to: the endpoint for
	 * traces; for logs the logs endpoint, else the endpoint with its {@code /v1/traces}
	 * replaced by {@code /v1/logs}.
	 * @param signal the signal
	 * @return the URL
	 * @throws IllegalStateException for logs when no logs endpoint is given and the
	 * endpoint does not end in {@code /v1/traces}, so none can be derived
	 */
	public URI httpEndpoint(Signal signal) {
		if (signal == Signal.TRACES) {
			return this.endpoint;
		}
		if (this.logsEndpoint != null) {
			return this.logsEndpoint;
		}
		String path = this.endpoint.getRawPath();
		if (path == null || !path.endsWith(Signal.TRACES.httpPath())) {
			throw new IllegalStateException("No logs endpoint for http/protobuf: the endpoint '"
					+ Endpoints.sanitize(this.endpoint.toString()) + "' does not end in " + Signal.TRACES.httpPath()
					+ ", so the URL of log records cannot be derived from it; give the logs endpoint "
					+ "(TransportSettings.withLogsEndpoint), usually the endpoint's base URL with "
					+ Signal.LOGS.httpPath());
		}
		String logsPath = path.substring(0, path.length() - Signal.TRACES.httpPath().length()) + Signal.LOGS.httpPath();
		String query = this.endpoint.getRawQuery();
		return URI.create(this.endpoint.getScheme() + "://" + this.endpoint.getRawAuthority() + logsPath
				+ ((query != null) ? "?" + query : ""));
	}

	/**
	 * Return the scheme, host and port a gRPC call of a signal goes to (its path is
	 * replaced by the signal's method): the logs endpoint for logs when one is given,
	 * else the endpoint.
	 * @param signal the signal
	 * @return the URL
	 */
	public URI grpcEndpoint(Signal signal) {
		return (signal == Signal.LOGS && this.logsEndpoint != null) ? this.logsEndpoint : this.endpoint;
	}

	/**
	 * Return these settings with another logs endpoint.
	 * @param logsEndpoint the URL of log records, or {@code null} to derive it
	 * @return the new settings
	 */
	public TransportSettings withLogsEndpoint(URI logsEndpoint) {
		return new TransportSettings(this.endpoint, this.headers, this.timeout, this.connectTimeout, this.gzip,
				this.tls, logsEndpoint);
	}

	/**
	 * Whether the endpoint uses TLS.
	 * @return {@code true} for {@code https}
	 */
	public boolean isTls() {
		return "https".equalsIgnoreCase(this.endpoint.getScheme());
	}

	/**
	 * Return these settings with one more header, or another value for a header.
	 * @param name the header name
	 * @param value its value
	 * @return the new settings
	 */
	public TransportSettings withHeader(String name, String value) {
		Map<String, String> headers = new LinkedHashMap<>(this.headers);
		headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
		return new TransportSettings(this.endpoint, headers, this.timeout, this.connectTimeout, this.gzip, this.tls,
				this.logsEndpoint);
	}

	@Override
	public String toString() {
		// header values are secrets; the endpoint is shown by callers through Endpoints
		return "TransportSettings{headers=" + this.headers.keySet() + ", timeout=" + this.timeout + ", connectTimeout="
				+ this.connectTimeout + ", gzip=" + this.gzip + ", tls=" + this.tls + "}";
	}

	private static void requireHttpUrl(URI url, String name) {
		String scheme = (url.getScheme() != null) ? url.getScheme().toLowerCase(Locale.ROOT) : "";
		if ((!scheme.equals("http") && !scheme.equals("https")) || url.getHost() == null) {
			throw new IllegalArgumentException(name + " must be an http:// or https:// URL with a host but was '"
					+ Endpoints.sanitize(url.toString()) + "'");
		}
	}

	private static void requirePositive(Duration duration, String name) {
		Objects.requireNonNull(duration, name + " must not be null");
		if (duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException(name + " must be positive but was " + duration);
		}
	}

}
