package io.github.otelexport.autoconfigure;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import io.github.otelexport.export.transport.Endpoints;
import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.export.transport.Signal;
import io.github.otelexport.export.transport.TlsSettings;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Checks an OTLP endpoint URL (of spans, or of log records) and returns the URL to export
 * to, its scheme in lower case. Values that cannot work (no scheme, {@code grpc://}, a
 * port out of range, a fragment, malformed) throw
 * {@link InvalidOtelExportConfigurationException}; suspicious ones log one warning with
 * the fix.
 * <p>
 * An http/protobuf endpoint whose path is empty or {@code /} is a base URL: it gets the
 * signal's path ({@code /v1/traces}, {@code /v1/logs}) appended before any query string
 * (logged at INFO), except from a signal-specific variable
 * ({@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}, {@code OTEL_EXPORTER_OTLP_LOGS_ENDPOINT}),
 * which the OTLP specification says is used as it is. Any other path is used as given,
 * with a warning when it does not end with the signal's path. A gRPC endpoint's path is
 * ignored by gRPC (the call goes to the OTLP service's own path), so a path there logs a
 * warning too.
 *
 * @author otel-export authors
 */
final class EndpointValidator {

	private static final Log logger = LogFactory.getLog(EndpointValidator.class);

	private EndpointValidator() {
	}

	/**
	 * Check an endpoint.
	 * @param endpoint the endpoint and where it came from
	 * @param protocol the resolved protocol
	 * @param tls the resolved TLS settings
	 * @param headersProperty where a header for this endpoint is written, for the hint
	 * about credentials in the URL: the role's {@code headers} property, or the
	 * environment variable the primary's headers come from
	 * @return the endpoint to export to
	 */
	static String validate(ConfiguredValue<String> endpoint, OtlpProtocol protocol, TlsSettings tls,
			String headersProperty) {
		return validate(endpoint, Signal.TRACES, protocol, tls, headersProperty);
	}

	/**
	 * Check an endpoint of the given signal.
	 * @param endpoint the endpoint and where it came from
	 * @param signal what is sent to it
	 * @param protocol the resolved protocol
	 * @param tls the resolved TLS settings
	 * @param headersProperty where a header for this endpoint is written
	 * @return the endpoint to export to
	 */
	static String validate(ConfiguredValue<String> endpoint, Signal signal, OtlpProtocol protocol, TlsSettings tls,
			String headersProperty) {
		String property = endpoint.origin();
		String value = endpoint.value().trim();
		String shown = Endpoints.sanitize(value);
		String signalPath = signal.httpPath();
		String example = (protocol == OtlpProtocol.GRPC) ? "http://collector:4317"
				: "http://collector:4318" + signalPath;
		int schemeEnd = value.indexOf("://");
		if (schemeEnd < 0) {
			// a scheme-relative //host keeps its slashes out of the suggestion
			String authority = shown.startsWith("//") ? shown.substring(2) : shown;
			throw new InvalidOtelExportConfigurationException(property, shown, "the endpoint has no scheme",
					"Write the scheme: http://" + authority + " (or https://" + authority
							+ " when the endpoint uses TLS).");
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
		if (uri.getPort() == 0 || uri.getPort() > 65535) {
			throw new InvalidOtelExportConfigurationException(property, shown,
					"the port " + uri.getPort() + " is out of range (1 to 65535)",
					"Write a port between 1 and 65535, for example " + example + ".");
		}
		if (uri.getRawFragment() != null) {
			throw new InvalidOtelExportConfigurationException(property, shown,
					"the endpoint has a fragment (#...), which is never sent to the server",
					"Remove the fragment, for example " + example + ".");
		}
		// The SDK accepts only lower-case schemes; host names are case-insensitive anyway
		value = scheme + value.substring(schemeEnd);
		String path = (uri.getRawPath() != null) ? uri.getRawPath() : "";
		// The signal-specific variables are used as they are, as the OTLP specification
		// says
		boolean base = (path.isEmpty() || path.equals("/"))
				&& !OtlpEnvironmentVariables.TRACES_ENDPOINT.equals(property)
				&& !OtlpEnvironmentVariables.LOGS_ENDPOINT.equals(property);
		if (protocol == OtlpProtocol.HTTP_PROTOBUF && base) {
			value = withPath(value, signalPath);
			logger.info(property + "=" + shown + " is a base URL; exporting to " + Endpoints.sanitize(value)
					+ " (the OTLP/HTTP path of " + signal.items() + " was appended).");
		}
		else if (protocol == OtlpProtocol.HTTP_PROTOBUF && !path.endsWith(signalPath)) {
			logger.warn(property + "=" + shown + " does not end with " + signalPath
					+ "; it is used as given, but OTLP/HTTP receivers usually expect " + signalPath + ". If "
					+ signal.items() + " are rejected with 404, write " + example + ".");
		}
		if (protocol == OtlpProtocol.GRPC && !path.isEmpty() && !path.equals("/")) {
			String server = Endpoints.sanitize(scheme + "://" + uri.getRawAuthority());
			logger.warn(property + "=" + shown + " has a path (" + path + "), which gRPC ignores: the export goes to "
					+ server + " whatever the path. Write " + server
					+ ", or set the protocol to http/protobuf if the backend expects OTLP/HTTP at this URL.");
		}
		if (protocol == OtlpProtocol.GRPC && uri.getPort() == 4318) {
			logger.warn(property + "=" + shown + " uses port 4318, the OTLP/HTTP port, with protocol grpc. "
					+ "Use port 4317 for gRPC, or set the protocol to http/protobuf with an endpoint like "
					+ "http://host:4318/v1/traces.");
		}
		if (protocol == OtlpProtocol.HTTP_PROTOBUF && uri.getPort() == 4317) {
			logger.warn(property + "=" + shown + " uses port 4317, the OTLP/gRPC port, with protocol http/protobuf. "
					+ "Use http://host:4318/v1/traces for http/protobuf, or set the protocol to grpc.");
		}
		if (scheme.equals("http") && TlsSettingsResolver.isConfigured(tls)) {
			logger.warn(property + "=" + shown + " is a plaintext http:// URL, so the TLS settings are not used. "
					+ "Write https:// to use TLS.");
		}
		if (uri.getRawUserInfo() != null) {
			logger.warn(property + " carries credentials in the URL; they are not sent as OTLP authentication. "
					+ "Move them to a header: " + HeaderChecks.where(headersProperty, "authorization") + ".");
		}
		return value;
	}

	/**
	 * Append the OTLP/HTTP traces path to a base URL's path, before any query string
	 * ({@code http://host:4318/otlp?a=b} becomes
	 * {@code http://host:4318/otlp/v1/traces?a=b}).
	 * @param baseUrl the base URL
	 * @return the traces URL
	 */
	static String withTracesPath(String baseUrl) {
		return withPath(baseUrl, Signal.TRACES.httpPath());
	}

	private static String withPath(String baseUrl, String signalPath) {
		int query = baseUrl.indexOf('?');
		String url = (query >= 0) ? baseUrl.substring(0, query) : baseUrl;
		String rest = (query >= 0) ? baseUrl.substring(query) : "";
		return (url.endsWith("/") ? url.substring(0, url.length() - 1) : url) + signalPath + rest;
	}

	private static InvalidOtelExportConfigurationException malformed(String property, String shown, String example) {
		return new InvalidOtelExportConfigurationException(property, shown,
				"the endpoint is not a valid URL (its host, port or characters are wrong)",
				"Write a URL such as " + example + ".");
	}

}
