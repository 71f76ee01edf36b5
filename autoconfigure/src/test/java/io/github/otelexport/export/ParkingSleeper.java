package io.github.otelexport.export;

import java.time.Duration;

/**
 * A {@link Sleeper} whose waits end only when nudged or woken, never by themselves: the
 * test moves the {@link TestTime} and knows when every sender waits.
 *
 * @author otel-export authors
 */
final class ParkingSleeper implements Sleeper {

	private long nudges;

	private int sleeping;

	private boolean woken;

	@Override
	public synchronized boolean sleep(Duration duration) throws InterruptedException {
		return sleep(duration, this.nudges);
	}

	@Override
	public synchronized boolean sleep(Duration duration, long nudgesSeen) throws InterruptedException {
		this.sleeping++;
		try {
			while (!this.woken && this.nudges == nudgesSeen) {
				wait();
			}
			return !this.woken;
		}
		finally {
			this.sleeping--;
		}
	}

	@Override
	public synchronized void nudge() {
		this.nudges++;
		notifyAll();
	}

	@Override
	public synchronized long nudges() {
		return this.nudges;
	}

	@Override
	public synchronized void wakeUp() {
		this.woken = true;
		notifyAll();
	}

	/**
	 * Return how many threads wait in it now.
	 * @return the sleeping threads
	 */
	synchronized int sleeping() {
		return this.sleeping;
	}

}
