package io.github.otelexport.autoconfigure;

import io.github.otelexport.export.ExporterSettings;
import io.github.otelexport.export.transport.Endpoints;
import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.export.transport.Signal;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.StringUtils;

/**
 * Resolves the URL of each destination's log records, part of
 * {@link DestinationResolver}: {@code otel.export.logs.endpoint}, else
 * {@code OTEL_EXPORTER_OTLP_LOGS_ENDPOINT}, for the primary;
 * {@code otel.export.logs.fallback-endpoint} for the fallback. Unset, the URL is derived
 * from the destination's endpoint when log records are sent.
 *
 * @author otel-export authors
 */
final class LogsEndpointResolver {

	static final String LOGS_ENDPOINT = "otel.export.logs.endpoint";

	static final String FALLBACK_LOGS_ENDPOINT = "otel.export.logs.fallback-endpoint";

	private static final Log logger = LogFactory.getLog(LogsEndpointResolver.class);

	private final OtlpEnvironmentVariables environmentVariables;

	private final OtelExportProperties.Logs properties;

	LogsEndpointResolver(OtlpEnvironmentVariables environmentVariables, OtelExportProperties.Logs properties) {
		this.environmentVariables = environmentVariables;
		this.properties = properties;
	}

	/**
	 * Return the URL of the primary's log records.
	 * @param primary the resolved primary
	 * @return the URL, or {@code null} to derive it
	 */
	String primary(ExporterSettings primary) {
		ConfiguredValue<String> configured = StringUtils.hasText(this.properties.getEndpoint())
				? new ConfiguredValue<>(this.properties.getEndpoint().trim(), LOGS_ENDPOINT)
				: this.environmentVariables.logsEndpoint();
		return check(configured, primary);
	}

	/**
	 * Return the URL of the fallback's log records.
	 * @param fallback the resolved fallback, or {@code null}
	 * @return the URL, or {@code null} to derive it
	 */
	String fallback(ExporterSettings fallback) {
		String endpoint = this.properties.getFallbackEndpoint();
		if (!StringUtils.hasText(endpoint)) {
			return null;
		}
		if (fallback == null) {
			throw new InvalidOtelExportConfigurationException(FALLBACK_LOGS_ENDPOINT,
					Endpoints.sanitize(endpoint.trim()),
					"there is no fallback (otel.export.fallback.endpoint is not set) to send log records to",
					"Set otel.export.fallback.endpoint too, or remove " + FALLBACK_LOGS_ENDPOINT + ".");
		}
		return check(new ConfiguredValue<>(endpoint.trim(), FALLBACK_LOGS_ENDPOINT), fallback);
	}

	/**
	 * Check the URL of a destination's log records: http/protobuf only, as a gRPC
	 * endpoint serves both signals, and with the endpoint's scheme, as one client (with
	 * TLS or without) serves both. Under gRPC the environment variable, which may be
	 * meant for other software, is left unused with a warning rather than failing.
	 */
	private static String check(ConfiguredValue<String> configured, ExporterSettings destination) {
		if (configured == null) {
			return null;
		}
		String property = configured.origin();
		String shown = Endpoints.sanitize(configured.value());
		String endpointProperty = destination.role().property("endpoint");
		if (destination.protocol() == OtlpProtocol.GRPC) {
			if (OtlpEnvironmentVariables.LOGS_ENDPOINT.equals(property)) {
				logger.warn(property + "=" + shown + " is not used: with protocol grpc, log records go to "
						+ Endpoints.sanitize(destination.endpoint()) + " (" + endpointProperty
						+ "), which serves spans and log records alike.");
				return null;
			}
			throw new InvalidOtelExportConfigurationException(property, shown,
					"a logs endpoint is an OTLP/HTTP URL, and with protocol grpc " + endpointProperty
							+ " serves log records as well as spans",
					"Remove " + property + " (log records then go to " + Endpoints.sanitize(destination.endpoint())
							+ "), or set " + destination.role().property("protocol") + "=http/protobuf.");
		}
		String url = EndpointValidator.validate(configured, Signal.LOGS, OtlpProtocol.HTTP_PROTOBUF, destination.tls(),
				destination.headersProperty());
		String scheme = url.substring(0, url.indexOf("://"));
		String endpointScheme = destination.endpoint().substring(0, destination.endpoint().indexOf("://"));
		if (!scheme.equals(endpointScheme)) {
			throw new InvalidOtelExportConfigurationException(property, shown,
					"it uses " + scheme + ":// and " + endpointProperty + " uses " + endpointScheme
							+ "://; one connection setup, with TLS or without, serves both signals of a destination",
					"Write " + property + " with " + endpointScheme + "://, or change " + endpointProperty + " to "
							+ scheme + "://.");
		}
		return url;
	}

}
