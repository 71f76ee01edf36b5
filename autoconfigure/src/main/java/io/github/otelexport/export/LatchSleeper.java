package io.github.otelexport.export;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Sleeper} that waits on a latch, so a shutdown ends every wait at once and a
 * nudge the current ones.
 *
 * @author otel-export authors
 */
final class LatchSleeper implements Sleeper {

	/**
	 * Counted down by a nudge or the shutdown, and then replaced.
	 */
	private volatile CountDownLatch latch = new CountDownLatch(1);

	private volatile boolean woken;

	/**
	 * Written before the latch is replaced, so a sleep that reads the new latch sees it.
	 */
	private volatile long nudges;

	@Override
	public boolean sleep(Duration duration) throws InterruptedException {
		CountDownLatch current = this.latch;
		if (this.woken) {
			return false;
		}
		if (!current.await(duration.toNanos(), TimeUnit.NANOSECONDS)) {
			return true;
		}
		return !this.woken;
	}

	@Override
	public boolean sleep(Duration duration, long nudgesSeen) throws InterruptedException {
		CountDownLatch current = this.latch;
		if (this.woken) {
			return false;
		}
		if (this.nudges != nudgesSeen) {
			return true;
		}
		if (!current.await(duration.toNanos(), TimeUnit.NANOSECONDS)) {
			return true;
		}
		return !this.woken;
	}

	@Override
	public long nudges() {
		return this.nudges;
	}

	@Override
	public void wakeUp() {
		// before the latch: a sleep that reads the new latch sees it
		this.woken = true;
		nudge();
	}

	@Override
	public synchronized void nudge() {
		CountDownLatch current = this.latch;
		this.nudges++;
		this.latch = new CountDownLatch(1);
		current.countDown();
	}

}
