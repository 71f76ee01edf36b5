package io.github.otelexport.reliability;

import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.stats.ExportSnapshot.ExporterSnapshot;
import io.github.otelexport.stats.ExportSnapshot;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Assertions on the accounting identity of design invariant 3: every span handed to the
 * pipeline is exported by one exporter or dropped with one reason, exactly once. The same
 * holds for each signal apart: the log records' snapshot counts them in the same fields.
 *
 * @author otel-export authors
 */
final class Accounting {

	private Accounting() {
	}

	/**
	 * Assert that an idle pipeline has accounted for every one of the spans created.
	 * @param snapshot a snapshot taken after a flush or a shutdown
	 * @param created the spans the test ended
	 */
	static void assertBalanced(ExportSnapshot snapshot, long created) {
		assertThat(snapshot.spansReceived()).as("spans received").isEqualTo(created);
		assertThat(snapshot.spansInFlight()).as("spans in flight").isZero();
		assertThat(snapshot.spansExported() + snapshot.spansDropped())
			.as(() -> "exported %s + dropped %s".formatted(snapshot.exporters(), snapshot.droppedByReason()))
			.isEqualTo(created);
	}

	/**
	 * Assert the identity term by term for one signal of a pipeline that has stopped:
	 * {@code received = exported(primary) + exported(fallback) + dropped(by reason) +
	 * buffered(memory) + buffered(disk) + inFlight}, where nothing is buffered or in
	 * flight any more and nothing was recovered from a disk.
	 * @param snapshot the signal's snapshot, taken after the shutdown
	 * @param handed the items the test handed to the pipeline
	 * @param items what they are, for the messages
	 */
	static void assertBalanced(ExportSnapshot snapshot, long handed, String items) {
		assertThat(snapshot.spansReceived()).as(items + " received").isEqualTo(handed);
		assertThat(snapshot.spansRecovered()).as(items + " recovered").isZero();
		assertThat(snapshot.queue().size()).as(items + " in the batch processor's queue").isZero();
		// the buffer is shared by the signals: empty, it holds none of either
		assertThat(snapshot.buffer().batches()).as("batches buffered in memory").isZero();
		assertThat(snapshot.buffer().spans()).as("items buffered in memory").isZero();
		assertThat(snapshot.disk().bytes()).as("bytes buffered on disk").isZero();
		assertThat(snapshot.spansInFlight()).as(items + " in flight").isZero();
		long primary = exported(snapshot, DestinationRole.PRIMARY);
		long fallback = exported(snapshot, DestinationRole.FALLBACK);
		assertThat(primary + fallback + snapshot.spansDropped())
			.as(() -> "%s: exported by the primary %d + by the fallback %d + dropped %s".formatted(items, primary,
					fallback, snapshot.droppedByReason()))
			.isEqualTo(handed);
	}

	/**
	 * Assert that a snapshot taken at any moment, also while the pipeline is busy, counts
	 * no item as exported or dropped that it does not count as received (or recovered):
	 * the in-flight count derived from them would hide it, as it is never negative. The
	 * statistics read the settled counts before the received ones, so a busy pipeline can
	 * only make the left side smaller.
	 * @param snapshot the snapshot
	 * @param items what it counts, for the message
	 */
	static void assertNeverOvercounted(ExportSnapshot snapshot, String items) {
		assertThat(snapshot.spansExported() + snapshot.spansDropped())
			.as(() -> "%s exported %s + dropped %s, of %d received".formatted(items, snapshot.exporters(),
					snapshot.droppedByReason(), snapshot.spansReceived()))
			.isLessThanOrEqualTo(snapshot.spansReceived() + snapshot.spansRecovered());
	}

	private static long exported(ExportSnapshot snapshot, DestinationRole role) {
		return snapshot.exporters()
			.stream()
			.filter((exporter) -> exporter.role() == role)
			.mapToLong(ExporterSnapshot::exportedSpans)
			.sum();
	}

}
