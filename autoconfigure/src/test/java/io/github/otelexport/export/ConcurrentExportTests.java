package io.github.otelexport.export;

import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.opentelemetry.exporter.internal.FailedExportException;
import io.opentelemetry.sdk.common.CompletableResultCode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that {@link ResilientSpanExporter} keeps exact counts when {@code export} is
 * called from several threads at once.
 *
 * @author otel-export authors
 */
class ConcurrentExportTests {

	@Test
	void countsStayExactUnderConcurrentExports() throws Exception {
		TestTime time = new TestTime();
		AtomicInteger calls = new AtomicInteger();
		ScriptedSpanExporter primary = new ScriptedSpanExporter().otherwise(() -> switch (calls.incrementAndGet() % 4) {
			case 0 -> CompletableResultCode.ofExceptionalFailure(new SocketException("Connection reset"));
			case 1 -> CompletableResultCode
				.ofExceptionalFailure(FailedExportException.httpFailedWithResponse(TestResponses.http(400)));
			default -> CompletableResultCode.ofSuccess();
		});
		// the fallback fails on its own schedule: were it driven by the primary's calls,
		// an
		// open circuit could leave it succeeding forever and the test with too few errors
		AtomicInteger fallbackCalls = new AtomicInteger();
		ScriptedSpanExporter fallback = new ScriptedSpanExporter()
			.otherwise(() -> (fallbackCalls.incrementAndGet() % 3 == 0)
					? CompletableResultCode.ofExceptionalFailure(new SocketException("Connection reset"))
					: CompletableResultCode.ofSuccess());
		ResilientSpanExporter exporter = ResilientSpanExporter
			.builder(primary, ExporterDescription.primary("http://primary:4317", "grpc"))
			.fallback(fallback, ExporterDescription.fallback("http://fallback:4317", "grpc"))
			.retryPolicy(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(1)).build())
			.failureThreshold(2)
			.probeInterval(Duration.ofMillis(5))
			.recentErrors(5)
			.clock(time)
			.ticker(time)
			.sleeper(new TestSleeper(time))
			.build();
		int threads = 8;
		int batchesPerThread = 250;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<Long>> submitted = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			int seed = t;
			submitted.add(executor.submit(() -> {
				start.await();
				long spans = 0;
				for (int b = 0; b < batchesPerThread; b++) {
					int size = 1 + (seed * 31 + b) % 7;
					exporter.export(TestSpans.batch(size));
					spans += size;
				}
				return spans;
			}));
		}
		start.countDown();
		long expected = 0;
		for (Future<Long> future : submitted) {
			expected += future.get(30, TimeUnit.SECONDS);
		}
		executor.shutdown();
		assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		ExportSnapshot snapshot = exporter.statistics().snapshot();
		ResilientSpanExporterTests.assertIdentity(snapshot, expected);
		assertThat(snapshot.exporters().get(0).exportedSpans() + snapshot.exporters().get(1).exportedSpans())
			.isEqualTo(primary.exportedSpans() + fallback.exportedSpans());
		assertThat(snapshot.recentErrors()).hasSize(5);
	}

}
