package io.github.otelexport.testkit;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * A Netty gRPC server on a private loopback port serving {@link OtlpGrpcServices}, with
 * its own event loop and executor so that closing it leaves no thread behind.
 *
 * @author otel-export authors
 */
final class OtlpGrpcServer implements Closeable {

	private final EventLoopGroup eventLoop;

	private final ExecutorService executor;

	private final Server server;

	OtlpGrpcServer(InetAddress address, OtlpGrpcServices services, CertificateAuthority certificates,
			boolean requireClientCertificate, NamedThreadFactory threads) throws IOException {
		this.eventLoop = new MultiThreadIoEventLoopGroup(1, threads, NioIoHandler.newFactory());
		this.executor = Executors.newCachedThreadPool(threads);
		NettyServerBuilder builder = NettyServerBuilder
			.forAddress(new InetSocketAddress(address, 0), credentials(certificates, requireClientCertificate))
			.bossEventLoopGroup(this.eventLoop)
			.workerEventLoopGroup(this.eventLoop)
			.channelType(NioServerSocketChannel.class)
			.executor(this.executor);
		services.definitions().forEach(builder::addService);
		this.server = builder.build();
		try {
			this.server.start();
		}
		catch (IOException ex) {
			close();
			throw ex;
		}
	}

	int port() {
		return this.server.getPort();
	}

	@Override
	public void close() {
		this.server.shutdownNow();
		try {
			this.server.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.executor.shutdownNow();
		this.eventLoop.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
	}

	private static ServerCredentials credentials(CertificateAuthority certificates, boolean requireClientCertificate)
			throws IOException {
		if (certificates == null) {
			return InsecureServerCredentials.create();
		}
		TlsServerCredentials.Builder tls = TlsServerCredentials.newBuilder()
			.keyManager(certificates.serverCertificateFile().toFile(), certificates.serverKeyFile().toFile());
		if (requireClientCertificate) {
			tls.trustManager(certificates.caCertificateFile().toFile())
				.clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
		}
		return tls.build();
	}

}
