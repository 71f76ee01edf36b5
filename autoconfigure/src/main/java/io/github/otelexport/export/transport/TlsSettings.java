package io.github.otelexport.export.transport;

import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;

/**
 * How an exporter secures its connection: PEM material, or a ready {@link SSLContext}
 * with its trust manager, or no verification at all.
 *
 * @param trustedCertificatesPem the CA certificates to trust (PEM), or {@code null} for
 * the JVM's defaults
 * @param clientKeyPem the client's private key for mutual TLS (PEM), or {@code null}
 * @param clientCertificatePem the client's certificate chain for mutual TLS (PEM), or
 * {@code null}
 * @param sslContext an SSL context to use instead of the PEM material, or {@code null}
 * @param trustManager the trust manager of {@code sslContext}, required with it
 * @param insecureSkipVerify whether to trust any server certificate
 * @author otel-export authors
 */
public record TlsSettings(byte[] trustedCertificatesPem, byte[] clientKeyPem, byte[] clientCertificatePem,
		SSLContext sslContext, X509TrustManager trustManager, boolean insecureSkipVerify) {

	private static final TlsSettings NONE = new TlsSettings(null, null, null, null, null, false);

	/**
	 * Validate the settings.
	 * @param trustedCertificatesPem the CA certificates to trust
	 * @param clientKeyPem the client's private key
	 * @param clientCertificatePem the client's certificate chain
	 * @param sslContext an SSL context
	 * @param trustManager the trust manager of the SSL context
	 * @param insecureSkipVerify whether to trust any server certificate
	 */
	public TlsSettings {
		if ((clientKeyPem == null) != (clientCertificatePem == null)) {
			throw new IllegalArgumentException("A client key and a client certificate are needed together");
		}
		if ((sslContext == null) != (trustManager == null)) {
			throw new IllegalArgumentException("An SSL context needs its X509TrustManager, and vice versa");
		}
	}

	/**
	 * Return settings that use the JVM's default trust.
	 * @return the default settings
	 */
	public static TlsSettings none() {
		return NONE;
	}

	/**
	 * Return settings from PEM material.
	 * @param trustedCertificatesPem the CA certificates to trust, or {@code null}
	 * @param clientKeyPem the client key for mutual TLS, or {@code null}
	 * @param clientCertificatePem the client certificate for mutual TLS, or {@code null}
	 * @return the settings
	 */
	public static TlsSettings pem(byte[] trustedCertificatesPem, byte[] clientKeyPem, byte[] clientCertificatePem) {
		return new TlsSettings(trustedCertificatesPem, clientKeyPem, clientCertificatePem, null, null, false);
	}

	/**
	 * Return settings from an SSL context, for example a Spring Boot SSL bundle's.
	 * @param sslContext the SSL context
	 * @param trustManager its trust manager
	 * @return the settings
	 */
	public static TlsSettings sslContext(SSLContext sslContext, X509TrustManager trustManager) {
		return new TlsSettings(null, null, null, sslContext, trustManager, false);
	}

	/**
	 * Return settings that trust any server certificate. For local testing only.
	 * @return the settings
	 */
	public static TlsSettings insecure() {
		return new TlsSettings(null, null, null, null, null, true);
	}

	@Override
	public String toString() {
		// Never print key material
		return "TlsSettings{trustedCertificates=" + (this.trustedCertificatesPem != null) + ", clientTls="
				+ (this.clientKeyPem != null) + ", sslContext=" + (this.sslContext != null) + ", insecureSkipVerify="
				+ this.insecureSkipVerify + "}";
	}

}
