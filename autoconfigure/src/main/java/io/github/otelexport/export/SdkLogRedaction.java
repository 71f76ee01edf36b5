package io.github.otelexport.export;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Redacts the SDK's own exporter log lines. The SDK's OTLP exporters log every failed
 * export with the backend's error message, which may echo a header value it refused; a
 * filter on their loggers runs before any handler (the JUL-to-SLF4J bridge included) and
 * passes the line through every live exporter's {@link SecretRedactor}.
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
			return this.previous == null || this.previous.isLoggable(record);
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
