package io.github.otelexport.autoconfigure;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Reads the standard {@code OTEL_EXPORTER_OTLP_[TRACES_]*} environment variables through
 * the Spring {@link Environment}, signal-specific variables first.
 *
 * @author otel-export authors
 */
final class OtlpEnvironmentVariables {

	static final String TRACES_ENDPOINT = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";

	static final String ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT";

	private static final String TRACES_PATH = "v1/traces";

	private final Environment environment;

	OtlpEnvironmentVariables(Environment environment) {
		this.environment = environment;
	}

	ConfiguredValue<String> protocol() {
		return get("PROTOCOL");
	}

	ConfiguredValue<String> compression() {
		return get("COMPRESSION");
	}

	/**
	 * Return the traces endpoint. The generic endpoint is a base URL: for http/protobuf
	 * the OTLP specification appends {@code v1/traces}, for gRPC it is used as it is.
	 * @param protocol the resolved protocol
	 * @return the endpoint, or {@code null}
	 */
	ConfiguredValue<String> endpoint(String protocol) {
		String traces = this.environment.getProperty(TRACES_ENDPOINT);
		if (StringUtils.hasText(traces)) {
			return new ConfiguredValue<>(traces.trim(), TRACES_ENDPOINT);
		}
		String base = this.environment.getProperty(ENDPOINT);
		if (!StringUtils.hasText(base)) {
			return null;
		}
		base = base.trim();
		if (DestinationResolver.HTTP_PROTOBUF.equals(protocol)) {
			// The path goes before any query string
			int query = base.indexOf('?');
			String url = (query >= 0) ? base.substring(0, query) : base;
			String rest = (query >= 0) ? base.substring(query) : "";
			base = (url.endsWith("/") ? url : url + "/") + TRACES_PATH + rest;
		}
		return new ConfiguredValue<>(base, ENDPOINT);
	}

	/**
	 * Return the timeout, which the variables give in milliseconds.
	 * @return the timeout, or {@code null}
	 */
	ConfiguredValue<Duration> timeout() {
		ConfiguredValue<String> millis = get("TIMEOUT");
		if (millis == null) {
			return null;
		}
		try {
			return new ConfiguredValue<>(Duration.ofMillis(Long.parseLong(millis.value().trim())), millis.origin());
		}
		catch (NumberFormatException ex) {
			throw new InvalidOtelExportConfigurationException(millis.origin(), millis.value(),
					"the timeout must be a whole number of milliseconds",
					"Set " + millis.origin() + " to a number of milliseconds, for example 10000.");
		}
	}

	/**
	 * Return the headers, given as comma-separated, URL-encoded {@code key=value} pairs.
	 * @return the headers, or {@code null}
	 */
	ConfiguredValue<Map<String, String>> headers() {
		ConfiguredValue<String> raw = get("HEADERS");
		if (raw == null) {
			return null;
		}
		Map<String, String> headers = new LinkedHashMap<>();
		for (String pair : raw.value().split(",")) {
			if (!StringUtils.hasText(pair)) {
				continue;
			}
			int equals = pair.indexOf('=');
			if (equals <= 0) {
				throw new InvalidOtelExportConfigurationException(raw.origin(), "(not shown)",
						"every entry must be key=value, but an entry has no key or no '='",
						"Write " + raw.origin() + " as comma-separated key=value pairs, for example "
								+ "'api-key=secret,tenant=acme' (URL-encode special characters).");
			}
			try {
				headers.put(decode(pair.substring(0, equals)).trim(), decode(pair.substring(equals + 1)).trim());
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidOtelExportConfigurationException(raw.origin(), "(not shown)",
						"an entry is not validly URL-encoded",
						"URL-encode special characters in " + raw.origin() + ", for example '%20' for a space.");
			}
		}
		return new ConfiguredValue<>(Collections.unmodifiableMap(headers), raw.origin());
	}

	private static String decode(String value) {
		return URLDecoder.decode(value, StandardCharsets.UTF_8);
	}

	private ConfiguredValue<String> get(String suffix) {
		String tracesName = "OTEL_EXPORTER_OTLP_TRACES_" + suffix;
		String traces = this.environment.getProperty(tracesName);
		if (StringUtils.hasText(traces)) {
			return new ConfiguredValue<>(traces.trim(), tracesName);
		}
		String genericName = "OTEL_EXPORTER_OTLP_" + suffix;
		String generic = this.environment.getProperty(genericName);
		return StringUtils.hasText(generic) ? new ConfiguredValue<>(generic.trim(), genericName) : null;
	}

}
