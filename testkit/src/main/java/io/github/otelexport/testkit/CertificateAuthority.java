package io.github.otelexport.testkit;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority generated at start: a self-signed CA, a server
 * certificate for {@code 127.0.0.1} and {@code localhost}, and a client certificate, each
 * available as PEM bytes and as a file in a temporary directory.
 *
 * @author otel-export authors
 */
final class CertificateAuthority implements Closeable {

	private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

	private static final char[] NO_PASSWORD = new char[0];

	private final SecureRandom random = new SecureRandom();

	private final KeyPair caKeys;

	private final X509Certificate ca;

	private final KeyPair serverKeys;

	private final X509Certificate server;

	private final KeyPair clientKeys;

	private final X509Certificate client;

	private final Path directory;

	private CertificateAuthority() throws GeneralSecurityException, OperatorCreationException, IOException {
		Instant now = Instant.now();
		X500Name caName = new X500Name("CN=otel-export test CA");
		this.caKeys = keyPair();
		this.ca = sign(caName, caName, this.caKeys, this.caKeys, now, (builder, extensions) -> {
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
			builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
		});
		this.serverKeys = keyPair();
		this.server = sign(new X500Name("CN=localhost"), caName, this.serverKeys, this.caKeys, now,
				(builder, extensions) -> {
					builder.addExtension(Extension.subjectAlternativeName, false,
							new GeneralNames(new GeneralName[] { new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
									new GeneralName(GeneralName.dNSName, "localhost") }));
					builder.addExtension(Extension.extendedKeyUsage, false,
							new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
				});
		this.clientKeys = keyPair();
		this.client = sign(new X500Name("CN=otel-export test client"), caName, this.clientKeys, this.caKeys, now,
				(builder, extensions) -> builder.addExtension(Extension.extendedKeyUsage, false,
						new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth)));
		this.directory = Files.createTempDirectory("otlp-receiver-tls");
		Files.write(caCertificateFile(), caCertificatePem());
		Files.write(serverCertificateFile(), Pem.certificate(this.server));
		Files.write(serverKeyFile(), Pem.privateKey(this.serverKeys.getPrivate()));
		Files.write(clientCertificateFile(), clientCertificatePem());
		Files.write(clientKeyFile(), clientKeyPem());
	}

	static CertificateAuthority generate() {
		try {
			return new CertificateAuthority();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException | OperatorCreationException ex) {
			throw new IllegalStateException("Cannot generate test certificates", ex);
		}
	}

	byte[] caCertificatePem() {
		return Pem.certificate(this.ca);
	}

	byte[] clientCertificatePem() {
		return Pem.certificate(this.client);
	}

	byte[] clientKeyPem() {
		return Pem.privateKey(this.clientKeys.getPrivate());
	}

	Path caCertificateFile() {
		return this.directory.resolve("ca.pem");
	}

	Path serverCertificateFile() {
		return this.directory.resolve("server.pem");
	}

	Path serverKeyFile() {
		return this.directory.resolve("server-key.pem");
	}

	Path clientCertificateFile() {
		return this.directory.resolve("client.pem");
	}

	Path clientKeyFile() {
		return this.directory.resolve("client-key.pem");
	}

	/**
	 * A server-side JSSE context presenting the server certificate and trusting only this
	 * CA for client certificates.
	 * @return the context
	 */
	SSLContext serverSslContext() {
		try {
			KeyStore keys = KeyStore.getInstance("PKCS12");
			keys.load(null, null);
			keys.setKeyEntry("server", this.serverKeys.getPrivate(), NO_PASSWORD,
					new X509Certificate[] { this.server, this.ca });
			KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			keyManagers.init(keys, NO_PASSWORD);
			KeyStore trusted = KeyStore.getInstance("PKCS12");
			trusted.load(null, null);
			trusted.setCertificateEntry("ca", this.ca);
			TrustManagerFactory trustManagers = TrustManagerFactory
				.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trustManagers.init(trusted);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), this.random);
			return context;
		}
		catch (IOException | GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot build the server TLS context", ex);
		}
	}

	@Override
	public void close() {
		try (var files = Files.list(this.directory)) {
			for (Path file : (Iterable<Path>) files::iterator) {
				Files.deleteIfExists(file);
			}
			Files.deleteIfExists(this.directory);
		}
		catch (IOException ex) {
			// a temporary directory; the OS cleans up what is left
		}
	}

	private X509Certificate sign(X500Name subject, X500Name issuer, KeyPair subjectKeys, KeyPair issuerKeys,
			Instant now, Extensions extensions)
			throws GeneralSecurityException, OperatorCreationException, IOException {
		JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
		X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, this.random),
				Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(7))), subject,
				subjectKeys.getPublic());
		builder.addExtension(Extension.subjectKeyIdentifier, false,
				utils.createSubjectKeyIdentifier(subjectKeys.getPublic()));
		builder.addExtension(Extension.authorityKeyIdentifier, false,
				utils.createAuthorityKeyIdentifier(issuerKeys.getPublic()));
		if (subjectKeys != issuerKeys) {
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
			builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
		}
		extensions.add(builder, utils);
		ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(issuerKeys.getPrivate());
		return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
	}

	private static KeyPair keyPair() throws GeneralSecurityException {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"));
		return generator.generateKeyPair();
	}

	@FunctionalInterface
	private interface Extensions {

		void add(X509v3CertificateBuilder builder, JcaX509ExtensionUtils utils) throws CertIOException;

	}

}
