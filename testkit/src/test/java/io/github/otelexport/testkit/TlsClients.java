package io.github.otelexport.testkit;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * JSSE client contexts built from PEM bytes, as a user's client would build them.
 *
 * @author otel-export authors
 */
final class TlsClients {

	private static final char[] NO_PASSWORD = new char[0];

	private TlsClients() {
	}

	static SSLContext trusting(byte[] caPem) throws Exception {
		return context(caPem, null, null);
	}

	static SSLContext trustingWithClientCertificate(byte[] caPem, byte[] certificatePem, byte[] keyPem)
			throws Exception {
		return context(caPem, certificatePem, keyPem);
	}

	/**
	 * A context that trusts only the JDK's default CAs, as a client that was not told
	 * about the receiver's CA.
	 */
	static SSLContext defaultTrust() throws Exception {
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, null, null);
		return context;
	}

	private static SSLContext context(byte[] caPem, byte[] certificatePem, byte[] keyPem) throws Exception {
		KeyStore trusted = KeyStore.getInstance("PKCS12");
		trusted.load(null, null);
		trusted.setCertificateEntry("ca", certificate(caPem));
		TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trustManagers.init(trusted);
		KeyManagerFactory keyManagers = null;
		if (certificatePem != null) {
			KeyStore keys = KeyStore.getInstance("PKCS12");
			keys.load(null, null);
			keys.setKeyEntry("client", privateKey(keyPem), NO_PASSWORD,
					new Certificate[] { certificate(certificatePem) });
			keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			keyManagers.init(keys, NO_PASSWORD);
		}
		SSLContext context = SSLContext.getInstance("TLS");
		context.init((keyManagers != null) ? keyManagers.getKeyManagers() : null, trustManagers.getTrustManagers(),
				null);
		return context;
	}

	private static Certificate certificate(byte[] pem) throws Exception {
		return CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
	}

	private static PrivateKey privateKey(byte[] pem) throws Exception {
		String base64 = new String(pem, StandardCharsets.US_ASCII).replaceAll("-----[A-Z ]+-----", "")
			.replaceAll("\\s", "");
		return KeyFactory.getInstance("EC")
			.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
	}

}
