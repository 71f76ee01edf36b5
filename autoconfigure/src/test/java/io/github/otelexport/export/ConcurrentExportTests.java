package io.github.otelexport.export;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.export.transport.Signal;
import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportErrorCategory;
import io.github.otelexport.stats.ExportSnapshot;
import io.github.otelexport.testkit.OtlpReceiver;
import io.github.otelexport.testkit.OtlpReceiverExtension;
import io.grpc.Status;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
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
		LogRecordExporter logs = exporter.logRecordExporter();
		AtomicInteger completed = new AtomicInteger();
		ExecutorService executor = Executors.newFixedThreadPool(THREADS);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<long[]>> submitted = new ArrayList<>();
		try {
			for (int t = 0; t < THREADS; t++) {
				int seed = t;
				submitted.add(executor.submit(() -> {
					start.await();
					// spans and log records, one batch each in turn, through one engine
					long[] items = new long[Signal.values().length];
					for (int b = 0; b < BATCHES_PER_THREAD; b++) {
						int size = 1 + (seed * 31 + b) % 7;
						Signal signal = ((seed + b) % 2 == 0) ? Signal.TRACES : Signal.LOGS;
						if (signal == Signal.TRACES) {
							exporter.export(TestSpans.batch(size));
						}
						else {
							logs.export(TestLogs.batch(size));
						}
						items[signal.ordinal()] += size;
						int done = completed.incrementAndGet();
						if (done % BATCHES_PER_PHASE == 0) {
							// the other threads are mid-export when the faults change
							PHASES.get((done / BATCHES_PER_PHASE - 1) % PHASES.size()).accept(primary, fallback);
						}
					}
					return items;
				}));
			}
			start.countDown();
			long[] expected = new long[Signal.values().length];
			for (Future<long[]> future : submitted) {
				// get() throws if export threw
				long[] items = future.get(2, TimeUnit.MINUTES);
				for (Signal signal : Signal.values()) {
					expected[signal.ordinal()] += items[signal.ordinal()];
				}
			}
			Map<ExportErrorCategory, Long> errors = new EnumMap<>(ExportErrorCategory.class);
			Set<DropReason> dropReasons = EnumSet.noneOf(DropReason.class);
			long exportedByPrimary = 0;
			long exportedByFallback = 0;
			for (Signal signal : Signal.values()) {
				ExportSnapshot snapshot = exporter.statistics(signal).snapshot();
				// the identity holds for each signal apart
				ResilientSpanExporterTests.assertIdentity(snapshot, expected[signal.ordinal()]);
				long byPrimary = snapshot.exporters().get(0).exportedSpans();
				long byFallback = snapshot.exporters().get(1).exportedSpans();
				assertThat(byPrimary + byFallback + snapshot.spansDropped()).isEqualTo(expected[signal.ordinal()]);
				// no item counted as exported is missing from its receiver; a receiver
				// may hold more, when a fault change cut a connection after the receiver
				// had taken a request: the client saw a failure and sent the items again
				// (at least once)
				assertThat((long) received(primary, signal)).isGreaterThanOrEqualTo(byPrimary);
				assertThat((long) received(fallback, signal)).isGreaterThanOrEqualTo(byFallback);
				assertThat(snapshot.recentErrors()).hasSize(5);
				exportedByPrimary += byPrimary;
				exportedByFallback += byFallback;
				snapshot.errorsByCategory().forEach((category, count) -> errors.merge(category, count, Long::sum));
				dropReasons.addAll(snapshot.droppedByReason().keySet());
			}
			// the run met the faults it was meant to
			assertThat(exportedByPrimary).isPositive();
			assertThat(exportedByFallback).isPositive();
			assertThat(dropReasons).contains(DropReason.PERMANENT_ERROR);
			assertThat(errors).containsKeys(ExportErrorCategory.CONNECTION_REFUSED, ExportErrorCategory.UNAVAILABLE,
					ExportErrorCategory.REJECTED);
		}
		finally {
			executor.shutdownNow();
			assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
			logs.shutdown();
			exporter.shutdown().join(10, TimeUnit.SECONDS);
		}
	}

	private static int received(OtlpReceiver receiver, Signal signal) {
		return (signal == Signal.TRACES) ? receiver.spanCount() : receiver.logRecordCount();
	}

}
