package io.github.otelexport.testkit;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;

/**
 * A real OTLP/gRPC client for tests, on a grpc-java channel.
 *
 * @author otel-export authors
 */
final class GrpcExport implements AutoCloseable {

	private final ManagedChannel channel;

	GrpcExport(int port) {
		this(port, InsecureChannelCredentials.create());
	}

	GrpcExport(int port, ChannelCredentials credentials) {
		this.channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port, credentials).build();
	}

	ExportTraceServiceResponse export(ExportTraceServiceRequest request) {
		return stub().export(request);
	}

	ExportTraceServiceResponse export(ExportTraceServiceRequest request, Map<String, String> headers) {
		Metadata metadata = new Metadata();
		headers.forEach((name, value) -> metadata.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), value));
		return stub().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata)).export(request);
	}

	ExportTraceServiceResponse exportGzip(ExportTraceServiceRequest request) {
		return stub().withCompression("gzip").export(request);
	}

	ExportLogsServiceResponse export(ExportLogsServiceRequest request) {
		return LogsServiceGrpc.newBlockingStub(this.channel).withDeadlineAfter(10, TimeUnit.SECONDS).export(request);
	}

	/**
	 * Forget the reconnect backoff after a failed connection, as a client would do after
	 * its own backoff elapsed.
	 */
	void resetConnectBackoff() {
		this.channel.resetConnectBackoff();
	}

	private TraceServiceGrpc.TraceServiceBlockingStub stub() {
		return TraceServiceGrpc.newBlockingStub(this.channel).withDeadlineAfter(10, TimeUnit.SECONDS);
	}

	@Override
	public void close() throws InterruptedException {
		this.channel.shutdownNow();
		this.channel.awaitTermination(5, TimeUnit.SECONDS);
	}

}
