package io.github.otelexport.autoconfigure;

import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporterBuilder;

/**
 * Callback to adjust the builder of each OTLP/gRPC exporter (primary and fallback) after
 * otel-export has applied {@code otel.export.*}. Beans of this type are applied in order.
 *
 * @author otel-export authors
 */
@FunctionalInterface
public interface OtelExportGrpcExporterCustomizer {

	/**
	 * Customize the builder.
	 * @param builder the builder of the gRPC span exporter
	 */
	void customize(OtlpGrpcSpanExporterBuilder builder);

}
