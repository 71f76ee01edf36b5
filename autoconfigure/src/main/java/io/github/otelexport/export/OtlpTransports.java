package io.github.otelexport.export;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.github.otelexport.export.transport.Endpoints;
import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.export.transport.OtlpTransport;
import io.github.otelexport.export.transport.TransportSettings;

/**
 * Builds the {@link OtlpTransport} of one destination from its {@link ExporterSettings}:
 * gRPC or http/protobuf, with its endpoint, headers, timeouts, compression and TLS.
 *
 * @author otel-export authors
 */
public final class OtlpTransports {

	private static final Logger logger = Logger.getLogger(OtlpTransports.class.getName());

	private OtlpTransports() {
	}

	/**
	 * Build a transport.
	 * @param settings the destination's settings
	 * @return the transport; whoever builds it closes it (a {@link ResilientSpanExporter}
	 * closes the transports it is given)
	 * @throws IllegalArgumentException if the endpoint is not an http:// or https:// URL
	 * with a host
	 */
	public static OtlpTransport create(ExporterSettings settings) {
		return create(settings, UnaryOperator.identity());
	}

	/**
	 * Build a transport, applying a customizer to its settings last.
	 * @param settings the destination's settings
	 * @param customizer changes the transport settings derived from {@code settings}
	 * @return the transport
	 * @throws IllegalArgumentException if the endpoint is not an http:// or https:// URL
	 * with a host
	 */
	public static OtlpTransport create(ExporterSettings settings, UnaryOperator<TransportSettings> customizer) {
		return create(settings, customizer, SystemTime.CLOCK);
	}

	static OtlpTransport create(ExporterSettings settings, UnaryOperator<TransportSettings> customizer, Clock clock) {
		TransportSettings transport = customizer.apply(transportSettings(settings));
		if (settings.tls().insecureSkipVerify() && transport.isTls()) {
			logger.log(Level.WARNING, () -> "TLS certificate verification is disabled for the " + settings.role()
					+ " exporter " + Endpoints.sanitize(settings.endpoint())
					+ ": anyone on the network path can read and change the spans. Never use this in production.");
		}
		return (settings.protocol() == OtlpProtocol.GRPC) ? OtlpTransport.grpc(transport)
				: OtlpTransport.httpProtobuf(transport, clock);
	}

	/**
	 * Return the transport settings of a destination.
	 * @param settings the destination's settings
	 * @return the transport settings
	 * @throws IllegalArgumentException if the endpoint is not an http:// or https:// URL
	 * with a host
	 */
	public static TransportSettings transportSettings(ExporterSettings settings) {
		URI endpoint;
		try {
			endpoint = new URI(settings.endpoint().trim());
		}
		catch (URISyntaxException ex) {
			// not chained: the exception's message holds the raw endpoint, credentials
			// and all
			throw new IllegalArgumentException(
					"Invalid endpoint '" + Endpoints.sanitize(settings.endpoint()) + "': " + ex.getReason()
							+ " at index " + ex.getIndex() + "; it must be an http:// or https:// URL with a host");
		}
		return new TransportSettings(endpoint, settings.headers(), settings.timeout(), settings.connectTimeout(),
				settings.compression() == Compression.GZIP, settings.tls());
	}

}
