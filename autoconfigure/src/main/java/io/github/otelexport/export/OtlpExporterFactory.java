package io.github.otelexport.export;

import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporterBuilder;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * Builds the SDK's OTLP span exporters from {@link ExporterSettings}, with the SDK's own
 * retry disabled so that every attempt goes through {@link ResilientSpanExporter} and is
 * observed, and with senders that let it read partial successes (see
 * {@link ResponseCapture}).
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
		return (settings.protocol() == OtlpProtocol.GRPC) ? grpc(settings, grpcCustomizer)
				: http(settings, httpCustomizer);
	}

	private static SpanExporter grpc(ExporterSettings settings, Consumer<OtlpGrpcSpanExporterBuilder> customizer) {
		OtlpGrpcSpanExporterBuilder builder = OtlpGrpcSpanExporter.builder();
		builder.setComponentLoader(ResponseCapture.componentLoader(OtlpExporterFactory.class.getClassLoader()));
		configure(settings, builder::setEndpoint, builder::setTimeout, builder::setConnectTimeout,
				builder::setCompression, () -> builder.setRetryPolicy(null), builder::addHeader,
				builder::setTrustedCertificates, builder::setClientTls, builder::setSslContext);
		customizer.accept(builder);
		return builder.build();
	}

	private static SpanExporter http(ExporterSettings settings, Consumer<OtlpHttpSpanExporterBuilder> customizer) {
		OtlpHttpSpanExporterBuilder builder = OtlpHttpSpanExporter.builder();
		builder.setComponentLoader(ResponseCapture.componentLoader(OtlpExporterFactory.class.getClassLoader()));
		configure(settings, builder::setEndpoint, builder::setTimeout, builder::setConnectTimeout,
				builder::setCompression, () -> builder.setRetryPolicy(null), builder::addHeader,
				builder::setTrustedCertificates, builder::setClientTls, builder::setSslContext);
		customizer.accept(builder);
		return builder.build();
	}

	/**
	 * Apply the settings through the setters that the gRPC and HTTP builders share
	 * without a common type, passed as method references of one builder.
	 */
	private static void configure(ExporterSettings settings, Consumer<String> endpoint, Consumer<Duration> timeout,
			Consumer<Duration> connectTimeout, Consumer<String> compression, Runnable disableRetries,
			BiConsumer<String, String> header, Consumer<byte[]> trustedCertificates,
			BiConsumer<byte[], byte[]> clientTls, BiConsumer<SSLContext, X509TrustManager> sslContext) {
		endpoint.accept(settings.endpoint());
		timeout.accept(settings.timeout());
		connectTimeout.accept(settings.connectTimeout());
		compression.accept(settings.compression().value());
		// Every attempt is ours: retries in the SDK would hide failures
		disableRetries.run();
		settings.headers().forEach(header);
		TlsSettings tls = settings.tls();
		if (tls.trustedCertificatesPem() != null) {
			trustedCertificates.accept(tls.trustedCertificatesPem());
		}
		if (tls.clientKeyPem() != null) {
			clientTls.accept(tls.clientKeyPem(), tls.clientCertificatePem());
		}
		if (tls.sslContext() != null) {
			sslContext.accept(tls.sslContext(), tls.trustManager());
		}
		if (tls.insecureSkipVerify()) {
			sslContext.accept(InsecureTrustManager.sslContext(), InsecureTrustManager.INSTANCE);
		}
	}

}
