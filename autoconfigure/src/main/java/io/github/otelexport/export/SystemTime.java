package io.github.otelexport.export;

import java.time.Clock;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * The one place where the core reads real time and real randomness; everything else gets
 * them injected.
 *
 * @author otel-export authors
 */
final class SystemTime {

	static final LongSupplier TICKER = System::nanoTime;

	static final Clock CLOCK = Clock.systemUTC();

	static final DoubleSupplier JITTER = () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble();

	private SystemTime() {
	}

}
