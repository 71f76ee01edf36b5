package io.github.otelexport.export;

import java.time.Clock;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * The one place where the core reads real time and real randomness; everything else gets
 * them injected. Public for the core's other packages (the endpoint diagnosis).
 *
 * @author otel-export authors
 */
public final class SystemTime {

	/**
	 * The nanosecond ticker.
	 */
	public static final LongSupplier TICKER = System::nanoTime;

	/**
	 * The clock, in UTC.
	 */
	public static final Clock CLOCK = Clock.systemUTC();

	static final DoubleSupplier JITTER = () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble();

	private SystemTime() {
	}

}
