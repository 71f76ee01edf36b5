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
 * @author otel-export authors
 */
public record TransportSettings(URI endpoint, Map<String, String> headers, Duration timeout, Duration connectTimeout,
		boolean gzip, TlsSettings tls) {

	/**
	 * Validate the settings.
	 * @param endpoint the URL
	 * @param headers the headers
	 * @param timeout the attempt timeout
	 * @param connectTimeout the connect timeout
	 * @param gzip whether to compress
	 * @param tls the TLS settings
	 */
	public TransportSettings {
		Objects.requireNonNull(endpoint, "endpoint must not be null");
		String scheme = (endpoint.getScheme() != null) ? endpoint.getScheme().toLowerCase(Locale.ROOT) : "";
		if ((!scheme.equals("http") && !scheme.equals("https")) || endpoint.getHost() == null) {
			throw new IllegalArgumentException("endpoint must be an http:// or https:// URL with a host but was '"
					+ Endpoints.sanitize(endpoint.toString()) + "'");
		}
		headers = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(headers, "headers")));
		requirePositive(timeout, "timeout");
		requirePositive(connectTimeout, "connectTimeout");
		Objects.requireNonNull(tls, "tls must not be null");
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
		return new TransportSettings(this.endpoint, headers, this.timeout, this.connectTimeout, this.gzip, this.tls);
	}

	@Override
	public String toString() {
		// header values are secrets; the endpoint is shown by callers through Endpoints
		return "TransportSettings{headers=" + this.headers.keySet() + ", timeout=" + this.timeout + ", connectTimeout="
				+ this.connectTimeout + ", gzip=" + this.gzip + ", tls=" + this.tls + "}";
	}

	private static void requirePositive(Duration duration, String name) {
		Objects.requireNonNull(duration, name + " must not be null");
		if (duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException(name + " must be positive but was " + duration);
		}
	}

}
