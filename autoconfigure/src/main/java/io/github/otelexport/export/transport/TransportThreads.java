package io.github.otelexport.export.transport;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Names a transport's daemon threads after it, so that a thread dump (and a test) can
 * tell them apart.
 *
 * @author otel-export authors
 */
final class TransportThreads implements ThreadFactory {

	/** Every transport thread's name starts with this. */
	static final String PREFIX = "otel-export-transport-";

	private static final AtomicInteger TRANSPORTS = new AtomicInteger();

	private final String name;

	private final AtomicInteger threads = new AtomicInteger();

	TransportThreads(String protocol) {
		this.name = PREFIX + protocol + "-" + TRANSPORTS.incrementAndGet() + "-";
	}

	/**
	 * Return how the names of this factory's threads start, and no other's.
	 * @return the prefix
	 */
	String prefix() {
		return this.name;
	}

	@Override
	public Thread newThread(Runnable task) {
		Thread thread = new Thread(task, this.name + this.threads.incrementAndGet());
		thread.setDaemon(true);
		return thread;
	}

}
