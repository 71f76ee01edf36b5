package io.github.otelexport.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.otelexport.export.Endpoints;
import io.github.otelexport.export.ExporterDescription;
import io.github.otelexport.export.ExporterSettings;
import io.github.otelexport.export.TlsSettings;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.StringUtils;

/**
 * Resolves the primary and fallback destinations: {@code otel.export.*} first, then the
 * {@code OTEL_EXPORTER_OTLP_*} environment variables (primary only), then the defaults;
 * the fallback inherits what it leaves unset from the resolved primary. Every value is
 * validated; a value that cannot work throws
 * {@link InvalidOtelExportConfigurationException}, a suspicious one logs a warning.
 *
 * @author otel-export authors
 */
final class DestinationResolver {

	private static final Log logger = LogFactory.getLog(DestinationResolver.class);

	static final String GRPC = ExporterSettings.GRPC;

	static final String HTTP_PROTOBUF = ExporterSettings.HTTP_PROTOBUF;

	static final String PRIMARY = ExporterDescription.PRIMARY;

	static final String FALLBACK = ExporterDescription.FALLBACK;

	private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:]+)(:[^}]*)?}");

	private final OtlpEnvironmentVariables environmentVariables;

	private final TlsSettingsResolver tlsResolver;

	DestinationResolver(OtlpEnvironmentVariables environmentVariables, TlsSettingsResolver tlsResolver) {
		this.environmentVariables = environmentVariables;
		this.tlsResolver = tlsResolver;
	}

	OtelExportDestinations resolve(OtelExportProperties properties) {
		ExporterSettings primary = resolvePrimary(properties);
		ExporterSettings fallback = resolveFallback(properties.getFallback(), primary);
		return new OtelExportDestinations(primary, fallback);
	}

	private ExporterSettings resolvePrimary(DestinationProperties properties) {
		String prefix = "otel.export.";
		ConfiguredValue<String> protocol = first(property(prefix + "protocol", properties.getProtocol()),
				this.environmentVariables.protocol(), new ConfiguredValue<>(GRPC, prefix + "protocol"));
		String resolvedProtocol = protocol(protocol);
		ConfiguredValue<String> endpoint = first(property(prefix + "endpoint", properties.getEndpoint()),
				this.environmentVariables.endpoint(resolvedProtocol),
				new ConfiguredValue<>(defaultEndpoint(resolvedProtocol), prefix + "endpoint"));
		ConfiguredValue<Duration> timeout = first(property(prefix + "timeout", properties.getTimeout()),
				this.environmentVariables.timeout(), new ConfiguredValue<>(DEFAULT_TIMEOUT, prefix + "timeout"));
		ConfiguredValue<String> compression = first(property(prefix + "compression", properties.getCompression()),
				this.environmentVariables.compression(), new ConfiguredValue<>("none", prefix + "compression"));
		ConfiguredValue<Map<String, String>> headers = properties.getHeaders().isEmpty()
				? this.environmentVariables.headers()
				: new ConfiguredValue<>(properties.getHeaders(), prefix + "headers");
		TlsSettings tls = this.tlsResolver.resolve(prefix, properties.getTls());
		Duration connectTimeout = (properties.getConnectTimeout() != null) ? properties.getConnectTimeout()
				: DEFAULT_CONNECT_TIMEOUT;
		return new ExporterSettings(PRIMARY, resolvedProtocol,
				EndpointValidator.validate(endpoint, resolvedProtocol, tls), headers(headers), positive(timeout),
				positive(new ConfiguredValue<>(connectTimeout, prefix + "connect-timeout")), compression(compression),
				tls);
	}

	private ExporterSettings resolveFallback(OtelExportProperties.Fallback properties, ExporterSettings primary) {
		String prefix = "otel.export.fallback.";
		if (!StringUtils.hasText(properties.getEndpoint())) {
			return null;
		}
		String protocol = StringUtils.hasText(properties.getProtocol())
				? protocol(new ConfiguredValue<>(properties.getProtocol(), prefix + "protocol")) : primary.protocol();
		DestinationProperties.Tls tlsProperties = properties.getTls();
		boolean ownTls = StringUtils.hasText(tlsProperties.getBundle())
				|| StringUtils.hasText(tlsProperties.getCaFile())
				|| StringUtils.hasText(tlsProperties.getClientCertificate())
				|| StringUtils.hasText(tlsProperties.getClientKey()) || tlsProperties.getInsecureSkipVerify() != null;
		TlsSettings tls = ownTls ? this.tlsResolver.resolve(prefix, tlsProperties) : primary.tls();
		String endpoint = EndpointValidator
			.validate(new ConfiguredValue<>(properties.getEndpoint().trim(), prefix + "endpoint"), protocol, tls);
		if (sameDestination(endpoint, primary.endpoint()) && protocol.equals(primary.protocol())) {
			throw new InvalidOtelExportConfigurationException(prefix + "endpoint", Endpoints.sanitize(endpoint),
					"the fallback endpoint is the same as the primary endpoint, so it cannot help when the primary fails",
					"Point " + prefix + "endpoint to a different destination (another Collector), or remove it.");
		}
		Duration timeout = (properties.getTimeout() != null)
				? positive(new ConfiguredValue<>(properties.getTimeout(), prefix + "timeout")) : primary.timeout();
		Duration connectTimeout = (properties.getConnectTimeout() != null)
				? positive(new ConfiguredValue<>(properties.getConnectTimeout(), prefix + "connect-timeout"))
				: primary.connectTimeout();
		String compression = StringUtils.hasText(properties.getCompression())
				? compression(new ConfiguredValue<>(properties.getCompression(), prefix + "compression"))
				: primary.compression();
		Map<String, String> headers = properties.getHeaders().isEmpty()
				? inheritedHeaders(properties, primary, endpoint)
				: headers(new ConfiguredValue<>(properties.getHeaders(), prefix + "headers"));
		return new ExporterSettings(FALLBACK, protocol, endpoint, headers, timeout, connectTimeout, compression, tls);
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

	private static String protocol(ConfiguredValue<String> protocol) {
		String value = protocol.value().trim().toLowerCase(Locale.ROOT);
		if (GRPC.equals(value) || HTTP_PROTOBUF.equals(value)) {
			return value;
		}
		String action = "Set " + protocol.origin() + " to 'grpc' (port 4317) or 'http/protobuf' (port 4318)"
				+ (value.equals("http/json") ? "; http/json is not supported." : ".");
		throw new InvalidOtelExportConfigurationException(protocol.origin(), protocol.value(),
				"the protocol is not one of grpc, http/protobuf", action);
	}

	private static String compression(ConfiguredValue<String> compression) {
		String value = compression.value().trim().toLowerCase(Locale.ROOT);
		if ("none".equals(value) || "gzip".equals(value)) {
			return value;
		}
		throw new InvalidOtelExportConfigurationException(compression.origin(), compression.value(),
				"the compression is not one of none, gzip", "Set " + compression.origin() + " to 'none' or 'gzip'.");
	}

	private static Duration positive(ConfiguredValue<Duration> duration) {
		if (duration.value().isNegative() || duration.value().isZero()) {
			throw new InvalidOtelExportConfigurationException(duration.origin(), String.valueOf(duration.value()),
					"the duration must be positive",
					"Set " + duration.origin() + " to a positive duration, for example 10s.");
		}
		return duration.value();
	}

	private static Map<String, String> headers(ConfiguredValue<Map<String, String>> headers) {
		if (headers == null) {
			return Collections.emptyMap();
		}
		Map<String, String> result = new LinkedHashMap<>();
		headers.value().forEach((name, value) -> {
			String property = headers.origin().startsWith("OTEL_") ? headers.origin() + " (" + name + ")"
					: headers.origin() + "." + name;
			if (!StringUtils.hasText(value)) {
				throw new InvalidOtelExportConfigurationException(property, "",
						"the header has an empty value, usually an environment variable that is not set",
						"Set the environment variable the value refers to (for example OTEL_API_KEY for "
								+ "${OTEL_API_KEY:}), or remove the header.");
			}
			Matcher placeholder = PLACEHOLDER.matcher(value);
			if (placeholder.find()) {
				// Show only the placeholder: the rest of the value may be a secret
				String variable = placeholder.group(1);
				throw new InvalidOtelExportConfigurationException(property, placeholder.group(),
						"the placeholder could not be resolved, so the header would be sent literally",
						"Set the environment variable " + variable + " (or the property " + variable
								+ "), or remove the header.");
			}
			result.put(name, value);
		});
		return Collections.unmodifiableMap(result);
	}

	private static String defaultEndpoint(String protocol) {
		return GRPC.equals(protocol) ? "http://localhost:4317" : "http://localhost:4318/v1/traces";
	}

	private static <T> ConfiguredValue<T> property(String name, T value) {
		if (value == null || (value instanceof String text && !StringUtils.hasText(text))) {
			return null;
		}
		return new ConfiguredValue<>(value, name);
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
