package io.github.otelexport.testkit;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The receiver's current {@link Behaviour}, read by every request handler and switched by
 * the test at any moment.
 *
 * @author otel-export authors
 */
final class FaultState {

	private final AtomicReference<Behaviour> current = new AtomicReference<>(Behaviour.NORMAL);

	private final CountDownLatch closed = new CountDownLatch(1);

	Behaviour current() {
		return this.current.get();
	}

	Behaviour update(UnaryOperator<Behaviour> change) {
		return this.current.updateAndGet(change);
	}

	boolean resetting() {
		return current().fault() instanceof Fault.ResetConnections;
	}

	/**
	 * Hold a response back; returns early when the receiver closes so that no handler
	 * outlives it.
	 * @param delay how long to wait
	 */
	void await(Duration delay) {
		if (delay.isZero() || delay.isNegative()) {
			return;
		}
		try {
			this.closed.await(delay.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	void close() {
		this.closed.countDown();
	}

}
