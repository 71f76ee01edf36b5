package io.github.otelexport.export.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link NoDelaySocketFactory}: every way OkHttp may ask for a socket gives one
 * with {@code TCP_NODELAY}, connected to a real listening socket on loopback.
 *
 * @author otel-export authors
 */
class NoDelaySocketFactoryTests {

	private final NoDelaySocketFactory factory = new NoDelaySocketFactory();

	private ServerSocket server;

	@BeforeEach
	void listen() throws IOException {
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
	}

	@AfterEach
	void close() throws IOException {
		this.server.close();
	}

	@Test
	void unconnectedSocket() throws IOException {
		try (Socket socket = this.factory.createSocket()) {
			assertThat(socket.getTcpNoDelay()).isTrue();
		}
	}

	@Test
	void socketsConnectedByHostName() throws IOException {
		int port = this.server.getLocalPort();
		try (Socket socket = this.factory.createSocket("localhost", port)) {
			assertThat(socket.isConnected()).isTrue();
			assertThat(socket.getTcpNoDelay()).isTrue();
		}
		try (Socket socket = this.factory.createSocket("localhost", port, InetAddress.getLoopbackAddress(), 0)) {
			assertThat(socket.getTcpNoDelay()).isTrue();
		}
	}

	@Test
	void socketsConnectedByAddress() throws IOException {
		InetAddress loopback = InetAddress.getLoopbackAddress();
		int port = this.server.getLocalPort();
		try (Socket socket = this.factory.createSocket(loopback, port)) {
			assertThat(socket.isConnected()).isTrue();
			assertThat(socket.getTcpNoDelay()).isTrue();
		}
		try (Socket socket = this.factory.createSocket(loopback, port, loopback, 0)) {
			assertThat(socket.getTcpNoDelay()).isTrue();
		}
	}

}
