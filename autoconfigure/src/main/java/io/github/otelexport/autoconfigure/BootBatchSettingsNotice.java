package io.github.otelexport.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.env.Environment;

/**
 * Says, once at startup, which of Spring Boot's batch settings for span export are set
 * but not used: otel-export's batch processor replaces Boot's, so
 * {@code management.opentelemetry.tracing.export.*} (which Boot also fills from the
 * {@code OTEL_BSP_*} environment variables) would otherwise be ignored in silence.
 *
 * @author otel-export authors
 */
final class BootBatchSettingsNotice {

	static final String BOOT_PREFIX = "management.opentelemetry.tracing.export.";

	/**
	 * Boot's keys and what to write instead; {@code null} where otel-export has no
	 * equivalent.
	 */
	private static final Map<String, String> REPLACEMENTS;

	static {
		Map<String, String> replacements = new LinkedHashMap<>();
		replacements.put("max-batch-size", "otel.export.batch.max-export-batch-size");
		replacements.put("max-queue-size", "otel.export.batch.max-queue-size");
		replacements.put("schedule-delay", "otel.export.batch.schedule-delay");
		replacements.put("timeout", "otel.export.batch.export-timeout");
		replacements.put("include-unsampled", null);
		REPLACEMENTS = replacements;
	}

	private static final Log defaultLogger = LogFactory.getLog(BootBatchSettingsNotice.class);

	private final Log logger;

	BootBatchSettingsNotice() {
		this(defaultLogger);
	}

	BootBatchSettingsNotice(Log logger) {
		this.logger = logger;
	}

	/**
	 * Log one warning naming each of Boot's batch settings that is set, with its value
	 * and the otel-export property to set instead.
	 * @param environment the environment
	 */
	void report(Environment environment) {
		List<String> ignored = new ArrayList<>();
		REPLACEMENTS.forEach((key, replacement) -> {
			String value = environment.getProperty(BOOT_PREFIX + key);
			if (value != null) {
				ignored.add(BOOT_PREFIX + key + "=" + value + " ("
						+ ((replacement != null) ? "use " + replacement : "otel-export exports sampled spans only")
						+ ")");
			}
		});
		if (!ignored.isEmpty()) {
			this.logger.warn("otel-export's batch processor replaces Spring Boot's, so these settings are not used: "
					+ String.join(", ", ignored) + ". Boot also sets them from the OTEL_BSP_* environment variables.");
		}
	}

}
