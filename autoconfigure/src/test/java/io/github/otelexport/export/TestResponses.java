package io.github.otelexport.export;

import java.util.function.Supplier;

import io.opentelemetry.sdk.common.export.GrpcResponse;
import io.opentelemetry.sdk.common.export.GrpcStatusCode;
import io.opentelemetry.sdk.common.export.HttpResponse;

/**
 * Backend answers, to build the SDK's failed-export exceptions from and to feed stand-in
 * senders.
 *
 * @author otel-export authors
 */
final class TestResponses {

	private TestResponses() {
	}

	static HttpResponse http(int status) {
		return http(status, () -> new byte[0]);
	}

	static HttpResponse http(int status, Supplier<byte[]> body) {
		return new HttpResponse() {

			@Override
			public int getStatusCode() {
				return status;
			}

			@Override
			public String getStatusMessage() {
				return "status " + status;
			}

			@Override
			public byte[] getResponseBody() {
				return body.get();
			}

		};
	}

	static GrpcResponse grpc(GrpcStatusCode status, String description) {
		return new GrpcResponse() {

			@Override
			public GrpcStatusCode getStatusCode() {
				return status;
			}

			@Override
			public String getStatusDescription() {
				return description;
			}

			@Override
			public byte[] getResponseMessage() {
				return new byte[0];
			}

		};
	}

}
