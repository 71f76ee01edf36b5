package io.github.otelexport.export;

import java.time.Duration;

/**
 * Waits between two attempts; shutdown wakes it up.
 *
 * @author otel-export authors
 */
interface Sleeper {

	/**
	 * Wait for the given duration unless woken up.
	 * @param duration how long to wait
	 * @return {@code true} if the full duration passed, {@code false} if woken up (now or
	 * earlier)
	 * @throws InterruptedException if the thread was interrupted
	 */
	boolean sleep(Duration duration) throws InterruptedException;

	/**
	 * Wake up the current and every later {@link #sleep(Duration)} call.
	 */
	void wakeUp();

	/**
	 * End the current {@link #sleep(Duration)} calls early, as if their time had passed
	 * (they return {@code true}); later ones wait as usual. A destination that answers
	 * again needs no sender to wait out its backoff.
	 */
	void nudge();

	/**
	 * Return a sleeper backed by a latch, so that {@link #wakeUp()} ends waits at once.
	 * @return a new sleeper
	 */
	static Sleeper wakeable() {
		return new LatchSleeper();
	}

}
