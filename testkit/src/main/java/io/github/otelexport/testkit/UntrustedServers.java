package io.github.otelexport.testkit;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;

/**
 * A second gRPC and HTTP server pair whose certificate is signed by a CA of its own,
 * which no client of the receiver trusts: the target of
 * {@link OtlpReceiver#presentUntrustedCertificate()}.
 * <p>
 * It never asks for a client certificate: a client trusting the receiver's CA fails the
 * handshake on the server certificate first.
 *
 * @author otel-export authors
 */
final class UntrustedServers implements Closeable {

	private final CertificateAuthority certificates;

	private OtlpGrpcServer grpcServer;

	private OtlpHttpServer httpServer;

	private UntrustedServers(InetAddress address, ExportHandler handler, NamedThreadFactory threads)
			throws IOException {
		this.certificates = CertificateAuthority.generate();
		try {
			this.grpcServer = new OtlpGrpcServer(address, new OtlpGrpcServices(handler), this.certificates, false,
					threads);
			this.httpServer = new OtlpHttpServer(address, handler, this.certificates.serverSslContext(), false,
					threads);
		}
		catch (IOException | RuntimeException ex) {
			close();
			throw ex;
		}
	}

	static UntrustedServers start(InetAddress address, ExportHandler handler, NamedThreadFactory threads) {
		try {
			return new UntrustedServers(address, handler, threads);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start the servers with the untrusted certificate", ex);
		}
	}

	int grpcPort() {
		return this.grpcServer.port();
	}

	int httpPort() {
		return this.httpServer.port();
	}

	@Override
	public void close() {
		if (this.grpcServer != null) {
			this.grpcServer.close();
		}
		if (this.httpServer != null) {
			this.httpServer.close();
		}
		this.certificates.close();
	}

}
