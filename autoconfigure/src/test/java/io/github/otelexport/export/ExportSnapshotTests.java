package io.github.otelexport.export;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests that an {@link ExportSnapshot} cannot change once taken.
 *
 * @author otel-export authors
 */
class ExportSnapshotTests {

	private final TestTime time = new TestTime();

	@Test
	void snapshotDoesNotFollowTheStatisticsTakenFrom() {
		ExportStatistics statistics = new ExportStatistics(
				List.of(ExporterDescription.primary("http://localhost:4317", OtlpProtocol.GRPC)), 5, this.time,
				this.time);
		statistics.recordReceived(3);
		statistics.recordDropped(DropReason.RETRIES_EXHAUSTED, 3);
		statistics.recordAttempt(DestinationRole.PRIMARY, 1, 3, Duration.ZERO,
				new ExportFailure(ExportErrorCategory.UNAVAILABLE, true, "down", null, null));
		ExportSnapshot snapshot = statistics.snapshot();
		statistics.recordReceived(2);
		statistics.recordDropped(DropReason.PERMANENT_ERROR, 2);
		statistics.recordAttempt(DestinationRole.PRIMARY, 1, 2, Duration.ZERO,
				new ExportFailure(ExportErrorCategory.REJECTED, false, "no", null, null));
		assertThat(snapshot.droppedByReason()).containsExactly(Map.entry(DropReason.RETRIES_EXHAUSTED, 3L));
		assertThat(snapshot.errorsByCategory()).containsExactly(Map.entry(ExportErrorCategory.UNAVAILABLE, 1L));
		assertThat(snapshot.recentErrors()).hasSize(1);
		assertThat(snapshot.spansReceived()).isEqualTo(3);
	}

	@Test
	void snapshotCopiesWhatItIsBuiltFrom() {
		Map<DropReason, Long> dropped = new EnumMap<>(DropReason.class);
		dropped.put(DropReason.SHUTDOWN, 1L);
		Map<ExportErrorCategory, Long> errors = new EnumMap<>(ExportErrorCategory.class);
		errors.put(ExportErrorCategory.TLS, 1L);
		List<ExportSnapshot.ExporterSnapshot> exporters = new ArrayList<>();
		ExportSnapshot snapshot = new ExportSnapshot(1, 0, exporters, CircuitState.CLOSED, 0, 0, errors, dropped, null,
				null, null, null, new ExportSnapshot.QueueSnapshot(0, 0), ExportSnapshot.BufferSnapshot.NONE,
				new ArrayList<>(), 0, 0, null);
		dropped.put(DropReason.QUEUE_FULL, 5L);
		errors.clear();
		exporters.add(new ExportSnapshot.ExporterSnapshot(DestinationRole.PRIMARY, "x", OtlpProtocol.GRPC, 5, 1, 0,
				null, null));
		assertThat(snapshot.droppedByReason()).containsExactly(Map.entry(DropReason.SHUTDOWN, 1L));
		assertThat(snapshot.errorsByCategory()).containsExactly(Map.entry(ExportErrorCategory.TLS, 1L));
		assertThat(snapshot.exporters()).isEmpty();
	}

	@Test
	void snapshotsCollectionsCannotBeChanged() {
		ExportStatistics statistics = new ExportStatistics(
				List.of(ExporterDescription.primary("http://localhost:4317", OtlpProtocol.GRPC)), 5, this.time,
				this.time);
		statistics.recordDropped(DropReason.SHUTDOWN, 1);
		ExportSnapshot snapshot = statistics.snapshot();
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> snapshot.droppedByReason().put(DropReason.QUEUE_FULL, 1L));
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> snapshot.errorsByCategory().put(ExportErrorCategory.TLS, 1L));
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> snapshot.exporters().clear());
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> snapshot.recentErrors().clear());
		assertThat(statistics.snapshot().droppedByReason()).containsExactly(Map.entry(DropReason.SHUTDOWN, 1L));
	}

	@Test
	void mapsKeepTheEnumsOrder() {
		Map<DropReason, Long> dropped = new HashMap<>();
		for (DropReason reason : DropReason.values()) {
			dropped.put(reason, 1L);
		}
		ExportSnapshot snapshot = new ExportSnapshot(0, 0, List.of(), CircuitState.CLOSED, 0, 0, Map.of(), dropped,
				null, null, null, null, new ExportSnapshot.QueueSnapshot(0, 0), ExportSnapshot.BufferSnapshot.NONE,
				List.of(), 0, 0, null);
		assertThat(snapshot.droppedByReason().keySet()).containsExactly(DropReason.values());
	}

}
