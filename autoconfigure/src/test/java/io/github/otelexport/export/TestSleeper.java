package io.github.otelexport.export;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

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

	@Override
	public void nudge() {
		// its sleeps do not wait
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
