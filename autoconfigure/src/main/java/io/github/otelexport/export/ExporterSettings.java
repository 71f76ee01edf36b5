package io.github.otelexport.export;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link OtlpExporterFactory} needs to build one OTLP span exporter.
 *
 * @param role {@code primary} or {@code fallback}
 * @param protocol {@code grpc} or {@code http/protobuf}
 * @param endpoint the URL; for {@code http/protobuf} including the path, usually
 * {@code /v1/traces}
 * @param headers headers sent with every request (API keys, tokens); never shown
 * @param timeout how long one attempt may take
 * @param connectTimeout how long connecting may take
 * @param compression {@code none} or {@code gzip}
 * @param tls the TLS settings
 * @author otel-export authors
 */
public record ExporterSettings(String role, String protocol, String endpoint, Map<String, String> headers,
		Duration timeout, Duration connectTimeout, String compression, TlsSettings tls) {

	/**
	 * The OTLP/gRPC protocol.
	 */
	public static final String GRPC = "grpc";

	/**
	 * The OTLP/HTTP protocol with protobuf payloads.
	 */
	public static final String HTTP_PROTOBUF = "http/protobuf";

	/**
	 * Header values this long are masked whatever the header's name.
	 */
	static final int MIN_MASKED_LENGTH = 8;

	private static final List<String> CREDENTIAL_NAME_PARTS = List.of("auth", "key", "token", "secret", "passw",
			"cookie", "credential", "signature", "session");

	/**
	 * Validate the settings and apply defaults for {@code null} values.
	 * @param role the role
	 * @param protocol the protocol
	 * @param endpoint the endpoint
	 * @param headers the headers
	 * @param timeout the attempt timeout
	 * @param connectTimeout the connect timeout
	 * @param compression the compression
	 * @param tls the TLS settings
	 */
	public ExporterSettings {
		if (!GRPC.equals(protocol) && !HTTP_PROTOBUF.equals(protocol)) {
			throw new IllegalArgumentException(
					"protocol must be '" + GRPC + "' or '" + HTTP_PROTOBUF + "' but was '" + protocol + "'");
		}
		if (endpoint == null || endpoint.isBlank()) {
			throw new IllegalArgumentException("endpoint must not be empty");
		}
		role = (role != null) ? role : ExporterDescription.PRIMARY;
		headers = (headers != null) ? Map.copyOf(headers) : Map.of();
		timeout = (timeout != null) ? timeout : Duration.ofSeconds(10);
		connectTimeout = (connectTimeout != null) ? connectTimeout : Duration.ofSeconds(10);
		compression = (compression != null) ? compression : "none";
		tls = (tls != null) ? tls : TlsSettings.none();
	}

	/**
	 * Return settings with defaults for everything but role, protocol and endpoint.
	 * @param role the role
	 * @param protocol the protocol
	 * @param endpoint the endpoint
	 * @return the settings
	 */
	public static ExporterSettings of(String role, String protocol, String endpoint) {
		return new ExporterSettings(role, protocol, endpoint, null, null, null, null, null);
	}

	/**
	 * Return a copy with the given headers.
	 * @param headers the headers
	 * @return the copy
	 */
	public ExporterSettings withHeaders(Map<String, String> headers) {
		return new ExporterSettings(this.role, this.protocol, this.endpoint, headers, this.timeout, this.connectTimeout,
				this.compression, this.tls);
	}

	/**
	 * Return a copy with the given attempt timeout.
	 * @param timeout the timeout
	 * @return the copy
	 */
	public ExporterSettings withTimeout(Duration timeout) {
		return new ExporterSettings(this.role, this.protocol, this.endpoint, this.headers, timeout, this.connectTimeout,
				this.compression, this.tls);
	}

	/**
	 * Return a copy with the given TLS settings.
	 * @param tls the TLS settings
	 * @return the copy
	 */
	public ExporterSettings withTls(TlsSettings tls) {
		return new ExporterSettings(this.role, this.protocol, this.endpoint, this.headers, this.timeout,
				this.connectTimeout, this.compression, tls);
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
		return new ExporterDescription(this.role, this.endpoint, this.protocol);
	}

	@Override
	public String toString() {
		// Header values are secrets: show only their names
		return "ExporterSettings{role=" + this.role + ", protocol=" + this.protocol + ", endpoint="
				+ Endpoints.sanitize(this.endpoint) + ", headers=" + this.headers.keySet() + ", timeout=" + this.timeout
				+ ", connectTimeout=" + this.connectTimeout + ", compression=" + this.compression + ", tls=" + this.tls
				+ "}";
	}

}
