package io.github.otelexport.export;

import java.util.List;

import io.opentelemetry.exporter.internal.FailedExportException;
import io.opentelemetry.exporter.internal.grpc.GrpcExporter;
import io.opentelemetry.exporter.internal.http.HttpExporter;
import io.opentelemetry.sdk.common.export.GrpcResponse;
import io.opentelemetry.sdk.common.export.HttpResponse;

/**
 * Reads the OpenTelemetry SDK's failed-export exception and knows its exporters' log
 * lines. This is the only class that touches the SDK's internal exporter types, so an SDK
 * upgrade that moves them breaks here and nowhere else.
 *
 * @author otel-export authors
 */
final class SdkFailures {

	private SdkFailures() {
	}

	/**
	 * Return the HTTP response the backend answered with, if {@code failure} is the SDK's
	 * HTTP failed-export exception carrying one.
	 * @param failure the failure
	 * @return the response, or {@code null}
	 */
	static HttpResponse httpResponse(Throwable failure) {
		if (failure instanceof FailedExportException.HttpExportException http && http.failedWithResponse()) {
			return http.getResponse();
		}
		return null;
	}

	/**
	 * Return the gRPC response the backend answered with, if {@code failure} is the SDK's
	 * gRPC failed-export exception carrying one.
	 * @param failure the failure
	 * @return the response, or {@code null}
	 */
	static GrpcResponse grpcResponse(Throwable failure) {
		if (failure instanceof FailedExportException.GrpcExportException grpc && grpc.failedWithResponse()) {
			return grpc.getResponse();
		}
		return null;
	}

	/**
	 * Return the names of the loggers through which the SDK's OTLP exporters log failed
	 * exports, with the backend's error message.
	 * @return the logger names
	 */
	static List<String> exporterLoggerNames() {
		return List.of(HttpExporter.class.getName(), GrpcExporter.class.getName());
	}

	/**
	 * Return whether a line of the SDK's exporter loggers reports a failed span export
	 * ("Failed to export spans. ..."); the SDK's log and metric exporters, which share
	 * those loggers, say "logs" and "metrics".
	 * @param message the line's message
	 * @return {@code true} for a failed span export
	 */
	static boolean isSpanExportFailure(String message) {
		return message != null && message.startsWith("Failed to export spans.");
	}

	/**
	 * Return whether a line of the SDK's exporter loggers is the notice its throttling
	 * logger writes once an exporter has failed more than a few times a minute.
	 * @param message the line's message
	 * @return {@code true} for the notice
	 */
	static boolean isThrottlingNotice(String message) {
		return message != null && message.startsWith("Too many log messages detected.");
	}

	/**
	 * Return whether {@code failure} is the SDK's wrapper around the real cause, which
	 * carries no evidence of its own.
	 * @param failure the failure
	 * @return {@code true} for the SDK's failed-export exception
	 */
	static boolean isWrapper(Throwable failure) {
		return failure instanceof FailedExportException;
	}

}
