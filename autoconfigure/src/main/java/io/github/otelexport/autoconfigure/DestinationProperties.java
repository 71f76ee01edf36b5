package io.github.otelexport.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.otelexport.export.Compression;
import io.github.otelexport.export.transport.OtlpProtocol;

/**
 * Where and how spans are sent: the shape shared by the primary destination
 * ({@code otel.export.*}) and the fallback ({@code otel.export.fallback.*}).
 * <p>
 * Every value may be left unset: the primary then falls back to the standard
 * {@code OTEL_EXPORTER_OTLP_*} environment variables and the defaults of
 * {@link io.github.otelexport.export.ExporterSettings}, the fallback to the primary's
 * value. The javadoc here is shared by both roles, so it names no default; each role's
 * description and default are in {@code additional-spring-configuration-metadata.json}.
 *
 * @author otel-export authors
 */
public class DestinationProperties {

	/**
	 * OTLP transport: 'grpc' or 'http/protobuf'.
	 */
	private OtlpProtocol protocol;

	/**
	 * Endpoint URL. gRPC: http://host:4317; HTTP: http://host:4318/v1/traces.
	 */
	private String endpoint;

	/**
	 * Longest wait for one export attempt.
	 */
	private Duration timeout;

	/**
	 * Longest wait to open a connection.
	 */
	private Duration connectTimeout;

	/**
	 * Request compression: 'none' or 'gzip'.
	 */
	private Compression compression;

	/**
	 * Headers sent with every export request, such as an API key. Values are never logged
	 * or shown.
	 */
	private Map<String, String> headers = new LinkedHashMap<>();

	private final Tls tls = new Tls();

	public OtlpProtocol getProtocol() {
		return this.protocol;
	}

	public void setProtocol(OtlpProtocol protocol) {
		this.protocol = protocol;
	}

	public String getEndpoint() {
		return this.endpoint;
	}

	public void setEndpoint(String endpoint) {
		this.endpoint = endpoint;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public Compression getCompression() {
		return this.compression;
	}

	public void setCompression(Compression compression) {
		this.compression = compression;
	}

	public Map<String, String> getHeaders() {
		return this.headers;
	}

	public void setHeaders(Map<String, String> headers) {
		this.headers = headers;
	}

	public Tls getTls() {
		return this.tls;
	}

	/**
	 * TLS trust and client identity for an https endpoint. Files are resource locations,
	 * as in Spring Boot's SSL bundles: a path, {@code file:...} or {@code classpath:...}.
	 */
	public static class Tls {

		/**
		 * Name of a Spring Boot SSL bundle (spring.ssl.bundle.*) to use for trust and
		 * client identity.
		 */
		private String bundle;

		/**
		 * PEM resource (a path, file: or classpath:) of the CA certificates to trust,
		 * instead of the JVM's defaults.
		 */
		private String caFile;

		/**
		 * PEM resource (a path, file: or classpath:) of the client certificate chain, for
		 * mutual TLS.
		 */
		private String clientCertificate;

		/**
		 * PEM resource (a path, file: or classpath:) of the client's PKCS#8 private key,
		 * for mutual TLS.
		 */
		private String clientKey;

		/**
		 * Whether to skip verification of the server's certificate chain. The host name
		 * is still checked (the SDK's exporters cannot turn that off): the endpoint's
		 * host must be one the certificate names. Insecure: for local testing only; logs
		 * a warning at startup.
		 */
		private Boolean insecureSkipVerify;

		public String getBundle() {
			return this.bundle;
		}

		public void setBundle(String bundle) {
			this.bundle = bundle;
		}

		public String getCaFile() {
			return this.caFile;
		}

		public void setCaFile(String caFile) {
			this.caFile = caFile;
		}

		public String getClientCertificate() {
			return this.clientCertificate;
		}

		public void setClientCertificate(String clientCertificate) {
			this.clientCertificate = clientCertificate;
		}

		public String getClientKey() {
			return this.clientKey;
		}

		public void setClientKey(String clientKey) {
			this.clientKey = clientKey;
		}

		public Boolean getInsecureSkipVerify() {
			return this.insecureSkipVerify;
		}

		public void setInsecureSkipVerify(Boolean insecureSkipVerify) {
			this.insecureSkipVerify = insecureSkipVerify;
		}

	}

}
