package io.github.otelexport.export;

import io.opentelemetry.exporter.internal.FailedExportException;
import io.opentelemetry.sdk.common.export.GrpcResponse;
import io.opentelemetry.sdk.common.export.HttpResponse;

/**
 * Reads the OpenTelemetry SDK's failed-export exception. This is the only class that
 * touches the SDK's internal exporter types, so an SDK upgrade that moves them breaks
 * here and nowhere else.
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
	 * Return whether {@code failure} is the SDK's wrapper around the real cause, which
	 * carries no evidence of its own.
	 * @param failure the failure
	 * @return {@code true} for the SDK's failed-export exception
	 */
	static boolean isWrapper(Throwable failure) {
		return failure instanceof FailedExportException;
	}

}
