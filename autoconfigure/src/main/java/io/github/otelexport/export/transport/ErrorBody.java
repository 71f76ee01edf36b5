package io.github.otelexport.export.transport;

import java.util.Locale;

/**
 * Reads the message of an error response's body: the {@code google.rpc.Status} that OTLP
 * asks for, or the text a proxy or web server answers with.
 *
 * @author otel-export authors
 */
final class ErrorBody {

	private ErrorBody() {
	}

	/**
	 * Return the message of an error body.
	 * @param contentType the response's content type, or {@code null}
	 * @param body the body
	 * @return the message, empty for a binary body that is not a status
	 */
	static String message(String contentType, byte[] body) {
		String type = (contentType != null) ? contentType.toLowerCase(Locale.ROOT) : "";
		if (type.contains("protobuf") || type.startsWith("application/grpc")) {
			return RpcStatus.parse(body).message();
		}
		if (type.isEmpty() || type.startsWith("text/") || type.contains("json") || type.contains("xml")) {
			return BackendText.of(body).strip();
		}
		return "";
	}

}
