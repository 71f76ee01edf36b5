package io.github.otelexport.autoconfigure;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;

/**
 * Callback to adjust the builder of each OTLP/HTTP exporter (primary and fallback) after
 * otel-export has applied {@code otel.export.*}. Beans of this type are applied in order.
 *
 * @author otel-export authors
 */
@FunctionalInterface
public interface OtelExportHttpExporterCustomizer {

	/**
	 * Customize the builder.
	 * @param builder the builder of the HTTP span exporter
	 */
	void customize(OtlpHttpSpanExporterBuilder builder);

}
