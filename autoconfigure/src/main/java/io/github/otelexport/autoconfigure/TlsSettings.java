package io.github.otelexport.autoconfigure;

import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;

/**
 * TLS trust and client identity of one destination: either nothing (the JVM's defaults)
 * or an {@link SSLContext} with its trust manager.
 *
 * @param sslContext the SSL context, or {@code null} for the JVM's defaults
 * @param trustManager the trust manager of the SSL context, or {@code null}
 * @author otel-export authors
 */
public record TlsSettings(SSLContext sslContext, X509TrustManager trustManager) {

	private static final TlsSettings NONE = new TlsSettings(null, null);

	/**
	 * Return settings that use the JVM's defaults.
	 * @return the default settings
	 */
	public static TlsSettings none() {
		return NONE;
	}

	/**
	 * Return whether an SSL context is configured.
	 * @return {@code true} if an SSL context is set
	 */
	public boolean isConfigured() {
		return this.sslContext != null;
	}

}
