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
	 * Return how many times {@link #nudge()} was called so far, to pass to
	 * {@link #sleep(Duration, long)}.
	 * @return the nudges so far
	 */
	default long nudges() {
		return 0;
	}

	/**
	 * Wait like {@link #sleep(Duration)}, but end at once (returning {@code true}) when a
	 * nudge came after {@link #nudges()} returned {@code nudgesSeen}: a sender that
	 * decided to wait for a batch's due time must not miss the new batch that came just
	 * before its wait began.
	 * @param duration how long to wait
	 * @param nudgesSeen what {@link #nudges()} returned when the wait was decided
	 * @return {@code true} if the full duration passed or a nudge ended it, {@code false}
	 * if woken up
	 * @throws InterruptedException if the thread was interrupted
	 */
	default boolean sleep(Duration duration, long nudgesSeen) throws InterruptedException {
		return sleep(duration);
	}

	/**
	 * Return a sleeper backed by a latch, so that {@link #wakeUp()} ends waits at once.
	 * @return a new sleeper
	 */
	static Sleeper wakeable() {
		return new LatchSleeper();
	}

}
