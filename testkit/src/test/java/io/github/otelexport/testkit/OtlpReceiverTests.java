package io.github.otelexport.testkit;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for the lifecycle and recordings of {@link OtlpReceiver}.
 *
 * @author otel-export authors
 */
class OtlpReceiverTests {

	@Test
	void closeFreesPortsAndEndsThreads() throws Exception {
		OtlpReceiver receiver = OtlpReceiver.builder().tls().build();
		HttpExport client = new HttpExport(TlsClients.trusting(receiver.caCertificatePem()));
		client.export(receiver.httpEndpoint(), TestSpans.request(1));
		try (GrpcExport grpc = new GrpcExport(receiver.grpcPort(),
				io.grpc.TlsChannelCredentials.newBuilder()
					.trustManager(receiver.caCertificateFile().toFile())
					.build())) {
			grpc.export(TestSpans.request(1));
		}
		assertThat(receiverThreads()).isNotEmpty();
		receiver.close();
		receiver.close();
		assertRefused(receiver.grpcPort());
		assertRefused(receiver.httpPort());
		assertThat(receiverThreads()).isEmpty();
	}

	@Test
	void closeReturnsWhileResponseIsDelayed() throws Exception {
		OtlpReceiver receiver = OtlpReceiver.start();
		receiver.delayResponses(Duration.ofMinutes(5));
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<?> export = executor
				.submit(() -> new HttpExport().export(receiver.httpEndpoint(), TestSpans.request(1)));
			org.awaitility.Awaitility.await().until(() -> receiver.requestCount() == 1);
			receiver.close();
			assertThat(receiverThreads()).isEmpty();
			export.cancel(true);
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void switchesAfterCloseAreRejected() {
		OtlpReceiver receiver = OtlpReceiver.start();
		receiver.close();
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(receiver::accept);
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(receiver::refuseConnections);
	}

	@Test
	void spansAreGroupedByTraceIdAndClearForgetsThem() throws Exception {
		try (OtlpReceiver receiver = OtlpReceiver.start()) {
			HttpExport client = new HttpExport();
			client.export(receiver.httpEndpoint(), TestSpans.request("00000000000000000000000000000001", 2));
			client.export(receiver.httpEndpoint(), TestSpans.request("00000000000000000000000000000002", 1));
			assertThat(receiver.spansByTraceId()).containsOnlyKeys("00000000000000000000000000000001",
					"00000000000000000000000000000002");
			assertThat(receiver.spansByTraceId().get("00000000000000000000000000000001")).hasSize(2);
			receiver.clear();
			assertThat(receiver.spanCount()).isZero();
			assertThat(receiver.requestCount()).isZero();
			assertThat(receiver.spansByTraceId()).isEmpty();
		}
	}

	@Test
	void aCountingReceiverCountsWithoutKeeping() throws Exception {
		try (OtlpReceiver receiver = OtlpReceiver.builder().countOnly().build()) {
			HttpExport client = new HttpExport();
			client.export(receiver.httpEndpoint(), TestSpans.request("00000000000000000000000000000001", 2));
			client.export(receiver.httpEndpoint(), TestSpans.request("00000000000000000000000000000002", 1));
			client.export(receiver.httpEndpoint(Signal.LOGS), TestLogs.request(4));
			assertThat(receiver.spanCount()).isEqualTo(3);
			assertThat(receiver.logRecordCount()).isEqualTo(4);
			assertThat(receiver.requestCount()).isEqualTo(3);
			assertThat(receiver.spans()).isEmpty();
			assertThat(receiver.logRecords()).isEmpty();
			assertThat(receiver.requests()).isEmpty();
			assertThat(receiver.spansByTraceId()).isEmpty();
			receiver.clear();
			assertThat(receiver.spanCount()).isZero();
			assertThat(receiver.logRecordCount()).isZero();
		}
	}

	@Test
	void spansAndLogRecordsOnOneReceiverAreRecordedApart() throws Exception {
		try (OtlpReceiver receiver = OtlpReceiver.start(); GrpcExport grpc = new GrpcExport(receiver.grpcPort())) {
			HttpExport http = new HttpExport();
			http.export(receiver.httpEndpoint(), TestSpans.request(2));
			http.export(receiver.httpEndpoint(Signal.LOGS), TestLogs.request(3));
			grpc.export(TestSpans.request(1));
			grpc.export(TestLogs.request(4));
			assertThat(receiver.spanCount()).isEqualTo(3);
			assertThat(receiver.spans()).extracting((span) -> span.getName())
				.containsExactly("span-0", "span-1", "span-0");
			assertThat(receiver.spansByTraceId()).containsOnlyKeys(TestSpans.TRACE_ID);
			assertThat(receiver.logRecordCount()).isEqualTo(7);
			assertThat(receiver.logRecords()).extracting((record) -> record.getBody().getStringValue())
				.containsExactly("log-0", "log-1", "log-2", "log-0", "log-1", "log-2", "log-3");
			// these log records were emitted outside any span
			assertThat(receiver.logRecordsByTraceId()).isEmpty();
			assertThat(receiver.requests()).extracting(ReceivedRequest::signal)
				.containsExactly(Signal.TRACES, Signal.LOGS, Signal.TRACES, Signal.LOGS);
			assertThat(receiver.requests(Signal.TRACES))
				.extracting(ReceivedRequest::protocol, ReceivedRequest::spanCount, ReceivedRequest::logRecordCount)
				.containsExactly(tuple(Protocol.HTTP, 2, 0), tuple(Protocol.GRPC, 1, 0));
			assertThat(receiver.requests(Signal.LOGS))
				.extracting(ReceivedRequest::protocol, ReceivedRequest::spanCount, ReceivedRequest::logRecordCount)
				.containsExactly(tuple(Protocol.HTTP, 0, 3), tuple(Protocol.GRPC, 0, 4));
			receiver.clear();
			assertThat(receiver.requestCount()).isZero();
			assertThat(receiver.spanCount()).isZero();
			assertThat(receiver.logRecordCount()).isZero();
			assertThat(receiver.logRecords()).isEmpty();
			assertThat(receiver.requests(Signal.LOGS)).isEmpty();
		}
	}

	@Test
	void concurrentRequestsAreAllRecorded() throws Exception {
		try (OtlpReceiver receiver = OtlpReceiver.start(); GrpcExport grpc = new GrpcExport(receiver.grpcPort())) {
			HttpExport http = new HttpExport();
			ExecutorService executor = Executors.newFixedThreadPool(8);
			try {
				List<Future<?>> exports = new ArrayList<>();
				for (int i = 0; i < 40; i++) {
					int index = i;
					exports.add(executor
						.submit(() -> (index % 2 == 0) ? http.export(receiver.httpEndpoint(), TestSpans.request(2))
								: grpc.export(TestSpans.request(2))));
				}
				for (Future<?> export : exports) {
					export.get();
				}
			}
			finally {
				executor.shutdownNow();
			}
			assertThat(receiver.spanCount()).isEqualTo(80);
			assertThat(receiver.requests()).hasSize(40)
				.filteredOn((request) -> request.protocol() == Protocol.GRPC)
				.hasSize(20);
		}
	}

	@Test
	void accessorsThatCombineWithFaults() throws Exception {
		try (OtlpReceiver receiver = OtlpReceiver.start()) {
			HttpExport client = new HttpExport();
			receiver.requireHeader("X-Token", "t");
			receiver.respondWithHttpStatus(503);
			assertThat(client.export(receiver.httpEndpoint(), TestSpans.request(1)).statusCode()).isEqualTo(401);
			assertThat(client.export(receiver.httpEndpoint(), TestSpans.request(1), "x-token", "t").statusCode())
				.isEqualTo(503);
			receiver.clearRequiredHeader();
			assertThat(client.export(receiver.httpEndpoint(), TestSpans.request(1)).statusCode()).isEqualTo(503);
			receiver.accept();
			assertThat(client.export(receiver.httpEndpoint(), TestSpans.request(1)).statusCode()).isEqualTo(200);
		}
	}

	@Test
	void grpcClientOnHttpPortFails() throws Exception {
		try (OtlpReceiver receiver = OtlpReceiver.start(); GrpcExport client = new GrpcExport(receiver.httpPort())) {
			assertThatExceptionOfType(StatusRuntimeException.class)
				.isThrownBy(() -> client.export(TestSpans.request(1)));
			assertThat(receiver.spanCount()).isZero();
		}
	}

	@Test
	void httpClientOnGrpcPortFails() {
		try (OtlpReceiver receiver = OtlpReceiver.start()) {
			String url = "http://127.0.0.1:" + receiver.grpcPort() + "/v1/traces";
			assertThatIOException().isThrownBy(() -> new HttpExport().export(url, TestSpans.request(1)));
			assertThat(receiver.requestCount()).isZero();
		}
	}

	static List<Thread> receiverThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().startsWith(NamedThreadFactory.PREFIX))
			.filter(Thread::isAlive)
			.toList();
	}

	private static void assertRefused(int port) {
		assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
			}
		});
	}

}
