package io.github.otelexport.autoconfigure;

import io.github.otelexport.export.transport.Endpoints;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * Explains, once at startup, that Spring Boot's own OTLP exporter of a signal (spans or
 * log records) is also configured and that otel-export does not send to it, so that
 * nothing is exported twice.
 *
 * @author otel-export authors
 */
final class BootOtlpExporterNotice {

	static final String BOOT_ENDPOINT_PROPERTY = "management.opentelemetry.tracing.export.otlp.endpoint";

	static final String BOOT_LOGS_ENDPOINT_PROPERTY = "management.opentelemetry.logging.export.otlp.endpoint";

	static final String ENVIRONMENT_VARIABLES_SOURCE = "openTelemetryEnvironmentVariables";

	private static final Log defaultLogger = LogFactory.getLog(BootOtlpExporterNotice.class);

	private final Log logger;

	private final String bootEndpointProperty;

	/**
	 * What is exported, singular and plural: "span", "spans".
	 */
	private final String item;

	private final String items;

	/**
	 * The property that hands the signal back to Boot's exporter.
	 */
	private final String optOut;

	BootOtlpExporterNotice(Log logger, String bootEndpointProperty, String item, String items, String optOut) {
		this.logger = logger;
		this.bootEndpointProperty = bootEndpointProperty;
		this.item = item;
		this.items = items;
		this.optOut = optOut;
	}

	static BootOtlpExporterNotice forSpans() {
		return new BootOtlpExporterNotice(defaultLogger, BOOT_ENDPOINT_PROPERTY, "span", "spans",
				"otel.export.enabled");
	}

	static BootOtlpExporterNotice forLogRecords() {
		return new BootOtlpExporterNotice(defaultLogger, BOOT_LOGS_ENDPOINT_PROPERTY, "log record", "log records",
				"otel.export.logs.enabled");
	}

	/**
	 * Log what happens to Spring Boot's OTLP exporter bean.
	 * @param environment the environment
	 * @param ourEndpoint where otel-export sends the signal, without credentials: for log
	 * records over http/protobuf, their own URL
	 */
	void report(Environment environment, String ourEndpoint) {
		String bootEndpoint = environment.getProperty(this.bootEndpointProperty);
		if (bootEndpoint == null) {
			this.logger.warn("Spring Boot also created an OTLP " + this.item
					+ " exporter (from connection details such as Docker Compose or Testcontainers). otel-export "
					+ "sends every " + this.item + " to " + ourEndpoint + " and not to Boot's exporter, so no "
					+ this.item + " is exported twice. Point otel.export.endpoint to the service if that is where "
					+ this.items + " should go.");
			return;
		}
		String shown = Endpoints.sanitize(bootEndpoint);
		if (!writtenByUser(environment, this.bootEndpointProperty)) {
			this.logger.info("Spring Boot mapped the OTEL_EXPORTER_OTLP_* environment variables to its own OTLP "
					+ this.item + " exporter (" + shown + "); otel-export exports the " + this.items + " (to "
					+ ourEndpoint + ") and Boot's exporter receives none, so no " + this.item + " is exported twice.");
			return;
		}
		String prefix = this.bootEndpointProperty.substring(0, this.bootEndpointProperty.lastIndexOf('.'));
		if (DestinationResolver.sameDestination(shown, ourEndpoint)) {
			// nothing changes for the backend: no need to warn
			this.logger.info("Spring Boot's " + this.bootEndpointProperty + "=" + shown
					+ " is where otel-export sends the " + this.items
					+ " too; they are exported once, through otel-export, and Boot's OTLP exporter receives "
					+ "nothing. " + prefix + ".* can go (move headers to otel.export.*).");
			return;
		}
		this.logger.warn("Both otel.export.* and Spring Boot's " + this.bootEndpointProperty + "=" + shown
				+ " are configured. " + Character.toUpperCase(this.items.charAt(0)) + this.items.substring(1)
				+ " are exported once, through otel-export to " + ourEndpoint
				+ "; Boot's OTLP exporter receives nothing. Remove " + prefix
				+ ".* (move endpoint and headers to otel.export.*), or set " + this.optOut
				+ "=false to use Boot's exporter instead.");
	}

	/**
	 * Whether a property source other than Boot's mapping of the {@code OTEL_*}
	 * environment variables holds Boot's endpoint property, in any of its relaxed forms.
	 * Boot's attached {@code configurationProperties} source comes first and answers for
	 * all the others, the mapping included, so it says nothing about the origin.
	 */
	private static boolean writtenByUser(Environment environment, String property) {
		if (!(environment instanceof ConfigurableEnvironment configurable)) {
			return true;
		}
		ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
		for (PropertySource<?> source : configurable.getPropertySources()) {
			if (ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)
					|| ENVIRONMENT_VARIABLES_SOURCE.equals(source.getName())) {
				continue;
			}
			for (ConfigurationPropertySource candidate : ConfigurationPropertySources.from(source)) {
				if (candidate.getConfigurationProperty(name) != null) {
					return true;
				}
			}
		}
		return false;
	}

}
