package io.github.otelexport.export;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportErrorCategory;
import io.github.otelexport.stats.ExportSnapshot;
import io.github.otelexport.testkit.OtlpReceiver;
import io.github.otelexport.testkit.OtlpReceiverExtension;
import io.grpc.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that {@link ResilientSpanExporter} keeps exact counts when several threads export
 * at once to a real primary and a real fallback whose faults change under them.
 *
 * @author otel-export authors
 */
class ConcurrentExportTests {

	private static final int THREADS = 6;

	private static final int BATCHES_PER_THREAD = 60;

	/**
	 * Batches completed between two fault changes.
	 */
	private static final int BATCHES_PER_PHASE = 25;

	/**
	 * What the primary (gRPC) and the fallback (HTTP) do, phase after phase: failures
	 * retried and not, failover, partial successes, and recovery.
	 */
	private static final List<BiConsumer<OtlpReceiver, OtlpReceiver>> PHASES = List.of(
			(primary, fallback) -> primary.refuseConnections(),
			(primary, fallback) -> primary.respondWithGrpcStatus(Status.Code.UNAVAILABLE),
			(primary, fallback) -> fallback.partialSuccess(1, "span too old"),
			(primary, fallback) -> primary.resetConnections(),
			(primary, fallback) -> fallback.respondWithHttpStatus(503),
			(primary, fallback) -> primary.respondWithGrpcStatus(Status.Code.INVALID_ARGUMENT),
			(primary, fallback) -> fallback.refuseConnections(), (primary, fallback) -> {
				primary.accept();
				fallback.accept();
			});

	@RegisterExtension
	static final OtlpReceiverExtension primaryExtension = new OtlpReceiverExtension();

	@RegisterExtension
	static final OtlpReceiverExtension fallbackExtension = new OtlpReceiverExtension();

	@Test
	void countsStayExactWhileFaultsChangeUnderConcurrentExports() throws Exception {
		OtlpReceiver primary = primaryExtension.get();
		OtlpReceiver fallback = fallbackExtension.get();
		ExporterSettings primarySettings = ExporterSettings
			.of(DestinationRole.PRIMARY, OtlpProtocol.GRPC, primary.grpcEndpoint())
			.withTimeout(Duration.ofSeconds(3));
		ExporterSettings fallbackSettings = ExporterSettings
			.of(DestinationRole.FALLBACK, OtlpProtocol.HTTP_PROTOBUF, fallback.httpEndpoint())
			.withTimeout(Duration.ofSeconds(3));
		ResilientSpanExporter exporter = ResilientSpanExporter
			.builder(OtlpTransports.create(primarySettings), primarySettings.description())
			.fallback(OtlpTransports.create(fallbackSettings), fallbackSettings.description())
			.retryPolicy(RetryPolicy.builder()
				.maxAttempts(2)
				.initialBackoff(Duration.ofMillis(1))
				.maxBackoff(Duration.ofMillis(5))
				.maxElapsedTime(Duration.ofSeconds(10))
				.build())
			.failureThreshold(2)
			.probeInterval(Duration.ofMillis(20))
			.attemptTimeout(Duration.ofSeconds(4))
			.recentErrors(5)
			.build();
		AtomicInteger completed = new AtomicInteger();
		ExecutorService executor = Executors.newFixedThreadPool(THREADS);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<Long>> submitted = new ArrayList<>();
		try {
			for (int t = 0; t < THREADS; t++) {
				int seed = t;
				submitted.add(executor.submit(() -> {
					start.await();
					long spans = 0;
					for (int b = 0; b < BATCHES_PER_THREAD; b++) {
						int size = 1 + (seed * 31 + b) % 7;
						exporter.export(TestSpans.batch(size));
						spans += size;
						int done = completed.incrementAndGet();
						if (done % BATCHES_PER_PHASE == 0) {
							// the other threads are mid-export when the faults change
							PHASES.get((done / BATCHES_PER_PHASE - 1) % PHASES.size()).accept(primary, fallback);
						}
					}
					return spans;
				}));
			}
			start.countDown();
			long expected = 0;
			for (Future<Long> future : submitted) {
				// get() throws if export threw
				expected += future.get(2, TimeUnit.MINUTES);
			}
			ExportSnapshot snapshot = exporter.statistics().snapshot();
			ResilientSpanExporterTests.assertIdentity(snapshot, expected);
			long exportedByPrimary = snapshot.exporters().get(0).exportedSpans();
			long exportedByFallback = snapshot.exporters().get(1).exportedSpans();
			assertThat(exportedByPrimary + exportedByFallback + snapshot.spansDropped()).isEqualTo(expected);
			// no span counted as exported is missing from its receiver; a receiver may
			// hold
			// more, when a fault change cut a connection after the receiver had taken a
			// request: the client saw a failure and sent the spans again (at least once)
			assertThat((long) primary.spanCount()).isGreaterThanOrEqualTo(exportedByPrimary);
			assertThat((long) fallback.spanCount()).isGreaterThanOrEqualTo(exportedByFallback);
			// the run met the faults it was meant to
			assertThat(exportedByPrimary).isPositive();
			assertThat(exportedByFallback).isPositive();
			assertThat(snapshot.droppedByReason()).containsKeys(DropReason.PERMANENT_ERROR);
			assertThat(snapshot.errorsByCategory()).containsKeys(ExportErrorCategory.CONNECTION_REFUSED,
					ExportErrorCategory.UNAVAILABLE, ExportErrorCategory.REJECTED);
			assertThat(snapshot.recentErrors()).hasSize(5);
		}
		finally {
			executor.shutdownNow();
			assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
			exporter.shutdown().join(10, TimeUnit.SECONDS);
		}
	}

}
