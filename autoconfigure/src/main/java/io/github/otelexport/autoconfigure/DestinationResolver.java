package io.github.otelexport.autoconfigure;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

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
 * <p>
 * An http/protobuf endpoint whose path is empty or {@code /} is a base URL: it gets
 * {@code /v1/traces} appended (logged at INFO). Any other path is used as given, with a
 * warning when it does not end with {@code /v1/traces}.
 *
 * @author otel-export authors
 */
final class DestinationResolver {

	static final String GRPC = ExporterSettings.GRPC;

	static final String HTTP_PROTOBUF = ExporterSettings.HTTP_PROTOBUF;

	static final String PRIMARY = ExporterDescription.PRIMARY;

	static final String FALLBACK = ExporterDescription.FALLBACK;

	private static final String TRACES_PATH = "/v1/traces";

	private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

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
		return new ExporterSettings(PRIMARY, resolvedProtocol, endpoint(endpoint, resolvedProtocol, tls),
				headers(headers), positive(timeout),
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
		String endpoint = endpoint(new ConfiguredValue<>(properties.getEndpoint().trim(), prefix + "endpoint"),
				protocol, tls);
		if (endpoint.equals(primary.endpoint()) && protocol.equals(primary.protocol())) {
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
		Map<String, String> headers = properties.getHeaders().isEmpty() ? primary.headers()
				: headers(new ConfiguredValue<>(properties.getHeaders(), prefix + "headers"));
		return new ExporterSettings(FALLBACK, protocol, endpoint, headers, timeout, connectTimeout, compression, tls);
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
			if (value.contains("${")) {
				String placeholder = value.substring(value.indexOf("${"));
				String variable = placeholder.substring(2).split("[}:]", 2)[0];
				throw new InvalidOtelExportConfigurationException(property, placeholder,
						"the placeholder could not be resolved, so the header would be sent literally",
						"Set the environment variable " + variable + " (or the property " + variable
								+ "), or remove the header.");
			}
			result.put(name, value);
		});
		return Collections.unmodifiableMap(result);
	}

	private static String endpoint(ConfiguredValue<String> endpoint, String protocol, TlsSettings tls) {
		String property = endpoint.origin();
		String value = endpoint.value().trim();
		String shown = Endpoints.sanitize(value);
		String example = GRPC.equals(protocol) ? "http://collector:4317" : "http://collector:4318/v1/traces";
		int schemeEnd = value.indexOf("://");
		if (schemeEnd < 0) {
			throw new InvalidOtelExportConfigurationException(property, shown, "the endpoint has no scheme",
					"Write the scheme: http://" + shown + " (or https://" + shown + " when the endpoint uses TLS).");
		}
		String scheme = value.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
		String rest = shown.substring(shown.indexOf("://") + 3);
		if (scheme.equals("grpc") || scheme.equals("grpcs") || scheme.equals("dns")) {
			String replacement = (scheme.equals("grpcs") ? "https://" : "http://") + rest;
			throw new InvalidOtelExportConfigurationException(property, shown,
					"OTLP/gRPC endpoints use the http or https scheme, not " + scheme + "://",
					"Use " + replacement + " (for example http://host:4317; https:// when the endpoint uses TLS).");
		}
		if (!scheme.equals("http") && !scheme.equals("https")) {
			throw new InvalidOtelExportConfigurationException(property, shown,
					"the scheme must be http or https, not " + scheme,
					"Use an http:// or https:// URL, for example " + example + ".");
		}
		URI uri;
		try {
			uri = new URI(value);
		}
		catch (URISyntaxException ex) {
			throw malformed(property, shown, example);
		}
		if (uri.getHost() == null) {
			throw malformed(property, shown, example);
		}
		String path = (uri.getRawPath() != null) ? uri.getRawPath() : "";
		if (HTTP_PROTOBUF.equals(protocol) && (path.isEmpty() || path.equals("/"))) {
			value = value.replaceAll("/+$", "") + TRACES_PATH;
			logger.info(property + "=" + shown + " is a base URL; exporting to " + Endpoints.sanitize(value)
					+ " (the OTLP/HTTP traces path was appended).");
		}
		else if (HTTP_PROTOBUF.equals(protocol) && !path.endsWith(TRACES_PATH)) {
			logger.warn(property + "=" + shown + " does not end with " + TRACES_PATH
					+ "; it is used as given, but OTLP/HTTP receivers usually expect " + TRACES_PATH
					+ ". If spans are rejected with 404, write " + example + ".");
		}
		if (GRPC.equals(protocol) && uri.getPort() == 4318) {
			logger.warn(property + "=" + shown + " uses port 4318, the OTLP/HTTP port, with protocol grpc. "
					+ "Use port 4317 for gRPC, or set the protocol to http/protobuf with an endpoint like "
					+ "http://host:4318/v1/traces.");
		}
		if (HTTP_PROTOBUF.equals(protocol) && uri.getPort() == 4317) {
			logger.warn(property + "=" + shown + " uses port 4317, the OTLP/gRPC port, with protocol http/protobuf. "
					+ "Use http://host:4318/v1/traces for http/protobuf, or set the protocol to grpc.");
		}
		if (scheme.equals("http") && TlsSettingsResolver.isConfigured(tls)) {
			logger.warn(property + "=" + shown + " is a plaintext http:// URL, so the TLS settings are not used. "
					+ "Write https:// to use TLS.");
		}
		if (uri.getRawUserInfo() != null) {
			logger.warn(property + " carries credentials in the URL; they are not sent as OTLP authentication. "
					+ "Move them to a header (" + property.replace("endpoint", "headers") + ".authorization).");
		}
		return value;
	}

	private static InvalidOtelExportConfigurationException malformed(String property, String shown, String example) {
		return new InvalidOtelExportConfigurationException(property, shown,
				"the endpoint is not a valid URL (its host, port or characters are wrong)",
				"Write a URL such as " + example + ".");
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
