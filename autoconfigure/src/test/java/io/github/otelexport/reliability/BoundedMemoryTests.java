package io.github.otelexport.reliability;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.EnumSet;

import io.github.otelexport.export.BatchSettings;
import io.github.otelexport.export.DropReason;
import io.github.otelexport.export.ExportSnapshot;
import io.github.otelexport.export.ExporterSettings;
import io.github.otelexport.export.OtlpProtocol;
import io.github.otelexport.testkit.OtlpReceiver;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that memory stays bounded by the configured queue whatever the backend does: one
 * million spans ended during an outage retain a few megabytes, not the hundreds that
 * keeping them would take. The growth measured once is in BENCHMARKS.md.
 *
 * @author otel-export authors
 */
class BoundedMemoryTests {

	private static final int SPANS = 1_000_000;

	private static final int WARM_UP = 10_000;

	private static final int MAX_QUEUE_SIZE = 2048;

	private static final int MAX_EXPORT_BATCH_SIZE = 512;

	/**
	 * What one span held by the pipeline may retain: {@code span.end()} allocates about
	 * 400 bytes per span in all (BENCHMARKS.md), so this allows ten times as much.
	 */
	private static final long BYTES_PER_HELD_SPAN = 4096;

	/**
	 * Room for what does not scale with spans and for the readings' noise: the exporters'
	 * connection attempts, the recent errors, the statistics, and what other threads (the
	 * receiver's, the JIT's) allocate between the collections.
	 */
	private static final long FIXED_SLACK = 16L * 1024 * 1024;

	/**
	 * The bound: at most a full queue plus the batch being exported are held at any time,
	 * at {@link #BYTES_PER_HELD_SPAN} each, plus {@link #FIXED_SLACK}; about 26 MB. The
	 * warm-up fills the queue before the baseline, so the bound is generous twice over
	 * (measured: 0.2 MB). Keeping the million spans would take about 400 MB, so a leak of
	 * even a tenth of them fails.
	 */
	private static final long MAX_GROWTH = (MAX_QUEUE_SIZE + MAX_EXPORT_BATCH_SIZE) * BYTES_PER_HELD_SPAN + FIXED_SLACK;

	@Test
	void oneMillionSpansDuringAnOutageRetainOnlyTheQueue() {
		try (OtlpReceiver receiver = OtlpReceiver.start()) {
			receiver.refuseConnections();
			TestPipeline pipeline = TestPipeline.to(receiver, OtlpProtocol.GRPC)
				.batch(new BatchSettings(MAX_EXPORT_BATCH_SIZE, MAX_QUEUE_SIZE, Duration.ofMillis(20),
						Duration.ofSeconds(30)))
				.build();
			try {
				// Load the classes and fill the queue once, so the baseline holds them
				pipeline.endSpans("warm-up", WARM_UP);
				long before = retainedHeap();
				long start = System.nanoTime();
				pipeline.endSpans("outage", SPANS);
				long elapsed = System.nanoTime() - start;
				long after = retainedHeap();
				long growth = after - before;
				System.out.printf(
						"Retained heap growth after %,d spans during an outage: %,d bytes (%.1f MB, bound %.1f MB);"
								+ " ending them took %d ms on the test thread%n",
						SPANS, growth, growth / 1048576.0, MAX_GROWTH / 1048576.0, elapsed / 1_000_000);
				assertThat(growth).as("retained heap growth in bytes").isLessThan(MAX_GROWTH);
				ExportSnapshot during = pipeline.snapshot();
				assertThat(during.queue().capacity()).isEqualTo(MAX_QUEUE_SIZE);
				assertThat(during.queue().size()).isLessThanOrEqualTo(MAX_QUEUE_SIZE);
				// A span that does not fit in the queue is dropped at once, not kept
				assertThat(during.droppedByReason()).containsKey(DropReason.QUEUE_FULL);
				assertThat(during.spansInFlight()).isLessThanOrEqualTo(MAX_QUEUE_SIZE + MAX_EXPORT_BATCH_SIZE);
			}
			finally {
				assertThat(pipeline.shutdown(Duration.ofSeconds(30))).isTrue();
			}
			ExportSnapshot snapshot = pipeline.snapshot();
			assertThat(snapshot.spansExported()).isZero();
			assertThat(snapshot.droppedByReason().keySet())
				.isSubsetOf(EnumSet.of(DropReason.QUEUE_FULL, DropReason.RETRIES_EXHAUSTED, DropReason.SHUTDOWN));
			Accounting.assertBalanced(snapshot, WARM_UP + SPANS);
			assertThat(snapshot.recentErrors()).hasSizeLessThanOrEqualTo(50);
			assertThat(receiver.spanCount()).isZero();
		}
	}

	/**
	 * Return the heap still used after full collections: the smallest of a few readings,
	 * since the exporter's threads keep allocating a little between them.
	 */
	private static long retainedHeap() {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		long min = Long.MAX_VALUE;
		for (int i = 0; i < 4; i++) {
			System.gc();
			min = Math.min(min, memory.getHeapMemoryUsage().getUsed());
		}
		return min;
	}

}
