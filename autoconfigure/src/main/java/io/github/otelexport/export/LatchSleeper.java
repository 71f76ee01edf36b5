package io.github.otelexport.export;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Sleeper} that waits on a latch, so a shutdown ends every wait at once.
 *
 * @author otel-export authors
 */
final class LatchSleeper implements Sleeper {

	private final CountDownLatch wakeUp = new CountDownLatch(1);

	@Override
	public boolean sleep(Duration duration) throws InterruptedException {
		return !this.wakeUp.await(duration.toNanos(), TimeUnit.NANOSECONDS);
	}

	@Override
	public void wakeUp() {
		this.wakeUp.countDown();
	}

}
