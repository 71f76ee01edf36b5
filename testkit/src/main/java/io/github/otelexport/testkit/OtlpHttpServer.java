package io.github.otelexport.testkit;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

/**
 * A small blocking HTTP/1.1 server on a private loopback port that answers
 * {@code POST /v1/traces} and {@code POST /v1/logs} with OTLP protobuf, as a Collector's
 * HTTP receiver does.
 *
 * @author otel-export authors
 */
final class OtlpHttpServer implements Closeable {

	/** The Collector's default {@code max_request_body_size}. */
	private static final int MAX_BODY_BYTES = 20 * 1024 * 1024;

	/** How long a refused HTTP/2 client is read from before its connection is closed. */
	private static final int LINGER_MILLIS = 2000;

	/** The HTTP/2 preface after its {@code PRI * HTTP/2.0} head: {@code SM\r\n\r\n}. */
	private static final int PREFACE_REST = 6;

	private static final int FRAME_HEADER_BYTES = 9;

	private static final int FRAME_DATA = 0;

	private static final int FRAME_HEADERS = 1;

	private static final int FLAG_END_STREAM = 1;

	private final ExportHandler handler;

	private final ServerSocket listener;

	private final ExecutorService connections;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private final Thread acceptor;

	OtlpHttpServer(InetAddress address, ExportHandler handler, SSLContext sslContext, boolean requireClientCertificate,
			NamedThreadFactory threads) throws IOException {
		this.handler = handler;
		this.listener = (sslContext != null) ? sslContext.getServerSocketFactory().createServerSocket()
				: new ServerSocket();
		if (this.listener instanceof SSLServerSocket tls) {
			tls.setNeedClientAuth(requireClientCertificate);
		}
		this.listener.setReuseAddress(true);
		this.listener.bind(new InetSocketAddress(address, 0), 128);
		this.connections = Executors.newCachedThreadPool(threads);
		this.acceptor = threads.newThread(this::acceptLoop);
		this.acceptor.start();
	}

	int port() {
		return this.listener.getLocalPort();
	}

	@Override
	public void close() {
		closeQuietly(this.listener);
		this.sockets.forEach(OtlpHttpServer::closeQuietly);
		this.connections.shutdownNow();
	}

	private void acceptLoop() {
		while (!this.listener.isClosed()) {
			try {
				Socket socket = this.listener.accept();
				this.sockets.add(socket);
				this.connections.execute(() -> serveConnection(socket));
			}
			catch (IOException | RuntimeException ex) {
				// closed, or the executor was shut down
			}
		}
	}

	private void serveConnection(Socket socket) {
		try (socket) {
			socket.setTcpNoDelay(true);
			InputStream in = new BufferedInputStream(socket.getInputStream());
			OutputStream out = new BufferedOutputStream(socket.getOutputStream());
			HttpRequestReader reader = new HttpRequestReader(in, MAX_BODY_BYTES);
			boolean keepAlive = true;
			while (keepAlive) {
				HttpRequestReader.Head head = reader.readHead();
				if (head == null) {
					return;
				}
				if (head.isHttp2Preface()) {
					refuseHttp2(socket, in, out);
					return;
				}
				keepAlive = serveRequest(socket, reader, head, out) && !head.wantsClose();
			}
		}
		catch (IOException ex) {
			// the client went away, or TLS failed; either way the connection is done
		}
		finally {
			this.sockets.remove(socket);
		}
	}

	/**
	 * Answer an HTTP/2 client (a gRPC client sent to this port) as an HTTP/1.1 server
	 * without h2c does: with a 400, then close. Two things make the client's evidence
	 * deterministic. The answer waits until the client's first request has arrived whole:
	 * a server that answers at once races the client's writer, which then fails on the
	 * connection the client itself tears down ("Broken pipe", "closed") instead of
	 * reporting the malformed frame it read. And the close is graceful (half-close, then
	 * read on), as a plain close with bytes unread would reset the connection.
	 */
	private static void refuseHttp2(Socket socket, InputStream in, OutputStream out) throws IOException {
		socket.setSoTimeout(LINGER_MILLIS);
		DataInputStream frames = new DataInputStream(in);
		try {
			frames.skipNBytes(PREFACE_REST);
			skipToEndOfFirstStream(frames);
		}
		catch (SocketTimeoutException | EOFException ex) {
			// the client sent less than a request: answer anyway
		}
		OtlpHttpResponse.text(400, "Unsupported protocol version HTTP/2.0").writeTo(out, true);
		if (!(socket instanceof SSLSocket)) {
			socket.shutdownOutput();
		}
		byte[] buffer = new byte[8192];
		try {
			for (long drained = 0; drained < MAX_BODY_BYTES;) {
				int read = in.read(buffer);
				if (read == -1) {
					return;
				}
				drained += read;
			}
		}
		catch (SocketTimeoutException ex) {
			// the client keeps the connection open: close it anyway
		}
	}

	/**
	 * Skip HTTP/2 frames until a HEADERS or DATA frame ends a stream: the client's first
	 * request is then complete.
	 */
	private static void skipToEndOfFirstStream(DataInputStream frames) throws IOException {
		for (long read = 0; read < MAX_BODY_BYTES;) {
			int length = (frames.readUnsignedByte() << 16) | frames.readUnsignedShort();
			int type = frames.readUnsignedByte();
			int flags = frames.readUnsignedByte();
			int stream = frames.readInt() & Integer.MAX_VALUE;
			frames.skipNBytes(length);
			read += FRAME_HEADER_BYTES + length;
			if (stream != 0 && (type == FRAME_DATA || type == FRAME_HEADERS) && (flags & FLAG_END_STREAM) != 0) {
				return;
			}
		}
	}

	private boolean serveRequest(Socket socket, HttpRequestReader reader, HttpRequestReader.Head head, OutputStream out)
			throws IOException {
		Map<String, String> headers = head.headers();
		String encoding = headers.getOrDefault("content-encoding", "identity").toLowerCase(Locale.ROOT);
		boolean gzip = encoding.equals("gzip");
		if (head.expectsContinue()) {
			out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
			out.flush();
		}
		byte[] body;
		try {
			body = reader.readBody(head);
		}
		catch (HttpRequestReader.BodyTooLargeException ex) {
			this.handler.rejectedUndecoded(Signal.forHttpPath(head.path()), Protocol.HTTP, headers, gzip);
			OtlpHttpResponse.error(413, "Request body larger than " + MAX_BODY_BYTES + " bytes").writeTo(out, true);
			return false;
		}
		OtlpHttpResponse response = respond(head, body, gzip, encoding);
		response.writeTo(out, head.wantsClose(), this.handler::pause);
		if (response.resetsMidway()) {
			// linger 0 turns close() into a TCP RST instead of an orderly FIN
			socket.setSoLinger(true, 0);
			socket.close();
			return false;
		}
		return true;
	}

	private OtlpHttpResponse respond(HttpRequestReader.Head head, byte[] body, boolean gzip, String encoding) {
		Map<String, String> headers = head.headers();
		Signal signal = Signal.forHttpPath(head.path());
		if (signal == null) {
			this.handler.rejectedUndecoded(null, Protocol.HTTP, headers, gzip);
			return OtlpHttpResponse.error(404, "No OTLP signal at " + head.path() + "; traces go to "
					+ Signal.TRACES.httpPath() + ", logs to " + Signal.LOGS.httpPath());
		}
		if (!"POST".equals(head.method())) {
			this.handler.rejectedUndecoded(signal, Protocol.HTTP, headers, gzip);
			return OtlpHttpResponse.error(405, head.method() + " is not allowed; use POST").withHeader("Allow", "POST");
		}
		String contentType = headers.getOrDefault("content-type", "").toLowerCase(Locale.ROOT);
		if (!contentType.startsWith("application/x-protobuf")) {
			this.handler.rejectedUndecoded(signal, Protocol.HTTP, headers, gzip);
			return OtlpHttpResponse.error(415, "Only application/x-protobuf is supported, not '" + contentType + "'");
		}
		ExportOutcome outcome;
		try {
			byte[] message = decompress(body, gzip, encoding);
			// the handler throws no IOException: only decoding fails here
			outcome = switch (signal) {
				case TRACES ->
					this.handler.traces(Protocol.HTTP, headers, gzip, ExportTraceServiceRequest.parseFrom(message));
				case LOGS ->
					this.handler.logs(Protocol.HTTP, headers, gzip, ExportLogsServiceRequest.parseFrom(message));
			};
		}
		catch (IOException ex) {
			this.handler.rejectedUndecoded(signal, Protocol.HTTP, headers, gzip);
			return OtlpHttpResponse.error(400, "Cannot decode the request body: " + ex.getMessage());
		}
		return OtlpHttpResponse.of(signal, outcome);
	}

	private static byte[] decompress(byte[] body, boolean gzip, String encoding) throws IOException {
		if (gzip) {
			try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
				return in.readAllBytes();
			}
		}
		if (!encoding.equals("identity")) {
			throw new IOException("unsupported Content-Encoding '" + encoding + "'");
		}
		return body;
	}

	private static void closeQuietly(Closeable closeable) {
		try {
			closeable.close();
		}
		catch (IOException ex) {
			// nothing to do
		}
	}

}
