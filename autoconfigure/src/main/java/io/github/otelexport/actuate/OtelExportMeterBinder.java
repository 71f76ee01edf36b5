package io.github.otelexport.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import io.github.otelexport.stats.CircuitState;
import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.Durations;
import io.github.otelexport.stats.ExportErrorCategory;
import io.github.otelexport.stats.ExportFailure;
import io.github.otelexport.stats.ExportListener;
import io.github.otelexport.stats.ExportSnapshot;
import io.github.otelexport.stats.ExportSnapshot.BufferSnapshot;
import io.github.otelexport.stats.ExportSnapshot.ExporterSnapshot;
import io.github.otelexport.stats.ExportStatistics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer meters of span export, under {@code otel.export.*}.
 * <ul>
 * <li>{@code otel.export.spans} (counter; tags {@code exporter}, {@code outcome}):
 * {@code exported} spans per exporter, and spans in {@code failed} attempts (a span
 * retried three times counts three times).</li>
 * <li>{@code otel.export.spans.dropped} (counter; tag {@code reason}).</li>
 * <li>{@code otel.export.errors} (counter; tag {@code category}): failed attempts, and
 * partial successes with rejected spans.</li>
 * <li>{@code otel.export.retries} (counter): attempts that were retries.</li>
 * <li>{@code otel.export.spans.recovered} (counter): spans the disk buffer kept from
 * before the restart.</li>
 * <li>{@code otel.export.buffer.size}, {@code otel.export.buffer.capacity} (bytes),
 * {@code otel.export.buffer.spans}, {@code otel.export.buffer.oldest.age} (seconds) and
 * {@code otel.export.buffer.drain.rate} (spans a second): the buffer between batching and
 * sending (gauges); {@code otel.export.buffer.disk.size} and
 * {@code otel.export.buffer.disk.capacity} (bytes): the disk buffer (gauges).</li>
 * <li>{@code otel.export.queue.size} and {@code otel.export.queue.capacity}
 * (gauges).</li>
 * <li>{@code otel.export.circuit.state} (gauge): 0 closed, 1 half-open, 2 open.</li>
 * <li>{@code otel.export.consecutive.failures} (gauge).</li>
 * <li>{@code otel.export.duration} (timer; tags {@code exporter}, {@code outcome}): time
 * per attempt.</li>
 * </ul>
 * Counters and gauges read the statistics snapshot when the registry asks (they hold this
 * binder weakly, as Micrometer does, so it must stay referenced, as a bean is); the timer
 * and the failed-span counter are fed by an {@link ExportListener}. Tags are
 * low-cardinality and never carry endpoints or headers.
 *
 * @author otel-export authors
 */
public final class OtelExportMeterBinder implements MeterBinder {

	private static final String EXPORTED = "exported";

	private static final String FAILED = "failed";

	private final Supplier<ExportSnapshot> snapshots;

	private final Consumer<ExportListener> listeners;

	/**
	 * Create a binder for the given statistics.
	 * @param statistics the export statistics
	 */
	public OtelExportMeterBinder(ExportStatistics statistics) {
		this(statistics::snapshot, statistics::addListener);
	}

	/**
	 * Create a binder (visible for testing).
	 * @param snapshots supplies the current statistics snapshot
	 * @param listeners registers a listener for export attempts
	 */
	OtelExportMeterBinder(Supplier<ExportSnapshot> snapshots, Consumer<ExportListener> listeners) {
		this.snapshots = snapshots;
		this.listeners = listeners;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		List<DestinationRole> roles = this.snapshots.get().exporters().stream().map(ExporterSnapshot::role).toList();
		for (DestinationRole role : roles) {
			counter(registry, "otel.export.spans", "Spans by exporter and outcome",
					Tags.of("exporter", role.value(), "outcome", EXPORTED), (snapshot) -> exporter(snapshot, role));
			failedSpans(registry, role);
			timer(registry, role, EXPORTED);
			timer(registry, role, FAILED);
		}
		for (DropReason reason : DropReason.values()) {
			counter(registry, "otel.export.spans.dropped", "Spans dropped without being exported",
					Tags.of("reason", reason.tagValue()),
					(snapshot) -> snapshot.droppedByReason().getOrDefault(reason, 0L));
		}
		for (ExportErrorCategory category : ExportErrorCategory.values()) {
			counter(registry, "otel.export.errors", "Failed export attempts and partial successes by error category",
					Tags.of("category", category.name().toLowerCase(Locale.ROOT)),
					(snapshot) -> snapshot.errorsByCategory().getOrDefault(category, 0L));
		}
		counter(registry, "otel.export.retries", "Export attempts that were retries", Tags.empty(),
				ExportSnapshot::retries);
		counter(registry, "otel.export.spans.recovered",
				"Spans the disk buffer kept from before the restart, sent after it", Tags.empty(),
				ExportSnapshot::spansRecovered);
		gauge(registry, "otel.export.queue.size", "Spans waiting in the batch processor's queue",
				(snapshot) -> snapshot.queue().size());
		gauge(registry, "otel.export.queue.capacity", "Capacity of the batch processor's queue",
				(snapshot) -> snapshot.queue().capacity());
		gauge(registry, "otel.export.buffer.size", "Request bytes waiting in the buffer between batching and sending",
				(snapshot) -> snapshot.buffer().bytes());
		gauge(registry, "otel.export.buffer.capacity", "Capacity of the buffer in bytes, 0 without a buffer",
				(snapshot) -> snapshot.buffer().maxBytes());
		gauge(registry, "otel.export.buffer.spans", "Spans waiting in the buffer between batching and sending",
				(snapshot) -> snapshot.buffer().spans());
		gauge(registry, "otel.export.buffer.disk.size", "Bytes of the disk buffer's files, 0 without a disk buffer",
				(snapshot) -> snapshot.disk().bytes());
		gauge(registry, "otel.export.buffer.disk.capacity", "Capacity of the disk buffer in bytes, 0 without one",
				(snapshot) -> snapshot.disk().maxBytes());
		gauge(registry, "otel.export.buffer.oldest.age",
				"How long the oldest batch in the buffer has waited, 0 when it is empty", "seconds",
				(snapshot) -> snapshot.buffer().oldestAge().toNanos() / 1e9);
		gauge(registry, "otel.export.buffer.drain.rate",
				"Spans a second exported from the buffer over the last "
						+ Durations.format(BufferSnapshot.DRAIN_RATE_WINDOW),
				(snapshot) -> snapshot.buffer().drainRate());
		gauge(registry, "otel.export.circuit.state", "Failover circuit: 0 closed, 1 half-open, 2 open",
				(snapshot) -> circuitValue(snapshot.circuitState()));
		gauge(registry, "otel.export.consecutive.failures", "Batches that failed in a row on the primary",
				ExportSnapshot::consecutiveFailures);
		this.listeners.accept(new MeteringListener(registry));
	}

	private void counter(MeterRegistry registry, String name, String description, Tags tags,
			ToDoubleFunction<ExportSnapshot> value) {
		FunctionCounter.builder(name, this, (binder) -> value.applyAsDouble(binder.snapshots.get()))
			.description(description)
			.tags(tags)
			.register(registry);
	}

	private void gauge(MeterRegistry registry, String name, String description,
			ToDoubleFunction<ExportSnapshot> value) {
		gauge(registry, name, description, null, value);
	}

	private void gauge(MeterRegistry registry, String name, String description, String baseUnit,
			ToDoubleFunction<ExportSnapshot> value) {
		Gauge.builder(name, this, (binder) -> value.applyAsDouble(binder.snapshots.get()))
			.description(description)
			.baseUnit(baseUnit)
			.register(registry);
	}

	private static Counter failedSpans(MeterRegistry registry, DestinationRole role) {
		return Counter.builder("otel.export.spans")
			.description("Spans by exporter and outcome")
			.tags("exporter", role.value(), "outcome", FAILED)
			.register(registry);
	}

	private static Timer timer(MeterRegistry registry, DestinationRole role, String outcome) {
		return Timer.builder("otel.export.duration")
			.description("Time taken by one export attempt")
			.tags("exporter", role.value(), "outcome", outcome)
			.register(registry);
	}

	private static double exporter(ExportSnapshot snapshot, DestinationRole role) {
		return snapshot.exporters()
			.stream()
			.filter((exporter) -> exporter.role() == role)
			.mapToLong(ExporterSnapshot::exportedSpans)
			.sum();
	}

	static int circuitValue(CircuitState state) {
		return switch (state) {
			case CLOSED -> 0;
			case HALF_OPEN -> 1;
			case OPEN -> 2;
		};
	}

	/**
	 * Records each attempt's duration and the spans of failed attempts.
	 */
	private static final class MeteringListener implements ExportListener {

		private final MeterRegistry registry;

		MeteringListener(MeterRegistry registry) {
			this.registry = registry;
		}

		@Override
		public void onAttempt(DestinationRole exporter, int spans, Duration duration, ExportFailure failureOrNull) {
			String outcome = (failureOrNull != null) ? FAILED : EXPORTED;
			timer(this.registry, exporter, outcome).record(duration);
			if (failureOrNull != null) {
				failedSpans(this.registry, exporter).increment(spans);
			}
		}

	}

}
