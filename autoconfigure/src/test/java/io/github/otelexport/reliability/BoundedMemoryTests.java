package io.github.otelexport.reliability;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.EnumSet;

import io.github.otelexport.export.BatchSettings;
import io.github.otelexport.export.ExporterSettings;
import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportSnapshot;
import io.github.otelexport.testkit.OtlpReceiver;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests that memory stays bounded by the configured queue and buffer whatever the backend
 * does: one million spans ended during an outage retain a few megabytes, or the buffer's
 * size, not the hundreds that keeping them would take. The growth measured with the queue
 * alone is in BENCHMARKS.md, with a buffer in the test's javadoc.
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

	private static final long BUFFER_BYTES = 16L * 1024 * 1024;

	private static final int SENDERS = 4;

	/**
	 * The bound with a buffer: the buffer full, plus what {@link #MAX_GROWTH} allows for
	 * the queue and the batches the senders hold; about 42 MB. Encoded, the million spans
	 * take about 66 MB (66 bytes each, four buffers' worth), as ended about 400 MB, so
	 * keeping what the full buffer refuses fails.
	 */
	private static final long MAX_GROWTH_WITH_BUFFER = BUFFER_BYTES + MAX_GROWTH;

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
	 * A long outage with a 16 MB buffer: the buffer fills, what does not fit is refused
	 * and counted as {@code buffer_full}, and the heap retains the buffer and little
	 * more. Measured on the project's 2-core machine (JDK 17.0.15) in five runs: a growth
	 * of 16,316,728 to 16,448,640 bytes (15.6 to 15.7 MB) with 16.0 MB buffered, against
	 * the bound of 42 MB; ending the million spans took 2.0 to 3.6 s on the test thread.
	 */
	@Test
	void aLongOutageRetainsNoMoreThanTheBuffer() {
		try (OtlpReceiver receiver = OtlpReceiver.builder().countOnly().build()) {
			receiver.refuseConnections();
			TestPipeline pipeline = TestPipeline.to(receiver, OtlpProtocol.GRPC)
				.batch(new BatchSettings(MAX_EXPORT_BATCH_SIZE, MAX_QUEUE_SIZE, Duration.ofMillis(20),
						Duration.ofSeconds(30)))
				.retryPolicy(TestPipeline.PATIENT_RETRIES)
				.buffer(BUFFER_BYTES, SENDERS)
				.build();
			try {
				// Load the classes and encode a few batches: the full buffer refuses a
				// batch by the size of those before it
				endAtTheBatchProcessorsPace(pipeline, WARM_UP);
				long before = retainedHeap();
				long start = System.nanoTime();
				long mostBuffered = 0;
				for (int ended = 0; ended < SPANS; ended += MAX_QUEUE_SIZE) {
					endAtTheBatchProcessorsPace(pipeline, Math.min(MAX_QUEUE_SIZE, SPANS - ended));
					mostBuffered = Math.max(mostBuffered, pipeline.snapshot().buffer().bytes());
				}
				long elapsed = System.nanoTime() - start;
				long after = retainedHeap();
				long growth = after - before;
				ExportSnapshot during = pipeline.snapshot();
				System.out.printf(
						"Retained heap growth after %,d spans during an outage with a %,d-byte buffer: %,d bytes"
								+ " (%.1f MB, bound %.1f MB), %,d bytes buffered; ending them took %d ms on the"
								+ " test thread%n",
						SPANS, BUFFER_BYTES, growth, growth / 1048576.0, MAX_GROWTH_WITH_BUFFER / 1048576.0,
						during.buffer().bytes(), elapsed / 1_000_000);
				assertThat(growth).as("retained heap growth in bytes").isLessThan(MAX_GROWTH_WITH_BUFFER);
				assertThat(during.buffer().maxBytes()).isEqualTo(BUFFER_BYTES);
				assertThat(mostBuffered).as("most bytes seen in the buffer").isLessThanOrEqualTo(BUFFER_BYTES);
				// full: the next batch would not fit
				assertThat(during.buffer().bytes()).isGreaterThan(BUFFER_BYTES * 9 / 10);
				// what did not fit is dropped at once and counted: more than twice what
				// the buffer holds
				assertThat(during.droppedByReason()).containsOnlyKeys(DropReason.BUFFER_FULL);
				assertThat(during.droppedByReason().get(DropReason.BUFFER_FULL))
					.isGreaterThan(2 * during.buffer().spans());
				// the backend back, what the buffer and the senders held gets out
				receiver.accept();
				await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.snapshot().spansInFlight() == 0);
			}
			finally {
				assertThat(pipeline.shutdown(Duration.ofSeconds(30))).isTrue();
			}
			ExportSnapshot snapshot = pipeline.snapshot();
			assertThat(snapshot.droppedByReason()).containsOnlyKeys(DropReason.BUFFER_FULL);
			assertThat(receiver.spanCount()).isEqualTo(snapshot.spansExported());
			Accounting.assertBalanced(snapshot, WARM_UP + SPANS);
		}
	}

	/**
	 * End spans no faster than the batch processor hands them to the exporter, so that
	 * its queue never overflows and every span meets the buffer: at most a queue's worth
	 * at a time, each time once the queue is empty again.
	 */
	private static void endAtTheBatchProcessorsPace(TestPipeline pipeline, int count) {
		for (int ended = 0; ended < count; ended += MAX_QUEUE_SIZE) {
			pipeline.endSpans("outage", Math.min(MAX_QUEUE_SIZE, count - ended));
			await().pollInSameThread()
				.pollDelay(Duration.ZERO)
				.pollInterval(Duration.ofMillis(1))
				.atMost(Duration.ofSeconds(10))
				.until(() -> pipeline.snapshot().queue().size() == 0);
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
