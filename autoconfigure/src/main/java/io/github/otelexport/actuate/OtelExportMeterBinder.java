package io.github.otelexport.actuate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import io.github.otelexport.export.transport.Signal;
import io.github.otelexport.stats.CircuitState;
import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.Durations;
import io.github.otelexport.stats.ExportErrorCategory;
import io.github.otelexport.stats.ExportFailure;
import io.github.otelexport.stats.ExportListener;
import io.github.otelexport.stats.ExportSnapshot.BufferSnapshot;
import io.github.otelexport.stats.ExportSnapshot.ExporterSnapshot;
import io.github.otelexport.stats.ExportSnapshot;
import io.github.otelexport.stats.ExportStatistics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer meters of span (and log record) export, under {@code otel.export.*}. The
 * meters of one signal's pipeline carry the tag {@code signal} ({@code traces},
 * {@code logs}), traces included, so every meter of a name has the same tag keys (as
 * Prometheus requires): the counters, the timer, the batch processor's queue, the drain
 * rate, the failover circuit (one per signal: a backend may refuse one signal only) and
 * the consecutive failures. The buffer (its bytes, its items of both signals, its oldest
 * batch) and the disk buffer are shared by both signals and carry no {@code signal} tag.
 * The names predate log records: {@code otel.export.spans} with {@code signal=logs}
 * counts log records.
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

	private static final String SIGNAL = "signal";

	private final List<Source> sources;

	/**
	 * Create a binder for the statistics of span export.
	 * @param statistics the export statistics of spans
	 */
	public OtelExportMeterBinder(ExportStatistics statistics) {
		this(statistics, null);
	}

	/**
	 * Create a binder for the statistics of span export and, when log records are
	 * exported through the same engine, of log record export.
	 * @param traces the export statistics of spans
	 * @param logsOrNull the export statistics of log records, or {@code null} when log
	 * export is off
	 */
	public OtelExportMeterBinder(ExportStatistics traces, ExportStatistics logsOrNull) {
		this(sources(traces, logsOrNull));
	}

	/**
	 * Create a binder (visible for testing).
	 * @param snapshots supplies the current statistics snapshot of spans
	 * @param listeners registers a listener for export attempts of spans
	 */
	OtelExportMeterBinder(Supplier<ExportSnapshot> snapshots, Consumer<ExportListener> listeners) {
		this(List.of(new Source(Signal.TRACES, snapshots, listeners)));
	}

	/**
	 * Create a binder (visible for testing).
	 * @param sources each exported signal's statistics, traces first
	 */
	OtelExportMeterBinder(List<Source> sources) {
		this.sources = List.copyOf(sources);
	}

	private static List<Source> sources(ExportStatistics traces, ExportStatistics logsOrNull) {
		List<Source> sources = new ArrayList<>(2);
		sources.add(new Source(Signal.TRACES, traces::snapshot, traces::addListener));
		if (logsOrNull != null) {
			sources.add(new Source(Signal.LOGS, logsOrNull::snapshot, logsOrNull::addListener));
		}
		return sources;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (Source source : this.sources) {
			bindSignal(registry, source);
		}
		Supplier<ExportSnapshot> shared = this.sources.get(0).snapshots();
		gauge(registry, "otel.export.buffer.size", "Request bytes waiting in the buffer between batching and sending",
				Tags.empty(), shared, (snapshot) -> snapshot.buffer().bytes());
		gauge(registry, "otel.export.buffer.capacity", "Capacity of the buffer in bytes, 0 without a buffer",
				Tags.empty(), shared, (snapshot) -> snapshot.buffer().maxBytes());
		gauge(registry, "otel.export.buffer.spans",
				"Spans and log records waiting in the buffer between batching and sending", Tags.empty(), shared,
				(snapshot) -> snapshot.buffer().spans());
		gauge(registry, "otel.export.buffer.disk.size", "Bytes of the disk buffer's files, 0 without a disk buffer",
				Tags.empty(), shared, (snapshot) -> snapshot.disk().bytes());
		gauge(registry, "otel.export.buffer.disk.capacity", "Capacity of the disk buffer in bytes, 0 without one",
				Tags.empty(), shared, (snapshot) -> snapshot.disk().maxBytes());
		gauge(registry, "otel.export.buffer.oldest.age",
				"How long the oldest batch in the buffer has waited, 0 when it is empty", "seconds", Tags.empty(),
				shared, (snapshot) -> snapshot.buffer().oldestAge().toNanos() / 1e9);
	}

	private void bindSignal(MeterRegistry registry, Source source) {
		Tags signal = Tags.of(SIGNAL, source.tagValue());
		Supplier<ExportSnapshot> snapshots = source.snapshots();
		List<DestinationRole> roles = snapshots.get().exporters().stream().map(ExporterSnapshot::role).toList();
		for (DestinationRole role : roles) {
			counter(registry, "otel.export.spans", "Spans by exporter and outcome",
					signal.and("exporter", role.value(), "outcome", EXPORTED), snapshots,
					(snapshot) -> exporter(snapshot, role));
			failedSpans(registry, signal, role);
			timer(registry, signal, role, EXPORTED);
			timer(registry, signal, role, FAILED);
		}
		for (DropReason reason : DropReason.values()) {
			counter(registry, "otel.export.spans.dropped", "Spans dropped without being exported",
					signal.and("reason", reason.tagValue()), snapshots,
					(snapshot) -> snapshot.droppedByReason().getOrDefault(reason, 0L));
		}
		for (ExportErrorCategory category : ExportErrorCategory.values()) {
			counter(registry, "otel.export.errors", "Failed export attempts and partial successes by error category",
					signal.and("category", category.name().toLowerCase(Locale.ROOT)), snapshots,
					(snapshot) -> snapshot.errorsByCategory().getOrDefault(category, 0L));
		}
		counter(registry, "otel.export.retries", "Export attempts that were retries", signal, snapshots,
				ExportSnapshot::retries);
		counter(registry, "otel.export.spans.recovered",
				"Spans the disk buffer kept from before the restart, sent after it", signal, snapshots,
				ExportSnapshot::spansRecovered);
		gauge(registry, "otel.export.queue.size", "Spans waiting in the batch processor's queue", signal, snapshots,
				(snapshot) -> snapshot.queue().size());
		gauge(registry, "otel.export.queue.capacity", "Capacity of the batch processor's queue", signal, snapshots,
				(snapshot) -> snapshot.queue().capacity());
		gauge(registry, "otel.export.buffer.drain.rate",
				"Spans a second exported from the buffer over the last "
						+ Durations.format(BufferSnapshot.DRAIN_RATE_WINDOW),
				signal, snapshots, (snapshot) -> snapshot.buffer().drainRate());
		gauge(registry, "otel.export.circuit.state", "Failover circuit: 0 closed, 1 half-open, 2 open", signal,
				snapshots, (snapshot) -> circuitValue(snapshot.circuitState()));
		gauge(registry, "otel.export.consecutive.failures", "Batches that failed in a row on the primary", signal,
				snapshots, ExportSnapshot::consecutiveFailures);
		source.listeners().accept(new MeteringListener(registry, signal));
	}

	private void counter(MeterRegistry registry, String name, String description, Tags tags,
			Supplier<ExportSnapshot> snapshots, ToDoubleFunction<ExportSnapshot> value) {
		FunctionCounter.builder(name, this, (binder) -> value.applyAsDouble(snapshots.get()))
			.description(description)
			.tags(tags)
			.register(registry);
	}

	private void gauge(MeterRegistry registry, String name, String description, Tags tags,
			Supplier<ExportSnapshot> snapshots, ToDoubleFunction<ExportSnapshot> value) {
		gauge(registry, name, description, null, tags, snapshots, value);
	}

	private void gauge(MeterRegistry registry, String name, String description, String baseUnit, Tags tags,
			Supplier<ExportSnapshot> snapshots, ToDoubleFunction<ExportSnapshot> value) {
		Gauge.builder(name, this, (binder) -> value.applyAsDouble(snapshots.get()))
			.description(description)
			.baseUnit(baseUnit)
			.tags(tags)
			.register(registry);
	}

	private static Counter failedSpans(MeterRegistry registry, Tags signal, DestinationRole role) {
		return Counter.builder("otel.export.spans")
			.description("Spans by exporter and outcome")
			.tags(signal.and("exporter", role.value(), "outcome", FAILED))
			.register(registry);
	}

	private static Timer timer(MeterRegistry registry, Tags signal, DestinationRole role, String outcome) {
		return Timer.builder("otel.export.duration")
			.description("Time taken by one export attempt")
			.tags(signal.and("exporter", role.value(), "outcome", outcome))
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

		private final Tags signal;

		MeteringListener(MeterRegistry registry, Tags signal) {
			this.registry = registry;
			this.signal = signal;
		}

		@Override
		public void onAttempt(DestinationRole exporter, int spans, Duration duration, ExportFailure failureOrNull) {
			String outcome = (failureOrNull != null) ? FAILED : EXPORTED;
			timer(this.registry, this.signal, exporter, outcome).record(duration);
			if (failureOrNull != null) {
				failedSpans(this.registry, this.signal, exporter).increment(spans);
			}
		}

	}

	/**
	 * One exported signal's statistics (visible for testing).
	 *
	 * @param signal the signal
	 * @param snapshots supplies its current statistics snapshot
	 * @param listeners registers a listener for its export attempts
	 */
	record Source(Signal signal, Supplier<ExportSnapshot> snapshots, Consumer<ExportListener> listeners) {

		String tagValue() {
			return this.signal.name().toLowerCase(Locale.ROOT);
		}

	}

}
