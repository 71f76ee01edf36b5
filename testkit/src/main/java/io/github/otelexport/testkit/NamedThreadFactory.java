package io.github.otelexport.testkit;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Creates the receiver's daemon threads with a recognisable name and remembers them, so
 * that closing the receiver can wait until every one has ended.
 *
 * @author otel-export authors
 */
final class NamedThreadFactory implements ThreadFactory {

	static final String PREFIX = "otlp-receiver-";

	private final String name;

	private final AtomicInteger counter = new AtomicInteger();

	private final List<Thread> threads = new CopyOnWriteArrayList<>();

	NamedThreadFactory(String name) {
		this.name = PREFIX + name + "-";
	}

	@Override
	public Thread newThread(Runnable task) {
		Thread thread = new Thread(task, this.name + this.counter.incrementAndGet());
		thread.setDaemon(true);
		this.threads.removeIf((candidate) -> candidate.getState() == Thread.State.TERMINATED);
		this.threads.add(thread);
		return thread;
	}

	/**
	 * Wait for every thread created so far to end.
	 * @param timeout how long to wait in total
	 * @return whether all threads ended in time
	 */
	boolean joinAll(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		for (Thread thread : this.threads) {
			long remainingMillis = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
			try {
				thread.join(remainingMillis);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return this.threads.stream().noneMatch(Thread::isAlive);
	}

}
