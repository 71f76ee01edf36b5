package io.github.otelexport.export;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Loopback ports for tests. Public so that the tests of the packages built on the core
 * find a closed port the same way.
 *
 * @author otel-export authors
 */
public final class TestPorts {

	private TestPorts() {
	}

	/**
	 * Return a loopback port that nothing listens on: it was bound a moment ago and
	 * released, so connecting to it is refused.
	 * @return the port
	 */
	public static int closedPort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
