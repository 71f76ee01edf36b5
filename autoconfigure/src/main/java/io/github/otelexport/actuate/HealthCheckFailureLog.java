package io.github.otelexport.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.health.contributor.Status;

/**
 * Logs a health check that could not be completed: one WARN per cause, without its stack
 * trace, and the stack trace at DEBUG on every failure. A probe reads the health every
 * few seconds, so a line on each would flood the log with the same failure.
 *
 * @author otel-export authors
 */
final class HealthCheckFailureLog {

	/**
	 * How many causes are remembered; the oldest is forgotten first, so memory stays
	 * bounded whatever fails.
	 */
	private static final int REMEMBERED_CAUSES = 16;

	private static final Log logger = LogFactory.getLog(OtelExportHealthIndicator.class);

	private final Map<String, Boolean> warned = new LinkedHashMap<>(REMEMBERED_CAUSES, 0.75f, true) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
			return size() > REMEMBERED_CAUSES;
		}

	};

	/**
	 * Log that the health check failed and what it reports instead.
	 * @param ex what failed
	 * @param reported the status the indicator reports meanwhile
	 */
	void failed(RuntimeException ex, Status reported) {
		String text = "otel-export health check failed, reported as " + reported.getCode() + ": " + ex;
		if (firstOfItsCause(ex) && logger.isWarnEnabled()) {
			logger.warn(text + " (logged once per cause; every failure is logged at DEBUG with its stack trace)");
		}
		if (logger.isDebugEnabled()) {
			logger.debug(text, ex);
		}
	}

	/**
	 * Whether no WARN was logged yet for this cause: the same exception type thrown at
	 * the same place, whatever its message (which may count or time something).
	 */
	private synchronized boolean firstOfItsCause(RuntimeException ex) {
		StackTraceElement[] trace = ex.getStackTrace();
		String cause = ex.getClass().getName() + " at " + ((trace.length > 0) ? trace[0] : ex.getMessage());
		return this.warned.put(cause, Boolean.TRUE) == null;
	}

}
