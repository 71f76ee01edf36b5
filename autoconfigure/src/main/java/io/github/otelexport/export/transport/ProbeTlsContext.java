package io.github.otelexport.export.transport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Builds the {@link SSLContext} of the transports from a destination's
 * {@link TlsSettings}, and the one the TLS step of the endpoint diagnosis uses, so that
 * the probe trusts and presents exactly what the exporter does.
 *
 * @author otel-export authors
 */
public final class ProbeTlsContext {

	private static final char[] NO_PASSWORD = new char[0];

	private ProbeTlsContext() {
	}

	/**
	 * Return the context for the settings.
	 * @param tls the TLS settings
	 * @return the context, or {@code null} for the JVM's default
	 * @throws IllegalArgumentException if the PEM material cannot be read
	 */
	public static SSLContext of(TlsSettings tls) {
		if (tls.insecureSkipVerify()) {
			return InsecureTrustManager.sslContext();
		}
		if (tls.sslContext() != null) {
			return tls.sslContext();
		}
		if (tls.trustedCertificatesPem() == null && tls.clientKeyPem() == null) {
			return null;
		}
		try {
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(keyManagers(tls), trustManagers(tls), null);
			return context;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalArgumentException("Cannot read the TLS certificates or key: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Return the trust manager that the {@linkplain #of(TlsSettings) context} checks
	 * servers with, for clients that need it beside the context (OkHttp).
	 * @param tls the TLS settings
	 * @return the trust manager, the JVM's default one when the settings name no CA
	 * @throws IllegalArgumentException if the PEM material cannot be read
	 */
	public static X509TrustManager trustManager(TlsSettings tls) {
		if (tls.insecureSkipVerify()) {
			return InsecureTrustManager.INSTANCE;
		}
		if (tls.sslContext() != null) {
			return tls.trustManager();
		}
		try {
			for (TrustManager manager : trustManagerFactory(
					(tls.trustedCertificatesPem() != null) ? trustStore(tls) : null)
				.getTrustManagers()) {
				if (manager instanceof X509TrustManager x509) {
					return x509;
				}
			}
			throw new IllegalStateException("The JVM's trust manager factory has no X509TrustManager");
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalArgumentException("Cannot read the TLS certificates: " + ex.getMessage(), ex);
		}
	}

	private static TrustManager[] trustManagers(TlsSettings tls) throws GeneralSecurityException {
		if (tls.trustedCertificatesPem() == null) {
			return null;
		}
		return trustManagerFactory(trustStore(tls)).getTrustManagers();
	}

	private static KeyStore trustStore(TlsSettings tls) throws GeneralSecurityException {
		KeyStore store = emptyStore();
		int index = 0;
		for (Certificate certificate : certificates(tls.trustedCertificatesPem())) {
			store.setCertificateEntry("ca-" + index++, certificate);
		}
		return store;
	}

	private static TrustManagerFactory trustManagerFactory(KeyStore store) throws GeneralSecurityException {
		TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		factory.init(store);
		return factory;
	}

	private static KeyManager[] keyManagers(TlsSettings tls) throws GeneralSecurityException {
		if (tls.clientKeyPem() == null) {
			return null;
		}
		KeyStore store = emptyStore();
		store.setKeyEntry("client", privateKey(tls.clientKeyPem()), NO_PASSWORD,
				certificates(tls.clientCertificatePem()).toArray(new Certificate[0]));
		KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		factory.init(store, NO_PASSWORD);
		return factory.getKeyManagers();
	}

	private static Collection<? extends Certificate> certificates(byte[] pem) throws GeneralSecurityException {
		return CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
	}

	private static PrivateKey privateKey(byte[] pem) throws GeneralSecurityException {
		String base64 = new String(pem, StandardCharsets.US_ASCII).replaceAll("-----[A-Z ]+-----", "")
			.replaceAll("\\s", "");
		PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64));
		GeneralSecurityException last = null;
		for (String algorithm : new String[] { "RSA", "EC", "Ed25519" }) {
			try {
				return KeyFactory.getInstance(algorithm).generatePrivate(spec);
			}
			catch (GeneralSecurityException ex) {
				last = ex;
			}
		}
		throw last;
	}

	private static KeyStore emptyStore() throws GeneralSecurityException {
		try {
			KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
			store.load(null, null);
			return store;
		}
		catch (IOException ex) {
			throw new GeneralSecurityException(ex);
		}
	}

}
