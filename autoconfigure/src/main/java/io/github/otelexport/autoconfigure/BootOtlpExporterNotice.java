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
 * Explains, once at startup, that Spring Boot's own OTLP span exporter is also configured
 * and that otel-export does not send spans to it, so that no span is exported twice.
 *
 * @author otel-export authors
 */
final class BootOtlpExporterNotice {

	static final String BOOT_ENDPOINT_PROPERTY = "management.opentelemetry.tracing.export.otlp.endpoint";

	static final String ENVIRONMENT_VARIABLES_SOURCE = "openTelemetryEnvironmentVariables";

	private static final Log defaultLogger = LogFactory.getLog(BootOtlpExporterNotice.class);

	private final Log logger;

	BootOtlpExporterNotice() {
		this(defaultLogger);
	}

	BootOtlpExporterNotice(Log logger) {
		this.logger = logger;
	}

	/**
	 * Log what happens to Spring Boot's OTLP exporter bean.
	 * @param environment the environment
	 * @param ourEndpoint where otel-export sends spans, without credentials
	 */
	void report(Environment environment, String ourEndpoint) {
		String bootEndpoint = environment.getProperty(BOOT_ENDPOINT_PROPERTY);
		if (bootEndpoint == null) {
			this.logger.warn("Spring Boot also created an OTLP span exporter (from connection details such as "
					+ "Docker Compose or Testcontainers). otel-export sends every span to " + ourEndpoint
					+ " and not to Boot's exporter, so no span is exported twice. Point otel.export.endpoint to "
					+ "the service if that is where spans should go.");
			return;
		}
		String shown = Endpoints.sanitize(bootEndpoint);
		if (!writtenByUser(environment)) {
			this.logger.info("Spring Boot mapped the OTEL_EXPORTER_OTLP_* environment variables to its own OTLP span "
					+ "exporter (" + shown + "); otel-export exports the spans (to " + ourEndpoint
					+ ") and Boot's exporter receives none, so no span is exported twice.");
			return;
		}
		this.logger.warn("Both otel.export.* and Spring Boot's " + BOOT_ENDPOINT_PROPERTY + "=" + shown
				+ " are configured. Spans are exported once, through otel-export to " + ourEndpoint
				+ "; Boot's OTLP exporter receives nothing. Remove management.opentelemetry.tracing.export.otlp.* "
				+ "(move endpoint and headers to otel.export.*), or set otel.export.enabled=false to use "
				+ "Boot's exporter instead.");
	}

	/**
	 * Whether a property source other than Boot's mapping of the {@code OTEL_*}
	 * environment variables holds Boot's endpoint property, in any of its relaxed forms.
	 * Boot's attached {@code configurationProperties} source comes first and answers for
	 * all the others, the mapping included, so it says nothing about the origin.
	 */
	private static boolean writtenByUser(Environment environment) {
		if (!(environment instanceof ConfigurableEnvironment configurable)) {
			return true;
		}
		ConfigurationPropertyName name = ConfigurationPropertyName.of(BOOT_ENDPOINT_PROPERTY);
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
