package io.github.otelexport.autoconfigure;

import java.util.Optional;

import io.github.otelexport.export.ExporterSettings;

/**
 * The resolved primary and optional fallback destinations, after {@code otel.export.*},
 * the {@code OTEL_EXPORTER_OTLP_*} environment variables and the defaults have been
 * applied and validated.
 *
 * @author otel-export authors
 */
public final class OtelExportDestinations {

	private final ExporterSettings primary;

	private final ExporterSettings fallback;

	/**
	 * Create a new instance.
	 * @param primary the primary destination
	 * @param fallback the fallback destination, or {@code null}
	 */
	public OtelExportDestinations(ExporterSettings primary, ExporterSettings fallback) {
		this.primary = primary;
		this.fallback = fallback;
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

	@Override
	public String toString() {
		return "OtelExportDestinations{primary=" + this.primary + ", fallback=" + this.fallback + "}";
	}

}
