package io.github.otelexport.export;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Redacts the SDK's own exporter log lines, and keeps its failed span exports out of the
 * way. The SDK's OTLP exporters log every failed export with the backend's error message,
 * which may echo a header value it refused; a filter on their loggers runs before any
 * handler (the JUL-to-SLF4J bridge included) and passes the line through every live
 * exporter's {@link SecretRedactor}.
 * <p>
 * While one of our exporters is live, the SDK's lines about failed span exports (at
 * {@code SEVERE}, with the stack trace) and its throttling notice are demoted to
 * {@code FINE}, so they show at DEBUG only: {@link ResilientSpanExporter} logs each
 * failure once, with its category and hint. Lines of the SDK's log and metric exporters
 * keep their level.
 *
 * @author otel-export authors
 */
final class SdkLogRedaction {

	/**
	 * Held so that the loggers, and the filters set on them, are not collected.
	 */
	private static final List<Logger> LOGGERS = SdkFailures.exporterLoggerNames()
		.stream()
		.map(Logger::getLogger)
		.toList();

	/**
	 * How many times each redactor is registered: a prober may diagnose with the same one
	 * on two threads at once.
	 */
	private static final Map<SecretRedactor, Integer> REDACTORS = new IdentityHashMap<>();

	/**
	 * One redactor with every live exporter's secrets, built when one comes or goes
	 * rather than for every line: a throwable is replaced once, so applying the redactors
	 * one after another would leave the later ones out.
	 */
	private static volatile SecretRedactor combined = SecretRedactor.urlCredentialsOnly();

	/**
	 * Whether one of our exporters is live, read by the filter without the lock.
	 */
	private static volatile boolean live;

	private static boolean installed;

	private SdkLogRedaction() {
	}

	/**
	 * Redact the SDK's exporter log lines with {@code redactor} until it is
	 * {@linkplain #unregister(SecretRedactor) unregistered}.
	 * @param redactor the redactor
	 */
	static synchronized void register(SecretRedactor redactor) {
		if (REDACTORS.merge(redactor, 1, Integer::sum) == 1) {
			combined = SecretRedactor.combine(REDACTORS.keySet());
		}
		live = true;
		install();
	}

	/**
	 * Undo one {@linkplain #register(SecretRedactor) registration}.
	 * @param redactor the redactor
	 */
	static synchronized void unregister(SecretRedactor redactor) {
		Integer count = REDACTORS.get(redactor);
		if (count == null) {
			return;
		}
		if (count > 1) {
			REDACTORS.put(redactor, count - 1);
			return;
		}
		REDACTORS.remove(redactor);
		combined = SecretRedactor.combine(REDACTORS.keySet());
		live = !REDACTORS.isEmpty();
	}

	private static void install() {
		if (installed) {
			return;
		}
		try {
			for (Logger logger : LOGGERS) {
				logger.setFilter(new RedactingFilter(logger.getFilter()));
			}
			installed = true;
		}
		catch (RuntimeException ex) {
			// a security manager or a logging set-up that refuses filters must not stop
			// the exporter from being built; our own lines are redacted regardless
		}
	}

	/**
	 * Rewrites a record's message, parameters and exception, then asks the filter that
	 * was there before.
	 */
	private static final class RedactingFilter implements Filter {

		private final Filter previous;

		RedactingFilter(Filter previous) {
			this.previous = previous;
		}

		@Override
		public boolean isLoggable(LogRecord record) {
			redact(record, combined);
			demote(record);
			return this.previous == null || this.previous.isLoggable(record);
		}

		/**
		 * The handlers decide on the demoted level (the JUL-to-SLF4J bridge maps
		 * {@code FINE} to DEBUG); the record is not dropped, so DEBUG still shows it.
		 */
		private static void demote(LogRecord record) {
			String message = record.getMessage();
			if (live && record.getLevel().intValue() > Level.FINE.intValue()
					&& (SdkFailures.isSpanExportFailure(message) || SdkFailures.isThrottlingNotice(message))) {
				record.setLevel(Level.FINE);
			}
		}

		private static void redact(LogRecord record, SecretRedactor redactor) {
			record.setMessage(redactor.redact(record.getMessage()));
			Object[] parameters = record.getParameters();
			if (parameters != null) {
				Object[] redacted = parameters.clone();
				for (int i = 0; i < redacted.length; i++) {
					if (redacted[i] instanceof CharSequence text) {
						redacted[i] = redactor.redact(text.toString());
					}
				}
				record.setParameters(redacted);
			}
			if (record.getThrown() != null && !(record.getThrown() instanceof SecretRedactor.RedactedThrowable)) {
				record.setThrown(redactor.redact(record.getThrown()));
			}
		}

	}

}
