package io.github.otelexport.export;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.otelexport.export.transport.Endpoints;
import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.export.transport.TlsSettings;
import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.stats.ExporterDescription;

/**
 * What {@link OtlpTransports} needs to build the transport of one destination. The
 * defaults ({@link #of}) are the ones the starter documents for its properties.
 *
 * @param role the destination the exporter sends to
 * @param protocol the OTLP transport
 * @param endpoint the URL; for {@code http/protobuf} including the path, usually
 * {@code /v1/traces}
 * @param headers headers sent with every request (API keys, tokens); never shown
 * @param headersProperty where the headers are configured, as hints name it: the role's
 * {@code headers} property, the {@code OTEL_EXPORTER_OTLP_[TRACES_]HEADERS} variable they
 * came from, or, for a fallback that inherits the primary's headers, the primary's
 * @param timeout how long one attempt may take
 * @param connectTimeout how long connecting may take
 * @param compression the request compression
 * @param tls the TLS settings
 * @author otel-export authors
 */
public record ExporterSettings(DestinationRole role, OtlpProtocol protocol, String endpoint,
		Map<String, String> headers, String headersProperty, Duration timeout, Duration connectTimeout,
		Compression compression, TlsSettings tls) {

	/**
	 * The protocol when none is configured.
	 */
	public static final OtlpProtocol DEFAULT_PROTOCOL = OtlpProtocol.GRPC;

	/**
	 * How long one attempt may take when nothing else is configured.
	 */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	/**
	 * How long connecting may take when nothing else is configured.
	 */
	public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

	/**
	 * The compression when none is configured.
	 */
	public static final Compression DEFAULT_COMPRESSION = Compression.NONE;

	/**
	 * Header values this long are masked whatever the header's name.
	 */
	static final int MIN_MASKED_LENGTH = 8;

	private static final List<String> CREDENTIAL_NAME_PARTS = List.of("auth", "key", "token", "secret", "passw",
			"cookie", "credential", "signature", "session");

	/**
	 * Create settings; every value is required.
	 * @param role the role
	 * @param protocol the protocol
	 * @param endpoint the endpoint
	 * @param headers the headers
	 * @param headersProperty where the headers are configured
	 * @param timeout the attempt timeout
	 * @param connectTimeout the connect timeout
	 * @param compression the compression
	 * @param tls the TLS settings
	 */
	public ExporterSettings {
		requireNonNull(role, "role");
		requireNonNull(protocol, "protocol");
		requireNonNull(endpoint, "endpoint");
		requireNonNull(headers, "headers");
		requireNonNull(headersProperty, "headersProperty");
		requireNonNull(timeout, "timeout");
		requireNonNull(connectTimeout, "connectTimeout");
		requireNonNull(compression, "compression");
		requireNonNull(tls, "tls");
		headers = Map.copyOf(headers);
	}

	/**
	 * Return settings with the defaults for everything but role, protocol and endpoint:
	 * no headers (configured under the role's {@code headers} property),
	 * {@link #DEFAULT_TIMEOUT}, {@link #DEFAULT_CONNECT_TIMEOUT},
	 * {@link #DEFAULT_COMPRESSION} and the JVM's default trust.
	 * @param role the role
	 * @param protocol the protocol
	 * @param endpoint the endpoint
	 * @return the settings
	 */
	public static ExporterSettings of(DestinationRole role, OtlpProtocol protocol, String endpoint) {
		return new ExporterSettings(role, protocol, endpoint, Map.of(), role.property("headers"), DEFAULT_TIMEOUT,
				DEFAULT_CONNECT_TIMEOUT, DEFAULT_COMPRESSION, TlsSettings.none());
	}

	/**
	 * Return a copy with the given headers.
	 * @param headers the headers
	 * @return the copy
	 */
	public ExporterSettings withHeaders(Map<String, String> headers) {
		return new ExporterSettings(this.role, this.protocol, this.endpoint, headers, this.headersProperty,
				this.timeout, this.connectTimeout, this.compression, this.tls);
	}

	/**
	 * Return a copy with the given attempt timeout.
	 * @param timeout the timeout
	 * @return the copy
	 */
	public ExporterSettings withTimeout(Duration timeout) {
		return new ExporterSettings(this.role, this.protocol, this.endpoint, this.headers, this.headersProperty,
				timeout, this.connectTimeout, this.compression, this.tls);
	}

	/**
	 * Return a copy with the given TLS settings.
	 * @param tls the TLS settings
	 * @return the copy
	 */
	public ExporterSettings withTls(TlsSettings tls) {
		return new ExporterSettings(this.role, this.protocol, this.endpoint, this.headers, this.headersProperty,
				this.timeout, this.connectTimeout, this.compression, tls);
	}

	/**
	 * Return the header values to mask wherever a backend's text is recorded or logged:
	 * every value of a header whose name says it carries a credential (such as
	 * {@code authorization}, {@code x-api-key}, {@code cookie}), and every other value of
	 * at least {@value #MIN_MASKED_LENGTH} characters, since vendors name their key
	 * headers freely. Short values of other headers ({@code tenant: acme},
	 * {@code x-scope-orgid: 1}) are not secrets, and masking them would garble messages.
	 * @return the values to mask
	 */
	public List<String> secretHeaderValues() {
		return this.headers.entrySet()
			.stream()
			.filter((header) -> isCredentialName(header.getKey())
					|| header.getValue().strip().length() >= MIN_MASKED_LENGTH)
			.map(Map.Entry::getValue)
			.toList();
	}

	private static boolean isCredentialName(String name) {
		String lower = name.toLowerCase(Locale.ROOT);
		return CREDENTIAL_NAME_PARTS.stream().anyMatch(lower::contains);
	}

	/**
	 * Describe the exporter these settings build, without credentials.
	 * @return the description
	 */
	public ExporterDescription description() {
		return new ExporterDescription(this.role, this.endpoint, this.protocol, this.headersProperty);
	}

	@Override
	public String toString() {
		// Header values are secrets: show only their names
		return "ExporterSettings{role=" + this.role + ", protocol=" + this.protocol + ", endpoint="
				+ Endpoints.sanitize(this.endpoint) + ", headers=" + this.headers.keySet() + ", timeout=" + this.timeout
				+ ", connectTimeout=" + this.connectTimeout + ", compression=" + this.compression + ", tls=" + this.tls
				+ "}";
	}

	private static void requireNonNull(Object value, String name) {
		if (value == null) {
			throw new IllegalArgumentException(name + " must not be null");
		}
	}

}
