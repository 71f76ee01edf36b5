package io.github.otelexport.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.exporter.internal.FailedExportException;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporterBuilder;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.GrpcStatusCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SDK's own OTLP log exporter, over either protocol, pointed at a receiver, without
 * retries so that each export is one request. The only test class that reads the SDK's
 * failed-export exception (an internal type), to learn the status the receiver answered.
 *
 * @author otel-export authors
 */
final class LogExport implements AutoCloseable {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final LogRecordExporter exporter;

	private LogExport(LogRecordExporter exporter) {
		this.exporter = exporter;
	}

	static LogExport to(OtlpReceiver receiver, Protocol protocol) {
		return to(receiver, protocol, Map.of(), false, TIMEOUT);
	}

	/**
	 * Create an exporter.
	 * @param receiver the receiver, whose CA is trusted when it uses TLS
	 * @param protocol the protocol
	 * @param headers the headers to send
	 * @param gzip whether to compress
	 * @param timeout the export timeout
	 * @return the exporter
	 */
	static LogExport to(OtlpReceiver receiver, Protocol protocol, Map<String, String> headers, boolean gzip,
			Duration timeout) {
		String compression = gzip ? "gzip" : "none";
		if (protocol == Protocol.GRPC) {
			OtlpGrpcLogRecordExporterBuilder builder = OtlpGrpcLogRecordExporter.builder()
				.setEndpoint(receiver.grpcEndpoint())
				.setCompression(compression)
				.setTimeout(timeout)
				.setRetryPolicy(null);
			headers.forEach(builder::addHeader);
			if (receiver.isTls()) {
				builder.setTrustedCertificates(receiver.caCertificatePem());
			}
			return new LogExport(builder.build());
		}
		OtlpHttpLogRecordExporterBuilder builder = OtlpHttpLogRecordExporter.builder()
			.setEndpoint(receiver.httpEndpoint(Signal.LOGS))
			.setCompression(compression)
			.setTimeout(timeout)
			.setRetryPolicy(null);
		headers.forEach(builder::addHeader);
		if (receiver.isTls()) {
			builder.setTrustedCertificates(receiver.caCertificatePem());
		}
		return new LogExport(builder.build());
	}

	LogRecordExporter exporter() {
		return this.exporter;
	}

	/**
	 * Export and wait for the result.
	 * @param records the log records
	 * @return the completed result
	 */
	CompletableResultCode export(LogRecordData... records) {
		CompletableResultCode result = this.exporter.export(List.of(records)).join(30, TimeUnit.SECONDS);
		assertThat(result.isDone()).as("export completed").isTrue();
		return result;
	}

	/**
	 * Return the HTTP status of a failed export.
	 * @param result the result of {@link #export}
	 * @return the status the receiver answered with
	 */
	static int httpStatus(CompletableResultCode result) {
		assertThat(result.getFailureThrowable()).isInstanceOf(FailedExportException.HttpExportException.class);
		return ((FailedExportException.HttpExportException) result.getFailureThrowable()).getResponse().getStatusCode();
	}

	/**
	 * Return the gRPC status of a failed export.
	 * @param result the result of {@link #export}
	 * @return the status the receiver answered with
	 */
	static GrpcStatusCode grpcStatus(CompletableResultCode result) {
		assertThat(result.getFailureThrowable()).isInstanceOf(FailedExportException.GrpcExportException.class);
		return ((FailedExportException.GrpcExportException) result.getFailureThrowable()).getResponse().getStatusCode();
	}

	@Override
	public void close() {
		this.exporter.shutdown().join(10, TimeUnit.SECONDS);
	}

}
