package io.github.otelexport.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;

import io.github.otelexport.export.Compression;
import io.github.otelexport.export.ExporterSettings;
import io.github.otelexport.export.transport.Endpoints;
import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.export.transport.TlsSettings;
import io.github.otelexport.stats.DestinationRole;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.StringUtils;

/**
 * Resolves the primary and fallback destinations (and, through
 * {@link LogsEndpointResolver}, the URLs of their log records), the first part of
 * {@link OtelExportSettingsResolver}: {@code otel.export.*} first, then the
 * {@code OTEL_EXPORTER_OTLP_*} environment variables (primary only), then the defaults of
 * {@link ExporterSettings}; the fallback inherits what it leaves unset from the resolved
 * primary. Every value is checked; a value that cannot work throws
 * {@link InvalidOtelExportConfigurationException}, a suspicious one logs a warning.
 *
 * @author otel-export authors
 */
final class DestinationResolver {

	private static final Log logger = LogFactory.getLog(DestinationResolver.class);

	private final OtlpEnvironmentVariables environmentVariables;

	private final TlsSettingsResolver tlsResolver;

	DestinationResolver(OtlpEnvironmentVariables environmentVariables, TlsSettingsResolver tlsResolver) {
		this.environmentVariables = environmentVariables;
		this.tlsResolver = tlsResolver;
	}

	OtelExportDestinations resolve(OtelExportProperties properties) {
		ExporterSettings primary = resolvePrimary(properties);
		ExporterSettings fallback = resolveFallback(properties.getFallback(), primary);
		LogsEndpointResolver logs = new LogsEndpointResolver(this.environmentVariables, properties.getLogs());
		return new OtelExportDestinations(primary, fallback, logs.primary(primary), logs.fallback(fallback));
	}

	private ExporterSettings resolvePrimary(DestinationProperties properties) {
		DestinationRole role = DestinationRole.PRIMARY;
		ConfiguredValue<OtlpProtocol> protocol = first(property(role, "protocol", properties.getProtocol()),
				this.environmentVariables.protocol(),
				new ConfiguredValue<>(ExporterSettings.DEFAULT_PROTOCOL, role.property("protocol")));
		ConfiguredValue<String> endpoint = first(property(role, "endpoint", properties.getEndpoint()),
				this.environmentVariables.endpoint(protocol.value()),
				new ConfiguredValue<>(protocol.value().defaultEndpoint(), role.property("endpoint")));
		Duration timeout = (properties.getTimeout() != null)
				? timeout(role, "timeout", properties.getTimeout(), ExporterSettings.DEFAULT_TIMEOUT)
				: first(this.environmentVariables.timeout(),
						new ConfiguredValue<>(ExporterSettings.DEFAULT_TIMEOUT, role.property("timeout")))
					.value();
		Duration connectTimeout = (properties.getConnectTimeout() != null) ? timeout(role, "connect-timeout",
				properties.getConnectTimeout(), ExporterSettings.DEFAULT_CONNECT_TIMEOUT)
				: ExporterSettings.DEFAULT_CONNECT_TIMEOUT;
		Compression compression = first(property(role, "compression", properties.getCompression()),
				this.environmentVariables.compression(),
				new ConfiguredValue<>(ExporterSettings.DEFAULT_COMPRESSION, role.property("compression")))
			.value();
		ConfiguredValue<Map<String, String>> configuredHeaders = properties.getHeaders().isEmpty()
				? this.environmentVariables.headers()
				: new ConfiguredValue<>(properties.getHeaders(), role.property("headers"));
		Map<String, String> headers = HeaderChecks.check(configuredHeaders);
		String headersProperty = (configuredHeaders != null) ? configuredHeaders.origin() : role.property("headers");
		TlsSettings tls = this.tlsResolver.resolve(role.propertyPrefix(), properties.getTls());
		return new ExporterSettings(role, protocol.value(),
				EndpointValidator.validate(endpoint, protocol.value(), tls, headersProperty), headers, headersProperty,
				timeout, connectTimeout, compression, tls);
	}

	private ExporterSettings resolveFallback(OtelExportProperties.Fallback properties, ExporterSettings primary) {
		DestinationRole role = DestinationRole.FALLBACK;
		if (!StringUtils.hasText(properties.getEndpoint())) {
			return null;
		}
		OtlpProtocol protocol = (properties.getProtocol() != null) ? properties.getProtocol() : primary.protocol();
		DestinationProperties.Tls tlsProperties = properties.getTls();
		boolean ownTls = StringUtils.hasText(tlsProperties.getBundle())
				|| StringUtils.hasText(tlsProperties.getCaFile())
				|| StringUtils.hasText(tlsProperties.getClientCertificate())
				|| StringUtils.hasText(tlsProperties.getClientKey()) || tlsProperties.getInsecureSkipVerify() != null;
		TlsSettings tls = ownTls ? this.tlsResolver.resolve(role.propertyPrefix(), tlsProperties) : primary.tls();
		// credentials in the fallback's URL are the fallback's: its own headers take them
		String endpoint = EndpointValidator.validate(
				new ConfiguredValue<>(properties.getEndpoint().trim(), role.property("endpoint")), protocol, tls,
				role.property("headers"));
		if (sameDestination(endpoint, primary.endpoint()) && protocol == primary.protocol()) {
			throw new InvalidOtelExportConfigurationException(role.property("endpoint"), Endpoints.sanitize(endpoint),
					"the fallback endpoint is the same as the primary endpoint, so it cannot help when the primary fails",
					"Point " + role.property("endpoint")
							+ " to a different destination (another Collector), or remove it.");
		}
		Duration timeout = (properties.getTimeout() != null)
				? timeout(role, "timeout", properties.getTimeout(), primary.timeout()) : primary.timeout();
		Duration connectTimeout = (properties.getConnectTimeout() != null)
				? timeout(role, "connect-timeout", properties.getConnectTimeout(), primary.connectTimeout())
				: primary.connectTimeout();
		Compression compression = (properties.getCompression() != null) ? properties.getCompression()
				: primary.compression();
		Map<String, String> headers = properties.getHeaders().isEmpty()
				? inheritedHeaders(properties, primary, endpoint)
				: HeaderChecks.check(new ConfiguredValue<>(properties.getHeaders(), role.property("headers")));
		// inherited headers are fixed where the primary's are set, not in the fallback's
		// unset property
		String headersProperty = (properties.getHeaders().isEmpty() && !headers.isEmpty()) ? primary.headersProperty()
				: role.property("headers");
		return new ExporterSettings(role, protocol, endpoint, headers, headersProperty, timeout, connectTimeout,
				compression, tls);
	}

	private static Duration timeout(DestinationRole role, String key, Duration value, Duration example) {
		return ConfigurationChecks.duration(role.property(key), value, example);
	}

	/**
	 * The primary's headers, unless the fallback opted out. Sending them to another host,
	 * or over plaintext http from an https primary, is worth a line at startup: they
	 * often hold the primary backend's credentials. Only header names are logged.
	 */
	private static Map<String, String> inheritedHeaders(OtelExportProperties.Fallback properties,
			ExporterSettings primary, String endpoint) {
		if (!properties.isInheritHeaders() || primary.headers().isEmpty()) {
			return Collections.emptyMap();
		}
		URI fallbackUri = uri(endpoint);
		URI primaryUri = uri(primary.endpoint());
		if (fallbackUri != null && primaryUri != null) {
			String host = fallbackUri.getHost();
			boolean otherHost = host != null && !host.equalsIgnoreCase(primaryUri.getHost());
			boolean plaintext = "http".equalsIgnoreCase(fallbackUri.getScheme())
					&& "https".equalsIgnoreCase(primaryUri.getScheme());
			if (otherHost || plaintext) {
				logger.warn("otel.export.fallback sends the primary's headers " + primary.headers().keySet() + " to "
						+ host + (otherHost ? ", another host than the primary's" : "")
						+ (plaintext ? ", over plaintext http" : "")
						+ ". Set otel.export.fallback.headers.* for the fallback's own, "
						+ "or otel.export.fallback.inherit-headers=false to send none.");
			}
		}
		return primary.headers();
	}

	/**
	 * Whether two endpoints reach the same server and path: scheme and host compare
	 * without case, a missing port is the scheme's default, trailing slashes and
	 * credentials do not count.
	 */
	static boolean sameDestination(String first, String second) {
		return comparable(first).equals(comparable(second));
	}

	private static String comparable(String endpoint) {
		URI uri = uri(endpoint);
		if (uri == null || uri.getScheme() == null || uri.getHost() == null) {
			return endpoint;
		}
		String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
		int port = (uri.getPort() != -1) ? uri.getPort() : ("https".equals(scheme) ? 443 : 80);
		String path = (uri.getRawPath() != null) ? uri.getRawPath().replaceAll("/+$", "") : "";
		String query = (uri.getRawQuery() != null) ? "?" + uri.getRawQuery() : "";
		return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port + path + query;
	}

	private static URI uri(String endpoint) {
		try {
			return URI.create(endpoint);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static <T> ConfiguredValue<T> property(DestinationRole role, String key, T value) {
		if (value == null || (value instanceof String text && !StringUtils.hasText(text))) {
			return null;
		}
		return new ConfiguredValue<>(value, role.property(key));
	}

	@SafeVarargs
	private static <T> ConfiguredValue<T> first(ConfiguredValue<T>... candidates) {
		for (ConfiguredValue<T> candidate : candidates) {
			if (candidate != null) {
				return candidate;
			}
		}
		throw new IllegalStateException("No default");
	}

}
