package io.github.otelexport.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import io.github.otelexport.export.transport.InsecureTrustManager;
import io.github.otelexport.export.transport.TlsSettings;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.io.ApplicationResourceLoader;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.pem.PemContent;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.StringUtils;

/**
 * Turns {@code otel.export[.fallback].tls.*} into an {@link SSLContext}: from PEM files,
 * from a Spring Boot SSL bundle, or trusting any certificate chain when
 * {@code insecure-skip-verify} is set (the host name is still checked: the SDK's
 * exporters offer no way to turn that off). PEM files are resource locations, as in
 * Spring Boot's SSL bundles: a plain path (relative to the working directory),
 * {@code file:...} or {@code classpath:...}.
 *
 * @author otel-export authors
 */
final class TlsSettingsResolver {

	private static final Log logger = LogFactory.getLog(TlsSettingsResolver.class);

	private static final char[] NO_PASSWORD = new char[0];

	private final SslBundles sslBundles;

	private final ResourceLoader resourceLoader;

	/**
	 * Create a new instance.
	 * @param sslBundles the application's SSL bundles, or {@code null} when there are
	 * none
	 * @param resourceLoader the application's resource loader; plain paths resolve
	 * against the file system whatever it does
	 */
	TlsSettingsResolver(SslBundles sslBundles, ResourceLoader resourceLoader) {
		this.sslBundles = sslBundles;
		this.resourceLoader = ApplicationResourceLoader.get(resourceLoader, true);
	}

	TlsSettings resolve(String prefix, DestinationProperties.Tls tls) {
		boolean insecure = Boolean.TRUE.equals(tls.getInsecureSkipVerify());
		boolean pem = StringUtils.hasText(tls.getCaFile()) || StringUtils.hasText(tls.getClientCertificate())
				|| StringUtils.hasText(tls.getClientKey());
		if (StringUtils.hasText(tls.getBundle()) && pem) {
			throw new InvalidOtelExportConfigurationException(prefix + "tls.bundle", tls.getBundle(),
					"an SSL bundle and PEM files (ca-file, client-certificate, client-key) are both set",
					"Use either " + prefix + "tls.bundle or the PEM file properties, not both.");
		}
		if (insecure) {
			// Neither sender can be told to skip the host name check: OkHttp (gRPC) does
			// it
			// whatever the trust manager, the JDK HttpClient (http/protobuf) has the JDK
			// do it in the handshake (see InsecureTrustManager)
			logger.warn("!!! " + prefix + "tls.insecure-skip-verify=true: the server's certificate chain is NOT "
					+ "verified; anyone on the network path can read and change the exported spans and headers. "
					+ "The host name is still checked: the endpoint's host must be one the certificate names. "
					+ "Use it for local testing only; trust the server's CA with " + prefix + "tls.ca-file or " + prefix
					+ "tls.bundle instead. !!!");
		}
		if (StringUtils.hasText(tls.getBundle())) {
			return fromBundle(prefix, tls.getBundle().trim(), insecure);
		}
		if (pem || insecure) {
			return fromPemFiles(prefix, tls, insecure);
		}
		return TlsSettings.none();
	}

	private TlsSettings fromBundle(String prefix, String name, boolean insecure) {
		SslBundle bundle = getBundle(prefix, name);
		KeyManager[] keyManagers = bundle.getManagers().getKeyManagers();
		X509TrustManager trustManager = insecure ? InsecureTrustManager.INSTANCE
				: x509(bundle.getManagers().getTrustManagers());
		if (!insecure) {
			return TlsSettings.sslContext(bundle.createSslContext(), trustManager);
		}
		return TlsSettings.sslContext(sslContext(keyManagers, trustManager), trustManager);
	}

	private SslBundle getBundle(String prefix, String name) {
		String action = "Define the bundle under spring.ssl.bundle.pem." + name + ".* (or spring.ssl.bundle.jks." + name
				+ ".*), or correct " + prefix + "tls.bundle.";
		if (this.sslBundles == null) {
			throw new InvalidOtelExportConfigurationException(prefix + "tls.bundle", name,
					"no SSL bundles are configured in the application", action);
		}
		try {
			return this.sslBundles.getBundle(name);
		}
		catch (NoSuchSslBundleException ex) {
			throw new InvalidOtelExportConfigurationException(prefix + "tls.bundle", name,
					"there is no SSL bundle with that name", action);
		}
	}

	private TlsSettings fromPemFiles(String prefix, DestinationProperties.Tls tls, boolean insecure) {
		boolean hasCertificate = StringUtils.hasText(tls.getClientCertificate());
		boolean hasKey = StringUtils.hasText(tls.getClientKey());
		if (hasCertificate != hasKey) {
			String missing = hasCertificate ? "client-key" : "client-certificate";
			String present = hasCertificate ? "client-certificate" : "client-key";
			String value = hasCertificate ? tls.getClientCertificate() : tls.getClientKey();
			throw new InvalidOtelExportConfigurationException(prefix + "tls." + present, value,
					"mutual TLS needs both a client certificate and its private key", "Also set " + prefix + "tls."
							+ missing + " to a PEM file, or remove " + prefix + "tls." + present + ".");
		}
		try {
			KeyManager[] keyManagers = null;
			if (hasCertificate) {
				List<X509Certificate> chain = certificates(prefix + "tls.client-certificate",
						tls.getClientCertificate());
				PrivateKey key = privateKey(prefix + "tls.client-key", tls.getClientKey());
				KeyStore keyStore = emptyKeyStore();
				keyStore.setKeyEntry("client", key, NO_PASSWORD, chain.toArray(X509Certificate[]::new));
				KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
				factory.init(keyStore, NO_PASSWORD);
				keyManagers = factory.getKeyManagers();
			}
			X509TrustManager trustManager;
			if (insecure) {
				trustManager = InsecureTrustManager.INSTANCE;
			}
			else {
				KeyStore trustStore = null;
				if (StringUtils.hasText(tls.getCaFile())) {
					trustStore = emptyKeyStore();
					int index = 0;
					for (X509Certificate ca : certificates(prefix + "tls.ca-file", tls.getCaFile())) {
						trustStore.setCertificateEntry("ca-" + index++, ca);
					}
				}
				TrustManagerFactory factory = TrustManagerFactory
					.getInstance(TrustManagerFactory.getDefaultAlgorithm());
				factory.init(trustStore);
				trustManager = x509(factory.getTrustManagers());
			}
			return TlsSettings.sslContext(sslContext(keyManagers, trustManager), trustManager);
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new IllegalStateException("Could not set up TLS for " + prefix + "tls.*", ex);
		}
	}

	private List<X509Certificate> certificates(String property, String file) {
		PemContent content = read(property, file, "certificates");
		try {
			List<X509Certificate> certificates = content.getCertificates();
			if (!certificates.isEmpty()) {
				return certificates;
			}
		}
		catch (RuntimeException ex) {
			// reported below
		}
		throw notPem(property, file, "certificate");
	}

	private PrivateKey privateKey(String property, String file) {
		PemContent content = read(property, file, "private key");
		try {
			PrivateKey key = content.getPrivateKey();
			if (key != null) {
				return key;
			}
		}
		catch (RuntimeException ex) {
			// reported below
		}
		throw notPem(property, file, "private key");
	}

	private static InvalidOtelExportConfigurationException notPem(String property, String file, String what) {
		return new InvalidOtelExportConfigurationException(property, file,
				"the file does not contain a PEM-encoded " + what,
				"Point " + property + " to a PEM file (text starting with '-----BEGIN "
						+ ("certificate".equals(what) ? "CERTIFICATE" : "PRIVATE KEY") + "-----'); "
						+ "convert DER or PKCS#12 files with openssl first.");
	}

	private PemContent read(String property, String location, String what) {
		String example = "Set " + property + " to the location of a PEM file with the " + what
				+ ": a path (relative paths resolve against the working directory " + Path.of("").toAbsolutePath()
				+ "), file:... or classpath:...";
		Resource resource;
		try {
			resource = this.resourceLoader.getResource(location.trim());
		}
		catch (RuntimeException ex) {
			throw new InvalidOtelExportConfigurationException(property, location, "this is not a valid location",
					example + ".");
		}
		if (!resource.exists()) {
			throw new InvalidOtelExportConfigurationException(property, location, "the file does not exist",
					example.replace("a PEM file", "an existing PEM file") + ".");
		}
		if (!resource.isReadable()) {
			throw new InvalidOtelExportConfigurationException(property, location,
					"the file cannot be read (it is a directory or its permissions deny reading)",
					"Make " + resource.getDescription() + " a file the application's user can read.");
		}
		try (InputStream in = resource.getInputStream()) {
			return PemContent.load(in);
		}
		catch (IOException ex) {
			throw new InvalidOtelExportConfigurationException(property, location,
					"the file cannot be read: " + ex.getMessage(),
					"Make " + resource.getDescription() + " a file the application's user can read.");
		}
	}

	/**
	 * Return whether the settings change anything from the JVM's default trust.
	 * @param tls the settings
	 * @return {@code true} if TLS material or an SSL context is configured
	 */
	static boolean isConfigured(TlsSettings tls) {
		return tls.sslContext() != null || tls.trustedCertificatesPem() != null || tls.clientKeyPem() != null
				|| tls.insecureSkipVerify();
	}

	/**
	 * Return whether the settings trust any server certificate chain
	 * ({@code insecure-skip-verify}), with or without a client identity.
	 * @param tls the settings
	 * @return {@code true} if the certificate chain is not verified
	 */
	static boolean isInsecure(TlsSettings tls) {
		return tls.insecureSkipVerify() || tls.trustManager() == InsecureTrustManager.INSTANCE;
	}

	private static KeyStore emptyKeyStore() throws GeneralSecurityException, IOException {
		KeyStore keyStore = KeyStore.getInstance(KeyStore.getDefaultType());
		keyStore.load(null, null);
		return keyStore;
	}

	private static SSLContext sslContext(KeyManager[] keyManagers, X509TrustManager trustManager) {
		try {
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(keyManagers, new TrustManager[] { trustManager }, null);
			return context;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Could not create an SSL context", ex);
		}
	}

	private static X509TrustManager x509(TrustManager[] trustManagers) {
		for (TrustManager trustManager : trustManagers) {
			if (trustManager instanceof X509TrustManager x509) {
				return x509;
			}
		}
		throw new IllegalStateException("No X509TrustManager among the trust managers");
	}

}
