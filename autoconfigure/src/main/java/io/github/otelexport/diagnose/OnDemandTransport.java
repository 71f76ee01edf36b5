package io.github.otelexport.diagnose;

import java.util.function.Supplier;

import io.github.otelexport.export.transport.OtlpTransport;

/**
 * Builds a transport when it is first asked for and hands out that one from then on, so
 * that a transport that is rarely used (the diagnosis's) holds no thread until then and
 * never more than one client.
 *
 * @author otel-export authors
 */
final class OnDemandTransport implements Supplier<OtlpTransport>, AutoCloseable {

	private final Supplier<OtlpTransport> factory;

	private OtlpTransport transport;

	private boolean closed;

	OnDemandTransport(Supplier<OtlpTransport> factory) {
		this.factory = factory;
	}

	@Override
	public synchronized OtlpTransport get() {
		if (this.closed) {
			throw new IllegalStateException("The diagnosis transport is closed: the application is shutting down");
		}
		if (this.transport == null) {
			this.transport = this.factory.get();
		}
		return this.transport;
	}

	@Override
	public synchronized void close() {
		this.closed = true;
		if (this.transport != null) {
			this.transport.close();
		}
	}

}
