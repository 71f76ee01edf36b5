package io.github.otelexport.testkit;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * A TCP relay on the public loopback port in front of a server on a private port. It
 * makes the transport faults real: it can stop listening (clients get "connection
 * refused") and listen again on the same port, it can reset connections (TCP RST) as soon
 * as request bytes arrive (and passes a server's reset on to the client), and it can send
 * new connections to another server (one with an untrusted certificate, say). TLS passes
 * through untouched.
 *
 * @author otel-export authors
 */
final class ConnectionGate implements Closeable {

	private static final int BUFFER_SIZE = 16 * 1024;

	private final InetAddress address;

	private volatile int backendPort;

	private final BooleanSupplier resetting;

	private final NamedThreadFactory threads;

	private final ExecutorService relays;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private ServerSocket listener;

	private Thread acceptor;

	private int port;

	ConnectionGate(InetAddress address, int backendPort, BooleanSupplier resetting, NamedThreadFactory threads) {
		this.address = address;
		this.backendPort = backendPort;
		this.resetting = resetting;
		this.threads = threads;
		this.relays = Executors.newCachedThreadPool(threads);
	}

	int port() {
		return this.port;
	}

	/**
	 * Listen, on the port used before if there was one.
	 * @throws IOException if the port cannot be bound
	 */
	synchronized void open() throws IOException {
		if (this.listener != null) {
			return;
		}
		ServerSocket listener = new ServerSocket();
		listener.setReuseAddress(true);
		listener.bind(new InetSocketAddress(this.address, this.port), 128);
		this.port = listener.getLocalPort();
		this.listener = listener;
		this.acceptor = this.threads.newThread(() -> acceptLoop(listener));
		this.acceptor.start();
	}

	/**
	 * Close the listening socket and every relayed connection, so that the port refuses
	 * connections until {@link #open()}.
	 */
	synchronized void refuse() {
		if (this.listener == null) {
			return;
		}
		closeQuietly(this.listener);
		this.listener = null;
		this.sockets.forEach(ConnectionGate::closeQuietly);
		joinQuietly(this.acceptor);
		this.acceptor = null;
	}

	/**
	 * Relay new connections to another server on the same address. Open connections are
	 * closed, so that a client's pooled connections connect (and handshake) again.
	 * @param backendPort the port of the server to relay to
	 */
	synchronized void forwardTo(int backendPort) {
		if (this.backendPort == backendPort) {
			return;
		}
		this.backendPort = backendPort;
		this.sockets.forEach(ConnectionGate::closeQuietly);
	}

	@Override
	public void close() {
		refuse();
		this.relays.shutdownNow();
	}

	private void acceptLoop(ServerSocket listener) {
		while (!listener.isClosed()) {
			try {
				Socket client = listener.accept();
				relay(listener, client);
			}
			catch (IOException ex) {
				// closed by refuse() or close()
			}
		}
	}

	private void relay(ServerSocket listener, Socket client) {
		Socket backend = new Socket();
		int backendPort = this.backendPort;
		try {
			client.setTcpNoDelay(true);
			backend.setTcpNoDelay(true);
			backend.connect(new InetSocketAddress(this.address, backendPort));
			this.sockets.add(client);
			this.sockets.add(backend);
			if (listener.isClosed() || backendPort != this.backendPort) {
				// refuse() or forwardTo() ran while this connection was being set up
				throw new IOException("Stopped listening or switched servers");
			}
			this.relays.execute(() -> pump(client, backend, true));
			this.relays.execute(() -> pump(backend, client, false));
		}
		catch (IOException | RuntimeException ex) {
			discard(client);
			discard(backend);
		}
	}

	private void pump(Socket from, Socket to, boolean fromClient) {
		byte[] buffer = new byte[BUFFER_SIZE];
		try {
			// the streams are closed with their sockets below, after a reset is passed on
			InputStream in = from.getInputStream();
			OutputStream out = to.getOutputStream();
			int read;
			while ((read = in.read(buffer)) != -1) {
				if (fromClient && this.resetting.getAsBoolean()) {
					reset(from);
					return;
				}
				out.write(buffer, 0, read);
				out.flush();
			}
		}
		catch (IOException ex) {
			// the other side went away; closing both ends below tells the peer, and a
			// reset is passed on as a reset, so that a client sees what the server did
			if (ex instanceof SocketException && String.valueOf(ex.getMessage()).contains("Connection reset")) {
				reset(to);
			}
		}
		finally {
			discard(from);
			discard(to);
		}
	}

	private void reset(Socket socket) {
		try {
			// linger 0 turns close() into a TCP RST instead of an orderly FIN
			socket.setSoLinger(true, 0);
		}
		catch (IOException ex) {
			// already gone
		}
		discard(socket);
	}

	private void discard(Socket socket) {
		this.sockets.remove(socket);
		closeQuietly((Closeable) socket);
	}

	private static void closeQuietly(Closeable closeable) {
		try {
			closeable.close();
		}
		catch (IOException ex) {
			// nothing to do
		}
	}

	private static void joinQuietly(Thread thread) {
		try {
			thread.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
