package io.github.otelexport.export;

import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporterBuilder;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * Builds the SDK's OTLP span exporters from {@link ExporterSettings}, with the SDK's own
 * retry disabled so that every attempt goes through {@link ResilientSpanExporter} and is
 * observed.
 *
 * @author otel-export authors
 */
public final class OtlpExporterFactory {

	private static final Logger logger = Logger.getLogger(OtlpExporterFactory.class.getName());

	private OtlpExporterFactory() {
	}

	/**
	 * Build an exporter.
	 * @param settings the settings
	 * @return the exporter
	 */
	public static SpanExporter create(ExporterSettings settings) {
		return create(settings, (builder) -> {
		}, (builder) -> {
		});
	}

	/**
	 * Build an exporter, applying a customizer last.
	 * @param settings the settings
	 * @param grpcCustomizer applied to the gRPC builder when the protocol is {@code grpc}
	 * @param httpCustomizer applied to the HTTP builder when the protocol is
	 * {@code http/protobuf}
	 * @return the exporter
	 * @throws IllegalArgumentException if the SDK rejects a setting, such as a malformed
	 * endpoint
	 */
	public static SpanExporter create(ExporterSettings settings, Consumer<OtlpGrpcSpanExporterBuilder> grpcCustomizer,
			Consumer<OtlpHttpSpanExporterBuilder> httpCustomizer) {
		if (settings.tls().insecureSkipVerify()) {
			logger.log(Level.WARNING, () -> "TLS certificate verification is disabled for the " + settings.role()
					+ " exporter " + Endpoints.sanitize(settings.endpoint())
					+ ": anyone on the network path can read and change the spans. Never use this in production.");
		}
		return ExporterSettings.GRPC.equals(settings.protocol()) ? grpc(settings, grpcCustomizer)
				: http(settings, httpCustomizer);
	}

	private static SpanExporter grpc(ExporterSettings settings, Consumer<OtlpGrpcSpanExporterBuilder> customizer) {
		OtlpGrpcSpanExporterBuilder builder = OtlpGrpcSpanExporter.builder()
			.setEndpoint(settings.endpoint())
			.setTimeout(settings.timeout())
			.setConnectTimeout(settings.connectTimeout())
			.setCompression(settings.compression())
			// Every attempt is ours: retries in the SDK would hide failures
			.setRetryPolicy(null);
		settings.headers().forEach(builder::addHeader);
		TlsSettings tls = settings.tls();
		if (tls.trustedCertificatesPem() != null) {
			builder.setTrustedCertificates(tls.trustedCertificatesPem());
		}
		if (tls.clientKeyPem() != null) {
			builder.setClientTls(tls.clientKeyPem(), tls.clientCertificatePem());
		}
		if (tls.sslContext() != null) {
			builder.setSslContext(tls.sslContext(), tls.trustManager());
		}
		if (tls.insecureSkipVerify()) {
			builder.setSslContext(InsecureTrustManager.sslContext(), InsecureTrustManager.INSTANCE);
		}
		customizer.accept(builder);
		return builder.build();
	}

	private static SpanExporter http(ExporterSettings settings, Consumer<OtlpHttpSpanExporterBuilder> customizer) {
		OtlpHttpSpanExporterBuilder builder = OtlpHttpSpanExporter.builder()
			.setEndpoint(settings.endpoint())
			.setTimeout(settings.timeout())
			.setConnectTimeout(settings.connectTimeout())
			.setCompression(settings.compression())
			.setRetryPolicy(null);
		settings.headers().forEach(builder::addHeader);
		TlsSettings tls = settings.tls();
		if (tls.trustedCertificatesPem() != null) {
			builder.setTrustedCertificates(tls.trustedCertificatesPem());
		}
		if (tls.clientKeyPem() != null) {
			builder.setClientTls(tls.clientKeyPem(), tls.clientCertificatePem());
		}
		if (tls.sslContext() != null) {
			builder.setSslContext(tls.sslContext(), tls.trustManager());
		}
		if (tls.insecureSkipVerify()) {
			builder.setSslContext(InsecureTrustManager.sslContext(), InsecureTrustManager.INSTANCE);
		}
		customizer.accept(builder);
		return builder.build();
	}

}
