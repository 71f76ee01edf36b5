package io.github.otelexport.export.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link NoDelaySocketFactory}.
 *
 * @author otel-export authors
 */
class NoDelaySocketFactoryTests {

	private final NoDelaySocketFactory factory = new NoDelaySocketFactory();

	@Test
	void unconnectedSocketHasNoDelay() throws IOException {
		try (Socket socket = this.factory.createSocket()) {
			assertThat(socket.getTcpNoDelay()).isTrue();
		}
	}

	@Test
	void connectedSocketsHaveNoDelay() throws IOException {
		InetAddress loopback = InetAddress.getLoopbackAddress();
		try (ServerSocket server = new ServerSocket(0, 8, loopback)) {
			int port = server.getLocalPort();
			try (Socket byName = this.factory.createSocket(loopback.getHostAddress(), port);
					Socket byNameAndLocal = this.factory.createSocket(loopback.getHostAddress(), port, loopback, 0);
					Socket byAddress = this.factory.createSocket(loopback, port);
					Socket byAddressAndLocal = this.factory.createSocket(loopback, port, loopback, 0)) {
				assertThat(new Socket[] { byName, byNameAndLocal, byAddress, byAddressAndLocal })
					.allSatisfy((socket) -> assertThat(socket.getTcpNoDelay()).isTrue());
			}
		}
	}

}
