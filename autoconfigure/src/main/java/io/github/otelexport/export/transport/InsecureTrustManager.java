package io.github.otelexport.export.transport;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Trusts every server certificate, for {@code insecure-skip-verify}.
 * <p>
 * It is an {@link X509TrustManager} and deliberately not an
 * {@code X509ExtendedTrustManager}: the JDK wraps a plain one and still checks the host
 * name when the connection asks for it, as the JDK HttpClient of the http/protobuf sender
 * does, so {@code insecure-skip-verify} skips the chain check only, over http/protobuf as
 * over gRPC (whose OkHttp checks the host name after the handshake). An extended trust
 * manager with empty methods would skip the host name check over http/protobuf alone.
 *
 * @author otel-export authors
 */
public final class InsecureTrustManager implements X509TrustManager {

	/**
	 * The shared instance; it holds no state.
	 */
	public static final InsecureTrustManager INSTANCE = new InsecureTrustManager();

	private InsecureTrustManager() {
	}

	static SSLContext sslContext() {
		try {
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, new TrustManager[] { INSTANCE }, null);
			return context;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Unable to create an SSL context that skips verification", ex);
		}
	}

	@Override
	public void checkClientTrusted(X509Certificate[] chain, String authType) {
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType) {
	}

	@Override
	public X509Certificate[] getAcceptedIssuers() {
		return new X509Certificate[0];
	}

}
