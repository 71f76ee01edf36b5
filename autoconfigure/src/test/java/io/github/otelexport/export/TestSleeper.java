package io.github.otelexport.export;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Sleeper} that moves {@link TestTime} instead of waiting, and remembers each
 * wait.
 *
 * @author otel-export authors
 */
final class TestSleeper implements Sleeper {

	private final TestTime time;

	private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

	private volatile boolean woken;

	private final AtomicLong nudges = new AtomicLong();

	private volatile Runnable onSleep = () -> {
	};

	TestSleeper(TestTime time) {
		this.time = time;
	}

	@Override
	public boolean sleep(Duration duration) {
		this.sleeps.add(duration);
		this.onSleep.run();
		if (this.woken) {
			return false;
		}
		this.time.advance(duration);
		return true;
	}

	/**
	 * Like {@link #sleep(Duration)}, but a nudge since {@code nudgesSeen} (one that the
	 * action run at the start of the sleep gave, say) ends it before the time moves.
	 */
	@Override
	public boolean sleep(Duration duration, long nudgesSeen) {
		this.sleeps.add(duration);
		this.onSleep.run();
		if (this.woken) {
			return false;
		}
		if (this.nudges.get() != nudgesSeen) {
			return true;
		}
		this.time.advance(duration);
		return true;
	}

	@Override
	public void nudge() {
		// its sleeps do not wait: counted for the sleeps that pass what they saw
		this.nudges.incrementAndGet();
	}

	@Override
	public long nudges() {
		return this.nudges.get();
	}

	@Override
	public void wakeUp() {
		this.woken = true;
	}

	/**
	 * Run the given action at the start of every sleep, for example a shutdown.
	 * @param action the action
	 */
	void onSleep(Runnable action) {
		this.onSleep = action;
	}

	List<Duration> sleeps() {
		return this.sleeps;
	}

}
