package io.github.otelexport.stats;

import io.github.otelexport.export.transport.Signal;

/**
 * What went wrong with an export attempt, each with a one-line cause and a remediation
 * hint for the operator.
 *
 * @author otel-export authors
 */
public enum ExportErrorCategory {

	/**
	 * Nothing listens on the endpoint's port.
	 */
	CONNECTION_REFUSED("The connection to the endpoint was refused", (properties, headers,
			signal) -> "Is the Collector running and listening on that port? 4317 is OTLP/gRPC, 4318 is OTLP/HTTP."),

	/**
	 * The endpoint's host name does not resolve.
	 */
	UNKNOWN_HOST("The endpoint's host name does not resolve",
			(properties, headers, signal) -> "The host name does not resolve: check the spelling of " + properties
					+ "endpoint and the DNS or service name."),

	/**
	 * The backend did not answer in time.
	 */
	DEADLINE_EXCEEDED("The export did not complete within its timeout",
			(properties, headers, signal) -> "Raise " + properties
					+ "timeout or find the slow hop; https to a plaintext port also hangs until the timeout."),

	/**
	 * The backend refused the credentials.
	 */
	UNAUTHENTICATED("The backend refused the request's credentials",
			(properties, headers, signal) -> "Check " + headers
					+ " (API key, bearer token); is the environment variable that holds it set?"),

	/**
	 * The TLS handshake failed.
	 */
	TLS("The TLS handshake with the endpoint failed",
			(properties, headers, signal) -> "Trust the backend's CA (" + properties
					+ "tls.ca-file or an SSL bundle via " + properties + "tls.bundle); check http vs https; "
					+ "the endpoint's host must be one the certificate names, even with insecure-skip-verify."),

	/**
	 * The backend is rate limiting or the payload is too large.
	 */
	RESOURCE_EXHAUSTED("The backend is rate limiting or the payload is too large",
			(properties, headers, signal) -> "Lower otel.export.batch.max-export-batch-size, enable " + properties
					+ "compression=gzip, check the backend's rate limits."),

	/**
	 * The endpoint URL, path or protocol is wrong.
	 */
	INVALID_ENDPOINT("The endpoint does not accept OTLP traces at that URL or protocol",
			(properties, headers, signal) -> ((signal == Signal.LOGS)
					? "If spans get through, the backend does not take OTLP logs (a traces-only backend, such as "
							+ "Jaeger's OTLP receiver, answers HTTP 404 on /v1/logs or gRPC UNIMPLEMENTED): send logs "
							+ "through a Collector that takes them, or set otel.export.logs.enabled=false. Else: "
					: "") + "gRPC: http://host:4317 with " + properties
					+ "protocol=grpc; HTTP: http://host:4318/v1/traces with " + properties
					+ "protocol=http/protobuf; check " + properties + "endpoint."),

	/**
	 * The backend is temporarily unable to take the data.
	 */
	UNAVAILABLE("The backend is temporarily unavailable",
			(properties, headers, signal) -> DestinationRole.FALLBACK.propertyPrefix().equals(properties)
					? "The backend is restarting or overloaded; " + signal.items() + " are retried."
					: "The backend is restarting or overloaded; " + signal.items()
							+ " are retried, and a fallback endpoint "
							+ "(otel.export.fallback.endpoint) keeps them flowing."),

	/**
	 * The backend refused the data itself.
	 */
	REJECTED("The backend refused the data itself", (properties, headers,
			signal) -> "The backend refused the data itself: check its logs for the reason (invalid attributes, limits, schema)."),

	/**
	 * Anything else.
	 */
	UNKNOWN("An unexpected error occurred while exporting", (properties, headers,
			signal) -> "See the exception in the recent errors of /actuator/otelexport and the application log.");

	private final String cause;

	/**
	 * The hint, from the prefix of the properties of the destination it is about
	 * ({@code otel.export.} or {@code otel.export.fallback.}) and where its headers are
	 * configured.
	 */
	private final Hint hint;

	ExportErrorCategory(String cause, Hint hint) {
		this.cause = cause;
		this.hint = hint;
	}

	/**
	 * Return a one-line description of what this category means.
	 * @return the cause
	 */
	public String cause() {
		return this.cause;
	}

	/**
	 * Return what the operator should do about it, naming the properties of the
	 * destination that failed: {@code otel.export.fallback.endpoint} for the fallback.
	 * @param role the role of that destination
	 * @return the remediation hint
	 */
	public String hint(DestinationRole role) {
		return hint(role, role.property("headers"));
	}

	/**
	 * Return what the operator should do about it, naming the properties of the
	 * destination that failed and where its headers really come from: the primary's
	 * environment variable, or the primary's headers that a fallback inherits.
	 * @param role the role of that destination
	 * @param headersProperty the property or environment variable that holds its headers,
	 * such as {@code OTEL_EXPORTER_OTLP_HEADERS}
	 * @return the remediation hint
	 */
	public String hint(DestinationRole role, String headersProperty) {
		return this.hint.of(role.propertyPrefix(), headersProperty, Signal.TRACES);
	}

	/**
	 * Return what the operator should do about a failure of an exporter, naming its
	 * properties and where its headers come from.
	 * @param exporter the exporter that failed
	 * @return the remediation hint
	 */
	public String hint(ExporterDescription exporter) {
		return hint(exporter, Signal.TRACES);
	}

	/**
	 * Return what the operator should do about a failure of an exporter with a signal,
	 * naming its properties and where its headers come from: a backend may refuse log
	 * records while it takes spans.
	 * @param exporter the exporter that failed
	 * @param signal the signal that failed
	 * @return the remediation hint
	 */
	public String hint(ExporterDescription exporter, Signal signal) {
		return this.hint.of(exporter.role().propertyPrefix(), exporter.headersProperty(), signal);
	}

	/**
	 * A hint from the prefix of the destination's properties, where its headers are
	 * configured and the signal that failed.
	 */
	private interface Hint {

		String of(String properties, String headers, Signal signal);

	}

}
