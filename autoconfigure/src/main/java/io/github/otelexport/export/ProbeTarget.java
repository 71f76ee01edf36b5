package io.github.otelexport.export;

import java.util.function.Supplier;

import javax.net.ssl.SSLContext;

import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * What {@link EndpointProber} needs to know about one export endpoint.
 *
 * @param role {@code primary} or {@code fallback}
 * @param endpoint the endpoint URL as configured (credentials are never shown)
 * @param sslContext the TLS context the real exporter uses, or {@code null} for the JVM's
 * default trust
 * @param exporter builds a one-off exporter configured like the real one (same protocol,
 * headers, TLS and timeouts, retry disabled); the prober shuts it down
 * @author otel-export authors
 */
public record ProbeTarget(String role, String endpoint, SSLContext sslContext, Supplier<SpanExporter> exporter) {

	@Override
	public String toString() {
		return "ProbeTarget{role=" + this.role + ", endpoint=" + Endpoints.sanitize(this.endpoint) + "}";
	}

}
