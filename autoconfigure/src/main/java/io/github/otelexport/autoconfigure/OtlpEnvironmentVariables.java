package io.github.otelexport.autoconfigure;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.otelexport.export.Compression;
import io.github.otelexport.export.ExporterSettings;
import io.github.otelexport.export.transport.OtlpProtocol;

import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.convert.ConversionException;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Reads the standard {@code OTEL_EXPORTER_OTLP_[TRACES_]*} environment variables (and
 * {@code OTEL_EXPORTER_OTLP_LOGS_ENDPOINT}) through the Spring {@link Environment},
 * signal-specific variables first. The protocol and the compression go through Spring
 * Boot's conversion, as the {@code otel.export.*} properties do; a value that cannot work
 * throws {@link InvalidOtelExportConfigurationException} naming the variable.
 *
 * @author otel-export authors
 */
final class OtlpEnvironmentVariables {

	static final String TRACES_ENDPOINT = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";

	static final String ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT";

	static final String LOGS_ENDPOINT = "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT";

	private final Environment environment;

	OtlpEnvironmentVariables(Environment environment) {
		this.environment = environment;
	}

	ConfiguredValue<OtlpProtocol> protocol() {
		ConfiguredValue<String> protocol = get("PROTOCOL");
		if (protocol == null) {
			return null;
		}
		String action = "Set " + protocol.origin() + " to 'grpc' (port 4317) or 'http/protobuf' (port 4318)"
				+ (protocol.value().equalsIgnoreCase("http/json") ? "; http/json is not supported." : ".");
		return convert(protocol, OtlpProtocol.class, "the protocol is not one of grpc, http/protobuf", action);
	}

	ConfiguredValue<Compression> compression() {
		ConfiguredValue<String> compression = get("COMPRESSION");
		if (compression == null) {
			return null;
		}
		return convert(compression, Compression.class, "the compression is not one of none, gzip",
				"Set " + compression.origin() + " to 'none' or 'gzip'.");
	}

	/**
	 * Return the traces endpoint. The generic endpoint is a base URL: for http/protobuf
	 * the OTLP specification appends {@code v1/traces}, for gRPC it is used as it is.
	 * @param protocol the resolved protocol
	 * @return the endpoint, or {@code null}
	 */
	ConfiguredValue<String> endpoint(OtlpProtocol protocol) {
		String traces = this.environment.getProperty(TRACES_ENDPOINT);
		if (StringUtils.hasText(traces)) {
			return new ConfiguredValue<>(traces.trim(), TRACES_ENDPOINT);
		}
		String base = this.environment.getProperty(ENDPOINT);
		if (!StringUtils.hasText(base)) {
			return null;
		}
		base = base.trim();
		return new ConfiguredValue<>(
				(protocol == OtlpProtocol.HTTP_PROTOBUF) ? EndpointValidator.withTracesPath(base) : base, ENDPOINT);
	}

	/**
	 * Return the URL of log records, used as it is, as the OTLP specification says.
	 * Without it, the URL is derived from the traces endpoint, which the generic endpoint
	 * sets too.
	 * @return the logs endpoint, or {@code null}
	 */
	ConfiguredValue<String> logsEndpoint() {
		String logs = this.environment.getProperty(LOGS_ENDPOINT);
		return StringUtils.hasText(logs) ? new ConfiguredValue<>(logs.trim(), LOGS_ENDPOINT) : null;
	}

	/**
	 * Return the timeout, which the variables give in whole milliseconds.
	 * @return the timeout, or {@code null}
	 */
	ConfiguredValue<Duration> timeout() {
		ConfiguredValue<String> millis = get("TIMEOUT");
		if (millis == null) {
			return null;
		}
		return new ConfiguredValue<>(
				ConfigurationChecks.milliseconds(millis.origin(), millis.value(), ExporterSettings.DEFAULT_TIMEOUT),
				millis.origin());
	}

	/**
	 * Return the headers, given as comma-separated, URL-encoded {@code key=value} pairs.
	 * As in the OpenTelemetry SDK, whitespace around a key or value is trimmed before it
	 * is decoded, so that an encoded line break ({@code %0D%0A}) stays in the value and
	 * is refused with the properties' headers ({@link HeaderChecks}), wherever it is.
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
				headers.put(decode(pair.substring(0, equals).trim()), decode(pair.substring(equals + 1).trim()));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidOtelExportConfigurationException(raw.origin(), "(not shown)",
						"an entry is not validly URL-encoded",
						"URL-encode special characters in " + raw.origin() + ", for example '%20' for a space.");
			}
		}
		return new ConfiguredValue<>(Collections.unmodifiableMap(headers), raw.origin());
	}

	private static <T> ConfiguredValue<T> convert(ConfiguredValue<String> raw, Class<T> type, String reason,
			String action) {
		try {
			T value = ApplicationConversionService.getSharedInstance().convert(raw.value(), type);
			if (value != null) {
				return new ConfiguredValue<>(value, raw.origin());
			}
		}
		catch (ConversionException ex) {
			// reported below
		}
		throw new InvalidOtelExportConfigurationException(raw.origin(), raw.value(), reason, action);
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
