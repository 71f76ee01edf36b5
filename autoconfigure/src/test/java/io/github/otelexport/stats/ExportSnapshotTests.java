package io.github.otelexport.stats;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

import io.github.otelexport.export.TestTime;
import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.export.transport.Signal;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests that an {@link ExportSnapshot} cannot change once taken, and what its buffer part
 * derives.
 *
 * @author otel-export authors
 */
class ExportSnapshotTests {

	/**
	 * These tests add no listener, so none can fail.
	 */
	private static final BiConsumer<String, RuntimeException> NO_LISTENER_FAILS = (message, ex) -> {
		throw new AssertionError(message, ex);
	};

	private final TestTime time = new TestTime();

	@Test
	void snapshotDoesNotFollowTheStatisticsTakenFrom() {
		ExportStatistics statistics = new ExportStatistics(Signal.TRACES,
				List.of(ExporterDescription.primary("http://localhost:4317", OtlpProtocol.GRPC)), 5, this.time,
				this.time, NO_LISTENER_FAILS);
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
	void theBufferDrainsAtTheRateSpansWereRecentlyExported() {
		ExportStatistics statistics = new ExportStatistics(Signal.TRACES,
				List.of(ExporterDescription.primary("http://localhost:4317", OtlpProtocol.GRPC),
						ExporterDescription.fallback("http://localhost:4318/v1/traces", OtlpProtocol.HTTP_PROTOBUF)),
				5, this.time, this.time, NO_LISTENER_FAILS);
		AtomicReference<ExportSnapshot.BufferSnapshot> waiting = new AtomicReference<>(
				new ExportSnapshot.BufferSnapshot(8000, 64000, 4, 2000, Duration.ofSeconds(12), 0));
		statistics.bindBuffer(waiting::get);
		ExportSnapshot.BufferSnapshot stalled = statistics.snapshot().buffer();
		assertThat(stalled.drainRate()).isZero();
		assertThat(stalled.timeToDrain()).as("nothing exported: no estimate").isNull();
		assertThat(stalled.oldestAge()).isEqualTo(Duration.ofSeconds(12));
		statistics.recordAttempt(DestinationRole.PRIMARY, 1, 300, Duration.ZERO, null);
		statistics.recordAttempt(DestinationRole.FALLBACK, 2, 100, Duration.ZERO, null);
		// a failed attempt takes nothing out of the buffer
		statistics.recordAttempt(DestinationRole.PRIMARY, 1, 512, Duration.ZERO,
				new ExportFailure(ExportErrorCategory.UNAVAILABLE, true, "down", null, null));
		// accepted spans leave it, rejected ones are dropped
		statistics.recordPartialSuccess(DestinationRole.PRIMARY, 1, 99, 1, Duration.ZERO,
				new ExportFailure(ExportErrorCategory.REJECTED, false, "no", null, null));
		this.time.advance(Duration.ofSeconds(2));
		ExportSnapshot.BufferSnapshot draining = statistics.snapshot().buffer();
		assertThat(draining.drainRate()).isEqualTo(499 / 2.0);
		// 2000 spans at 249.5 a second
		assertThat(draining.timeToDrain()).isEqualTo(Duration.ofMillis(8017));
		waiting.set(new ExportSnapshot.BufferSnapshot(0, 64000, 0, 0, Duration.ZERO, 0));
		assertThat(statistics.snapshot().buffer().timeToDrain()).as("empty").isZero();
		this.time.advance(Duration.ofSeconds(30));
		assertThat(statistics.snapshot().buffer().drainRate()).as("nothing exported lately").isZero();
	}

	@Test
	void aSharedBufferDrainsAtTheRateOfEverySignalThatUsesIt() {
		List<ExporterDescription> primary = List
			.of(ExporterDescription.primary("http://localhost:4317", OtlpProtocol.GRPC));
		ExportRecorder traces = new ExportRecorder(Signal.TRACES, primary, 5, this.time, this.time, NO_LISTENER_FAILS);
		ExportRecorder logs = new ExportRecorder(Signal.LOGS, primary, 5, this.time, this.time, NO_LISTENER_FAILS);
		// 3000 items of both signals wait
		ExportRecorder.shareBuffer(
				() -> new ExportSnapshot.BufferSnapshot(8000, 64000, 4, 3000, Duration.ofSeconds(12), 0),
				List.of(traces, logs));
		traces.recordAttempt(DestinationRole.PRIMARY, 1, 100, Duration.ZERO, null);
		logs.recordAttempt(DestinationRole.PRIMARY, 1, 500, Duration.ZERO, null);
		this.time.advance(Duration.ofSeconds(2));
		ExportSnapshot.BufferSnapshot ofSpans = traces.statistics().snapshot().buffer();
		ExportSnapshot.BufferSnapshot ofLogRecords = logs.statistics().snapshot().buffer();
		assertThat(ofSpans.drainRate()).as("the spans' own").isEqualTo(50);
		assertThat(ofLogRecords.drainRate()).as("the log records' own").isEqualTo(250);
		assertThat(ofSpans.totalDrainRate()).isEqualTo(300);
		assertThat(ofLogRecords.totalDrainRate()).isEqualTo(300);
		// 3000 items at 300 a second, whichever signal is asked; not 3000 at 50 (60s)
		assertThat(ofSpans.timeToDrain()).isEqualTo(Duration.ofSeconds(10));
		assertThat(ofLogRecords.timeToDrain()).isEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void withoutABufferThereIsNoDrainRate() {
		ExportStatistics statistics = new ExportStatistics(Signal.TRACES,
				List.of(ExporterDescription.primary("http://localhost:4317", OtlpProtocol.GRPC)), 5, this.time,
				this.time, NO_LISTENER_FAILS);
		statistics.recordAttempt(DestinationRole.PRIMARY, 1, 300, Duration.ZERO, null);
		assertThat(statistics.snapshot().buffer()).isEqualTo(ExportSnapshot.BufferSnapshot.NONE);
	}

	@Test
	void timeToDrainIsTheWaitingSpansAtTheDrainRate() {
		assertThat(new ExportSnapshot.BufferSnapshot(1, 10, 1, 1500, Duration.ofSeconds(3), 500).timeToDrain())
			.isEqualTo(Duration.ofSeconds(3));
		assertThat(new ExportSnapshot.BufferSnapshot(1, 10, 1, 1, Duration.ZERO, 3).timeToDrain())
			.as("rounded up to the millisecond")
			.isEqualTo(Duration.ofMillis(334));
		assertThat(new ExportSnapshot.BufferSnapshot(1, 10, 1, 10, null, 0).oldestAge()).isZero();
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
		ExportStatistics statistics = new ExportStatistics(Signal.TRACES,
				List.of(ExporterDescription.primary("http://localhost:4317", OtlpProtocol.GRPC)), 5, this.time,
				this.time, NO_LISTENER_FAILS);
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

	@Test
	void whoeverIsHandedTheStatisticsCanOnlyReadThem() {
		// the statistics are a bean and the exporter hands them out: only the recorder
		// that created them writes
		assertThat(ExportStatistics.class.getConstructors()).isEmpty();
		assertThat(Arrays.stream(ExportStatistics.class.getMethods()).map(Method::getName))
			.noneMatch((name) -> name.startsWith("record") || name.startsWith("bind"));
	}

}
