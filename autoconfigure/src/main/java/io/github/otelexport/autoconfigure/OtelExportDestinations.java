package io.github.otelexport.autoconfigure;

import java.util.Optional;

import io.github.otelexport.export.ExporterSettings;
import io.github.otelexport.export.transport.Endpoints;
import io.github.otelexport.stats.DestinationRole;

/**
 * The resolved primary and optional fallback destinations, after {@code otel.export.*},
 * the {@code OTEL_EXPORTER_OTLP_*} environment variables and the defaults have been
 * applied and validated, with the URL of each one's log records when it is given rather
 * than derived.
 *
 * @author otel-export authors
 */
public final class OtelExportDestinations {

	private final ExporterSettings primary;

	private final ExporterSettings fallback;

	private final String primaryLogsEndpoint;

	private final String fallbackLogsEndpoint;

	/**
	 * Create a new instance whose log records go where the endpoints say.
	 * @param primary the primary destination
	 * @param fallback the fallback destination, or {@code null}
	 */
	public OtelExportDestinations(ExporterSettings primary, ExporterSettings fallback) {
		this(primary, fallback, null, null);
	}

	/**
	 * Create a new instance.
	 * @param primary the primary destination
	 * @param fallback the fallback destination, or {@code null}
	 * @param primaryLogsEndpoint the http/protobuf URL of the primary's log records, or
	 * {@code null} to derive it from the endpoint ({@code /v1/traces} replaced by
	 * {@code /v1/logs})
	 * @param fallbackLogsEndpoint the same for the fallback, or {@code null}
	 */
	public OtelExportDestinations(ExporterSettings primary, ExporterSettings fallback, String primaryLogsEndpoint,
			String fallbackLogsEndpoint) {
		this.primary = primary;
		this.fallback = fallback;
		this.primaryLogsEndpoint = primaryLogsEndpoint;
		this.fallbackLogsEndpoint = fallbackLogsEndpoint;
	}

	/**
	 * Return the primary destination.
	 * @return the primary destination
	 */
	public ExporterSettings primary() {
		return this.primary;
	}

	/**
	 * Return the fallback destination, if one is configured.
	 * @return the fallback destination
	 */
	public Optional<ExporterSettings> fallback() {
		return Optional.ofNullable(this.fallback);
	}

	/**
	 * Return the URL of a destination's log records, when it is given rather than
	 * derived.
	 * @param role the destination
	 * @return the http/protobuf URL of its log records
	 */
	public Optional<String> logsEndpoint(DestinationRole role) {
		return Optional
			.ofNullable((role == DestinationRole.PRIMARY) ? this.primaryLogsEndpoint : this.fallbackLogsEndpoint);
	}

	@Override
	public String toString() {
		return "OtelExportDestinations{primary=" + this.primary + ", fallback=" + this.fallback
				+ logsEndpoint(", primaryLogsEndpoint=", this.primaryLogsEndpoint)
				+ logsEndpoint(", fallbackLogsEndpoint=", this.fallbackLogsEndpoint) + "}";
	}

	private static String logsEndpoint(String label, String endpoint) {
		return (endpoint != null) ? label + Endpoints.sanitize(endpoint) : "";
	}

}
