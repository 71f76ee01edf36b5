package io.github.otelexport.reliability;

import io.github.otelexport.stats.ExportSnapshot;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Assertions on the accounting identity of design invariant 3: every span handed to the
 * pipeline is exported by one exporter or dropped with one reason, exactly once.
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

}
