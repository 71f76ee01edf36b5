package io.github.otelexport.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.github.otelexport.export.transport.Signal;
import io.github.otelexport.stats.CircuitState;
import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportErrorCategory;
import io.github.otelexport.stats.ExportFailure;
import io.github.otelexport.stats.ExportListener;
import io.github.otelexport.stats.ExportSnapshot;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OtelExportMeterBinder}.
 *
 * @author otel-export authors
 */
class OtelExportMeterBinderTests {

	private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

	private final MeterRegistry registry = new SimpleMeterRegistry();

	private final List<ExportListener> listeners = new ArrayList<>();

	private ExportSnapshot snapshot = SnapshotBuilder.withFallback().build();

	@Test
	void registersEveryMeterWithLowCardinalityTags() {
		bind();
		assertThat(this.registry.getMeters()).extracting((meter) -> meter.getId().getName())
			.containsOnly("otel.export.spans", "otel.export.spans.dropped", "otel.export.errors", "otel.export.retries",
					"otel.export.queue.size", "otel.export.queue.capacity", "otel.export.buffer.size",
					"otel.export.buffer.capacity", "otel.export.buffer.spans", "otel.export.buffer.oldest.age",
					"otel.export.buffer.drain.rate", "otel.export.buffer.disk.size", "otel.export.buffer.disk.capacity",
					"otel.export.spans.recovered", "otel.export.circuit.state", "otel.export.consecutive.failures",
					"otel.export.duration");
		assertThat(this.registry.find("otel.export.spans").meters()).extracting(this::tags)
			.containsExactlyInAnyOrder("exporter=primary,outcome=exported,signal=traces",
					"exporter=primary,outcome=failed,signal=traces", "exporter=fallback,outcome=exported,signal=traces",
					"exporter=fallback,outcome=failed,signal=traces");
		assertThat(this.registry.find("otel.export.errors").meters()).extracting(this::tags)
			.contains("category=connection_refused,signal=traces", "category=unauthenticated,signal=traces",
					"category=tls,signal=traces")
			.hasSize(ExportErrorCategory.values().length);
		assertThat(this.registry.find("otel.export.spans.dropped").meters()).extracting(this::tags)
			.contains("reason=queue_full,signal=traces", "reason=retries_exhausted,signal=traces")
			.hasSize(DropReason.values().length);
		assertThat(this.registry.find("otel.export.duration").meters()).extracting(this::tags)
			.containsExactlyInAnyOrder("exporter=primary,outcome=exported,signal=traces",
					"exporter=primary,outcome=failed,signal=traces", "exporter=fallback,outcome=exported,signal=traces",
					"exporter=fallback,outcome=failed,signal=traces");
	}

	@Test
	void countersAndGaugesFollowTheSnapshot() {
		bind();
		this.snapshot = SnapshotBuilder.withFallback()
			.success(DestinationRole.PRIMARY, T0, 10)
			.failure(DestinationRole.PRIMARY, T0.plusSeconds(1), ExportErrorCategory.CONNECTION_REFUSED, "refused")
			.retry()
			.failure(DestinationRole.PRIMARY, T0.plusSeconds(2), ExportErrorCategory.CONNECTION_REFUSED, "refused")
			.success(DestinationRole.FALLBACK, T0.plusSeconds(3), 7)
			.dropped(DropReason.QUEUE_FULL, 5)
			.queue(42, 2048)
			.circuit(CircuitState.OPEN)
			.buffer(4096, 65536, 3, 120, Duration.ofMillis(2500), 48.5)
			.build();
		assertThat(this.registry.get("otel.export.spans")
			.tags("exporter", "primary", "outcome", "exported")
			.functionCounter()
			.count()).isEqualTo(10);
		assertThat(this.registry.get("otel.export.spans")
			.tags("exporter", "fallback", "outcome", "exported")
			.functionCounter()
			.count()).isEqualTo(7);
		assertThat(
				this.registry.get("otel.export.errors").tag("category", "connection_refused").functionCounter().count())
			.isEqualTo(2);
		assertThat(this.registry.get("otel.export.errors").tag("category", "tls").functionCounter().count()).isZero();
		assertThat(this.registry.get("otel.export.retries").functionCounter().count()).isOne();
		assertThat(this.registry.get("otel.export.spans.dropped").tag("reason", "queue_full").functionCounter().count())
			.isEqualTo(5);
		assertThat(this.registry.get("otel.export.queue.size").gauge().value()).isEqualTo(42);
		assertThat(this.registry.get("otel.export.queue.capacity").gauge().value()).isEqualTo(2048);
		assertThat(this.registry.get("otel.export.buffer.size").gauge().value()).isEqualTo(4096);
		assertThat(this.registry.get("otel.export.buffer.capacity").gauge().value()).isEqualTo(65536);
		assertThat(this.registry.get("otel.export.buffer.spans").gauge().value()).isEqualTo(120);
		assertThat(this.registry.get("otel.export.buffer.oldest.age").gauge().value()).isEqualTo(2.5);
		assertThat(this.registry.get("otel.export.buffer.oldest.age").gauge().getId().getBaseUnit())
			.isEqualTo("seconds");
		assertThat(this.registry.get("otel.export.buffer.drain.rate").gauge().value()).isEqualTo(48.5);
		assertThat(this.registry.get("otel.export.circuit.state").gauge().value()).isEqualTo(2);
		assertThat(this.registry.get("otel.export.consecutive.failures").gauge().value()).isEqualTo(2);
	}

	@Test
	void attemptsFeedTheTimerAndTheFailedSpanCounter() {
		bind();
		ExportListener listener = this.listeners.get(0);
		listener.onAttempt(DestinationRole.PRIMARY, 10, Duration.ofMillis(30), null);
		listener.onAttempt(DestinationRole.PRIMARY, 10, Duration.ofMillis(200), new ExportFailure(
				ExportErrorCategory.CONNECTION_REFUSED, true, "Connection refused", "java.net.ConnectException", null));
		listener.onAttempt(DestinationRole.FALLBACK, 10, Duration.ofMillis(50), null);
		assertThat(this.registry.get("otel.export.duration")
			.tags("exporter", "primary", "outcome", "exported")
			.timer()
			.count()).isOne();
		assertThat(this.registry.get("otel.export.duration")
			.tags("exporter", "primary", "outcome", "failed")
			.timer()
			.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(200);
		assertThat(this.registry.get("otel.export.spans")
			.tags("exporter", "primary", "outcome", "failed")
			.counter()
			.count()).isEqualTo(10);
		assertThat(this.registry.get("otel.export.duration")
			.tags("exporter", "fallback", "outcome", "exported")
			.timer()
			.count()).isOne();
	}

	@Test
	void aSpanCountsAsFailedOncePerFailedAttempt() {
		bind();
		ExportListener listener = this.listeners.get(0);
		ExportFailure refused = new ExportFailure(ExportErrorCategory.CONNECTION_REFUSED, true, "Connection refused",
				"java.net.ConnectException", null);
		// One batch of 10 spans: two failed attempts, then the retry that succeeds
		listener.onAttempt(DestinationRole.PRIMARY, 10, Duration.ofMillis(10), refused);
		listener.onAttempt(DestinationRole.PRIMARY, 10, Duration.ofMillis(10), refused);
		listener.onAttempt(DestinationRole.PRIMARY, 10, Duration.ofMillis(10), null);
		assertThat(this.registry.get("otel.export.spans")
			.tags("exporter", "primary", "outcome", "failed")
			.counter()
			.count()).isEqualTo(20);
	}

	@Test
	void primaryOnlyRegistersNoFallbackMeters() {
		this.snapshot = SnapshotBuilder.primaryOnly().build();
		bind();
		assertThat(this.registry.find("otel.export.spans").tag("exporter", "fallback").meters()).isEmpty();
	}

	@Test
	void logRecordsHaveTheirOwnSignalTagAndCircuitAndSharedMetersNone() {
		List<ExportListener> logListeners = new ArrayList<>();
		ExportSnapshot logs = SnapshotBuilder.withFallback()
			.success(DestinationRole.PRIMARY, T0, 30)
			.dropped(DropReason.BUFFER_FULL, 4)
			.queue(9, 512)
			.build();
		this.snapshot = SnapshotBuilder.withFallback()
			.success(DestinationRole.PRIMARY, T0, 10)
			.circuit(CircuitState.OPEN)
			.buffer(4096, 65536, 3, 120, Duration.ofMillis(2500), 48.5)
			.build();
		bothSignals(logListeners, () -> logs).bindTo(this.registry);
		assertThat(this.registry.get("otel.export.spans")
			.tags("signal", "logs", "exporter", "primary", "outcome", "exported")
			.functionCounter()
			.count()).isEqualTo(30);
		assertThat(this.registry.get("otel.export.spans")
			.tags("signal", "traces", "exporter", "primary", "outcome", "exported")
			.functionCounter()
			.count()).isEqualTo(10);
		assertThat(this.registry.get("otel.export.spans.dropped")
			.tags("signal", "logs", "reason", "buffer_full")
			.functionCounter()
			.count()).isEqualTo(4);
		assertThat(this.registry.get("otel.export.queue.size").tag("signal", "logs").gauge().value()).isEqualTo(9);
		assertThat(this.registry.get("otel.export.queue.capacity").tag("signal", "logs").gauge().value())
			.isEqualTo(512);
		for (String shared : List.of("otel.export.buffer.size", "otel.export.buffer.capacity",
				"otel.export.buffer.spans", "otel.export.buffer.oldest.age", "otel.export.buffer.disk.size",
				"otel.export.buffer.disk.capacity")) {
			assertThat(this.registry.find(shared).meters()).as(shared).singleElement().satisfies((meter) -> {
				assertThat(meter.getId().getTag("signal")).isNull();
			});
		}
		// each signal fails over on its own: the spans' circuit is open, the log records'
		// closed
		assertThat(this.registry.get("otel.export.circuit.state").tag("signal", "traces").gauge().value()).isEqualTo(2);
		assertThat(this.registry.get("otel.export.circuit.state").tag("signal", "logs").gauge().value()).isZero();
		logListeners.get(0)
			.onAttempt(DestinationRole.PRIMARY, 25, Duration.ofMillis(40),
					new ExportFailure(ExportErrorCategory.CONNECTION_REFUSED, true, "Connection refused",
							"java.net.ConnectException", null));
		assertThat(this.registry.get("otel.export.spans")
			.tags("signal", "logs", "exporter", "primary", "outcome", "failed")
			.counter()
			.count()).isEqualTo(25);
		assertThat(this.registry.get("otel.export.spans")
			.tags("signal", "traces", "exporter", "primary", "outcome", "failed")
			.counter()
			.count()).isZero();
		assertThat(this.registry.get("otel.export.duration")
			.tags("signal", "logs", "exporter", "primary", "outcome", "failed")
			.timer()
			.count()).isOne();
	}

	@Test
	void everyMeterOfANameHasTheSameTagKeysSoPrometheusTakesBothSignals() {
		PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		ExportSnapshot logs = SnapshotBuilder.primaryOnly().success(DestinationRole.PRIMARY, T0, 30).build();
		this.snapshot = SnapshotBuilder.primaryOnly().success(DestinationRole.PRIMARY, T0, 10).build();
		bothSignals(new ArrayList<>(), () -> logs).bindTo(prometheus);
		String scrape = prometheus.scrape();
		assertThat(scrape)
			.contains("otel_export_spans_total{exporter=\"primary\",outcome=\"exported\",signal=\"traces\"} 10.0")
			.contains("otel_export_spans_total{exporter=\"primary\",outcome=\"exported\",signal=\"logs\"} 30.0")
			.contains("otel_export_queue_size{signal=\"logs\"}")
			.contains("otel_export_circuit_state{signal=\"traces\"} 0.0")
			.contains("otel_export_circuit_state{signal=\"logs\"} 0.0");
	}

	private OtelExportMeterBinder bothSignals(List<ExportListener> logListeners, Supplier<ExportSnapshot> logs) {
		return new OtelExportMeterBinder(
				List.of(new OtelExportMeterBinder.Source(Signal.TRACES, () -> this.snapshot, this.listeners::add),
						new OtelExportMeterBinder.Source(Signal.LOGS, logs, logListeners::add)));
	}

	private final OtelExportMeterBinder binder = new OtelExportMeterBinder(() -> this.snapshot, this.listeners::add);

	private void bind() {
		this.binder.bindTo(this.registry);
	}

	private String tags(Meter meter) {
		return String.join(",",
				meter.getId().getTags().stream().map((tag) -> tag.getKey() + "=" + tag.getValue()).toList());
	}

}
