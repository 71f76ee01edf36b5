package io.github.otelexport.diagnose;

import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

import io.github.otelexport.export.ExporterSettings;
import io.github.otelexport.export.transport.Endpoints;
import io.github.otelexport.export.transport.OtlpTransport;
import io.github.otelexport.export.transport.ProbeTlsContext;
import io.github.otelexport.export.transport.TlsSettings;
import io.github.otelexport.stats.DestinationRole;

/**
 * What {@link EndpointProber} needs to know about one export endpoint.
 *
 * @param role the destination the endpoint is for
 * @param endpoint the endpoint URL as configured (credentials are never shown)
 * @param sslContext the TLS context the real exporter trusts and presents, or
 * {@code null} for the JVM's default trust
 * @param verifyHostname whether the TLS step checks the certificate's host name; the real
 * exporters always do, over both protocols and even with {@code insecure-skip-verify}, so
 * {@link #of} sets it
 * @param transport builds a transport configured like the pipeline's (same protocol,
 * headers, TLS and timeouts); it is called once, when the first diagnosis needs it, and
 * every later diagnosis reuses that transport, its connections and threads, until
 * {@link #close()}
 * @param headersProperty where the exporter's headers are configured, for the hint of a
 * failed step (see {@link ExporterSettings#headersProperty()})
 * @author otel-export authors
 */
public record ProbeTarget(DestinationRole role, String endpoint, SSLContext sslContext, boolean verifyHostname,
		Supplier<OtlpTransport> transport, String headersProperty) implements AutoCloseable {

	/**
	 * Make the transport built once and reused.
	 * @param role the destination's role
	 * @param endpoint the endpoint URL as configured
	 * @param sslContext the TLS context, or {@code null} for the JVM's default trust
	 * @param verifyHostname whether the TLS step checks the certificate's host name
	 * @param transport builds a transport configured like the pipeline's
	 * @param headersProperty where the headers are configured
	 */
	public ProbeTarget {
		if (!(transport instanceof OnDemandTransport)) {
			transport = new OnDemandTransport(transport);
		}
	}

	/**
	 * Describe an endpoint whose headers are its role's own ({@code otel.export.headers}
	 * or {@code otel.export.fallback.headers}).
	 * @param role the destination's role
	 * @param endpoint the endpoint URL as configured
	 * @param sslContext the TLS context, or {@code null} for the JVM's default trust
	 * @param verifyHostname whether the TLS step checks the certificate's host name
	 * @param transport builds a transport configured like the pipeline's
	 */
	public ProbeTarget(DestinationRole role, String endpoint, SSLContext sslContext, boolean verifyHostname,
			Supplier<OtlpTransport> transport) {
		this(role, endpoint, sslContext, verifyHostname, transport, role.property("headers"));
	}

	/**
	 * Describe the endpoint of an exporter's settings, with the TLS trust and client
	 * identity those settings give the real exporter.
	 * @param settings the exporter's settings
	 * @param transports builds a transport like the pipeline's
	 * @return the probe target
	 */
	public static ProbeTarget of(ExporterSettings settings, Supplier<OtlpTransport> transports) {
		TlsSettings tls = settings.tls();
		// insecure-skip-verify skips the chain check only: both senders (OkHttp for gRPC,
		// the JDK HttpClient for http/protobuf) still check the host name, so the TLS
		// step does too and fails where the export would
		return new ProbeTarget(settings.role(), settings.endpoint(), ProbeTlsContext.of(tls), true, transports,
				settings.headersProperty());
	}

	/**
	 * Close the transport, if a diagnosis built it; a later diagnosis fails its OTLP
	 * step.
	 */
	@Override
	public void close() {
		((OnDemandTransport) this.transport).close();
	}

	@Override
	public String toString() {
		return "ProbeTarget{role=" + this.role + ", endpoint=" + Endpoints.sanitize(this.endpoint) + "}";
	}

}
