package io.github.otelexport.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.stream.Stream;

import io.github.otelexport.export.BatchSettings;
import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportSnapshot;
import io.github.otelexport.testkit.OtlpReceiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The disk buffer against real sockets: what is buffered at shutdown stays on disk and
 * the next exporter on the directory sends it; a full disk drops the newest batches,
 * counted; a directory is one exporter's.
 *
 * @author otel-export authors
 */
class DiskBufferTests {

	private static final BatchSettings BATCH = new BatchSettings(512, 2048, Duration.ofMillis(20),
			Duration.ofSeconds(30));

	@TempDir
	Path directory;

	@Test
	void whatIsBufferedAtShutdownIsSentByTheNextExporterOnTheDirectory() {
		try (OtlpReceiver receiver = OtlpReceiver.start()) {
			receiver.refuseConnections();
			TestPipeline before = pipeline(receiver, 64L * 1024 * 1024).build();
			for (int i = 0; i < 5_000; i++) {
				before.endSpan("span-" + i);
				if (i % 1_000 == 999) {
					// the application's pace: the batch processor's queue never overflows
					assertThat(before.flush(Duration.ofSeconds(30))).isTrue();
				}
			}
			before.close();
			ExportSnapshot stopped = before.snapshot();
			assertThat(stopped.droppedByReason()).isEmpty();
			assertThat(stopped.spansInFlight()).as("kept on disk").isEqualTo(5_000);
			assertThat(receiver.spanCount()).isZero();
			receiver.accept();
			try (TestPipeline after = pipeline(receiver, 64L * 1024 * 1024).build()) {
				assertThat(after.snapshot().spansRecovered()).isEqualTo(5_000);
				await().atMost(Duration.ofSeconds(30)).until(() -> after.snapshot().spansInFlight() == 0);
				ExportSnapshot sent = after.snapshot();
				assertThat(sent.droppedByReason()).isEmpty();
				assertThat(sent.spansExported()).isEqualTo(5_000);
				assertThat(receiver.spans()).extracting((span) -> span.getName())
					.doesNotHaveDuplicates()
					.hasSize(5_000)
					.contains("span-0", "span-4999");
			}
		}
	}

	@Test
	void aDamagedRecordIsCountedAsCorruptAndTheRestIsSent() throws IOException {
		try (OtlpReceiver receiver = OtlpReceiver.start()) {
			receiver.refuseConnections();
			TestPipeline before = pipeline(receiver, 64L * 1024 * 1024).build();
			for (int chunk = 0; chunk < 4; chunk++) {
				before.endSpans("span", 500);
				assertThat(before.flush(Duration.ofSeconds(30))).isTrue();
			}
			before.close();
			// a byte of the first record's request changes on disk (its 20-byte header
			// is left whole, so its span count is known)
			try (Stream<Path> files = Files.list(this.directory)) {
				Path first = files.filter((file) -> file.toString().endsWith(".log"))
					.sorted()
					.findFirst()
					.orElseThrow();
				try (FileChannel channel = FileChannel.open(first, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
					ByteBuffer one = ByteBuffer.allocate(1);
					channel.read(one, 30);
					one.flip();
					one.put(0, (byte) (one.get(0) ^ 0xFF));
					channel.write(one, 30);
				}
			}
			receiver.accept();
			try (TestPipeline after = pipeline(receiver, 64L * 1024 * 1024).build()) {
				ExportSnapshot start = after.snapshot();
				assertThat(start.spansRecovered()).isEqualTo(2_000);
				long corrupt = start.droppedByReason().getOrDefault(DropReason.CORRUPT, 0L);
				assertThat(corrupt).isBetween(1L, 500L);
				await().atMost(Duration.ofSeconds(30)).until(() -> after.snapshot().spansInFlight() == 0);
				assertThat(receiver.spanCount()).isEqualTo(2_000 - corrupt);
				assertThat(after.snapshot().droppedByReason()).containsOnlyKeys(DropReason.CORRUPT);
			}
		}
	}

	@Test
	void aFullDiskDropsTheNewestBatchesAsBufferFull() {
		long diskBytes = 256 * 1024;
		try (OtlpReceiver receiver = OtlpReceiver.start()) {
			receiver.refuseConnections();
			try (TestPipeline pipeline = pipeline(receiver, diskBytes).build()) {
				for (int chunk = 0; chunk < 20; chunk++) {
					pipeline.endSpans("outage", 1_000);
					assertThat(pipeline.flush(Duration.ofSeconds(30))).isTrue();
					assertThat(pipeline.snapshot().disk().bytes()).isLessThanOrEqualTo(diskBytes);
				}
				ExportSnapshot full = pipeline.snapshot();
				assertThat(full.droppedByReason()).containsOnlyKeys(DropReason.BUFFER_FULL);
				receiver.accept();
				await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.snapshot().spansInFlight() == 0);
				ExportSnapshot after = pipeline.snapshot();
				assertThat(receiver.spanCount()).isEqualTo(after.spansExported()).isPositive();
				Accounting.assertBalanced(after, 20_000);
			}
		}
	}

	@Test
	void aDirectoryInUseIsRefused() {
		try (OtlpReceiver receiver = OtlpReceiver.start();
				TestPipeline first = pipeline(receiver, 1024 * 1024).build()) {
			assertThatExceptionOfType(UncheckedIOException.class)
				.isThrownBy(() -> pipeline(receiver, 1024 * 1024).build())
				.withMessageContaining(this.directory.toString())
				.withMessageContaining("another process");
		}
	}

	private TestPipeline.Builder pipeline(OtlpReceiver receiver, long diskBytes) {
		return TestPipeline.to(receiver, OtlpProtocol.GRPC)
			.batch(BATCH)
			.retryPolicy(TestPipeline.PATIENT_RETRIES)
			.buffer(1024 * 1024, 4)
			.disk(this.directory, diskBytes)
			.drainTimeout(Duration.ofMillis(200));
	}

}
