package io.github.otelexport.testkit;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;

/**
 * PEM encoding of certificates and PKCS#8 private keys.
 *
 * @author otel-export authors
 */
final class Pem {

	private static final Base64.Encoder ENCODER = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

	private Pem() {
	}

	static byte[] certificate(X509Certificate certificate) {
		try {
			return encode("CERTIFICATE", certificate.getEncoded());
		}
		catch (CertificateEncodingException ex) {
			throw new IllegalStateException("Cannot encode certificate " + certificate.getSubjectX500Principal(), ex);
		}
	}

	static byte[] privateKey(PrivateKey key) {
		if (!"PKCS#8".equals(key.getFormat())) {
			throw new IllegalStateException("Expected a PKCS#8 key but got " + key.getFormat());
		}
		return encode("PRIVATE KEY", key.getEncoded());
	}

	private static byte[] encode(String type, byte[] der) {
		String pem = "-----BEGIN " + type + "-----\n" + ENCODER.encodeToString(der) + "\n-----END " + type + "-----\n";
		return pem.getBytes(StandardCharsets.US_ASCII);
	}

}
