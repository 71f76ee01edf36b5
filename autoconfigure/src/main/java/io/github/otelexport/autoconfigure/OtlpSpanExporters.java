package io.github.otelexport.autoconfigure;

import java.util.List;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporterBuilder;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * Builds the SDK's OTLP span exporters from resolved {@link ExporterSettings}, with the
 * SDK's own retry disabled (the resilient exporter owns retries), then applies the user's
 * builder customizers.
 *
 * @author otel-export authors
 */
final class OtlpSpanExporters {

	private final List<OtelExportGrpcExporterCustomizer> grpcCustomizers;

	private final List<OtelExportHttpExporterCustomizer> httpCustomizers;

	OtlpSpanExporters(List<OtelExportGrpcExporterCustomizer> grpcCustomizers,
			List<OtelExportHttpExporterCustomizer> httpCustomizers) {
		this.grpcCustomizers = grpcCustomizers;
		this.httpCustomizers = httpCustomizers;
	}

	SpanExporter create(ExporterSettings settings) {
		return DestinationResolver.GRPC.equals(settings.protocol()) ? grpc(settings) : http(settings);
	}

	private SpanExporter grpc(ExporterSettings settings) {
		OtlpGrpcSpanExporterBuilder builder = OtlpGrpcSpanExporter.builder()
			.setEndpoint(settings.endpoint())
			.setTimeout(settings.timeout())
			.setConnectTimeout(settings.connectTimeout())
			.setCompression(settings.compression())
			.setRetryPolicy(null);
		settings.headers().forEach(builder::addHeader);
		if (settings.tls().isConfigured()) {
			builder.setSslContext(settings.tls().sslContext(), settings.tls().trustManager());
		}
		this.grpcCustomizers.forEach((customizer) -> customizer.customize(builder));
		return builder.build();
	}

	private SpanExporter http(ExporterSettings settings) {
		OtlpHttpSpanExporterBuilder builder = OtlpHttpSpanExporter.builder()
			.setEndpoint(settings.endpoint())
			.setTimeout(settings.timeout())
			.setConnectTimeout(settings.connectTimeout())
			.setCompression(settings.compression())
			.setRetryPolicy(null);
		settings.headers().forEach(builder::addHeader);
		if (settings.tls().isConfigured()) {
			builder.setSslContext(settings.tls().sslContext(), settings.tls().trustManager());
		}
		this.httpCustomizers.forEach((customizer) -> customizer.customize(builder));
		return builder.build();
	}

}
