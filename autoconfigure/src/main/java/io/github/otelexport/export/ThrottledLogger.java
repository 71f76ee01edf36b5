package io.github.otelexport.export;

import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logs at most a few lines a minute, so a backend that stays down does not flood the
 * application log.
 *
 * @author otel-export authors
 */
final class ThrottledLogger {

	private static final long WINDOW_NANOS = Duration.ofMinutes(1).toNanos();

	private final Logger logger;

	private final int maxPerMinute;

	private final LongSupplier ticker;

	private long windowStart;

	private int logged;

	private final SecretRedactor redactor;

	private boolean windowStarted;

	ThrottledLogger(Logger logger, int maxPerMinute, LongSupplier ticker) {
		this(logger, maxPerMinute, ticker, SecretRedactor.urlCredentialsOnly());
	}

	ThrottledLogger(Logger logger, int maxPerMinute, LongSupplier ticker, SecretRedactor redactor) {
		this.logger = logger;
		this.maxPerMinute = maxPerMinute;
		this.ticker = ticker;
		this.redactor = redactor;
	}

	/**
	 * Log the message unless this minute's allowance is used up. The message and the
	 * exception are redacted; a failing log handler is ignored, as the export path that
	 * logs must go on.
	 * @param level the level
	 * @param message the message
	 * @param thrown the exception, or {@code null}
	 * @return whether the line was logged
	 */
	boolean log(Level level, String message, Throwable thrown) {
		if (!this.logger.isLoggable(level)) {
			return false;
		}
		String line = admit(message);
		if (line == null) {
			return false;
		}
		try {
			this.logger.log(level, this.redactor.redact(line), this.redactor.redact(thrown));
			return true;
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private synchronized String admit(String message) {
		long now = this.ticker.getAsLong();
		if (!this.windowStarted || now - this.windowStart >= WINDOW_NANOS) {
			this.windowStarted = true;
			this.windowStart = now;
			this.logged = 0;
		}
		if (this.logged >= this.maxPerMinute) {
			return null;
		}
		this.logged++;
		return (this.logged == this.maxPerMinute) ? message + " (similar messages suppressed for up to a minute)"
				: message;
	}

}
