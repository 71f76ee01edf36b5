package io.github.otelexport.autoconfigure;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.opentest4j.TestAbortedException;

/**
 * A TCP relay on {@code 127.0.0.2} (the whole of 127.0.0.0/8 is loopback on Linux) in
 * front of a server on {@code 127.0.0.1}: the server is then reached through an address
 * its certificate does not name, while TLS passes through untouched.
 *
 * @author otel-export authors
 */
final class LoopbackAliasRelay implements Closeable {

	static final String ADDRESS = "127.0.0.2";

	private final int targetPort;

	private final ServerSocket listener;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private LoopbackAliasRelay(int targetPort) throws IOException {
		this.targetPort = targetPort;
		this.listener = new ServerSocket();
		this.listener.bind(new InetSocketAddress(InetAddress.getByName(ADDRESS), 0));
		start(this::acceptAll);
	}

	/**
	 * Start a relay to a port of {@code 127.0.0.1}.
	 * @param targetPort the port to relay to
	 * @return the relay
	 */
	static LoopbackAliasRelay to(int targetPort) {
		try {
			return new LoopbackAliasRelay(targetPort);
		}
		catch (IOException ex) {
			// 127.0.0.2 is loopback on Linux, where CI runs, but not on every system
			throw new TestAbortedException("Cannot listen on " + ADDRESS + " here: " + ex.getMessage(), ex);
		}
	}

	int port() {
		return this.listener.getLocalPort();
	}

	private void acceptAll() {
		while (!this.listener.isClosed()) {
			try {
				Socket client = track(this.listener.accept());
				Socket server = track(new Socket(InetAddress.getLoopbackAddress(), this.targetPort));
				start(() -> copy(client, server));
				start(() -> copy(server, client));
			}
			catch (IOException ex) {
				// closed: the loop ends
			}
		}
	}

	private Socket track(Socket socket) {
		this.sockets.add(socket);
		return socket;
	}

	private void copy(Socket from, Socket to) {
		try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
			in.transferTo(out);
		}
		catch (IOException ex) {
			// one side closed: closing both below ends the other direction too
		}
		finally {
			closeQuietly(from);
			closeQuietly(to);
		}
	}

	private static void start(Runnable runnable) {
		Thread thread = new Thread(runnable, "loopback-alias-relay");
		thread.setDaemon(true);
		thread.start();
	}

	@Override
	public void close() {
		closeQuietly(this.listener);
		this.sockets.forEach(LoopbackAliasRelay::closeQuietly);
	}

	private static void closeQuietly(Closeable closeable) {
		try {
			closeable.close();
		}
		catch (IOException ex) {
			// already closed
		}
	}

}
