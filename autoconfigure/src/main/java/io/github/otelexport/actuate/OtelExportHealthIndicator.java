package io.github.otelexport.actuate;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.github.otelexport.actuate.OtelExportDescriptors.BufferDescriptor;
import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportSnapshot.ExporterSnapshot;
import io.github.otelexport.stats.ExportSnapshot.RecentError;
import io.github.otelexport.stats.ExportSnapshot;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of span export, and of log record export when it is on: {@code UP} while exports
 * succeed, {@link #DEGRADED} while spans go to the fallback or exports fail. Once nothing
 * has been exported for longer than the grace period while exports fail, the export state
 * is {@code DOWN}: the indicator still reports {@code DEGRADED}, with the state in its
 * details, unless it was created to report {@code DOWN}
 * ({@code otel.export.health.report-down}), since a {@code DOWN} component fails the
 * application's whole health and a telemetry outage must not take the application out of
 * service.
 * <p>
 * Reads the statistics snapshot only, so it never touches the network and is never slow.
 * {@code DEGRADED} maps to HTTP 200; it must appear in
 * {@code management.endpoint.health.status.order} for the health endpoint to aggregate
 * it, which otel-export arranges by default. A check that fails (a bug, not an outage)
 * reports {@code DEGRADED}, or {@code DOWN} with {@code report-down}, and is logged once
 * per cause.
 * <p>
 * With log records, the status is the worse of the two signals'; the details keep the
 * spans' where they were, add the log records' own under {@code logs} (their circuit too;
 * the buffer is shared and shown once) and name the signals that are not {@code UP} under
 * {@code failing} ({@code traces}, {@code logs}).
 *
 * @author otel-export authors
 */
public final class OtelExportHealthIndicator implements HealthIndicator {

	/**
	 * Spans still flow, through the fallback or with failures younger than the grace
	 * period.
	 */
	public static final Status DEGRADED = new Status("DEGRADED");

	private static final String TRACES = "traces";

	private static final String LOGS = "logs";

	private static final String CAPPED = "; reported as DEGRADED, not DOWN, as otel.export.health.report-down is false";

	private final Supplier<ExportSnapshot> snapshots;

	private final Supplier<ExportSnapshot> logSnapshots;

	private final ExportStateEvaluator evaluator;

	private final boolean reportDown;

	private final HealthCheckFailureLog failures = new HealthCheckFailureLog();

	/**
	 * Create an indicator that never reports {@code DOWN}.
	 * @param snapshots supplies the current statistics snapshot
	 * @param gracePeriod how long failures report {@code DEGRADED} before the state is
	 * {@code DOWN} ({@code otel.export.health.grace-period})
	 * @param clock the clock that tells the current instant
	 */
	public OtelExportHealthIndicator(Supplier<ExportSnapshot> snapshots, Duration gracePeriod, Clock clock) {
		this(snapshots, new ExportStateEvaluator(gracePeriod, clock), false);
	}

	/**
	 * Create an indicator that shares its evaluator, and so its clock, with the
	 * {@code otelexport} endpoint.
	 * @param snapshots supplies the current statistics snapshot
	 * @param evaluator decides the state from a snapshot
	 * @param reportDown whether a {@code DOWN} state is reported as {@code DOWN} rather
	 * than {@code DEGRADED} ({@code otel.export.health.report-down})
	 */
	public OtelExportHealthIndicator(Supplier<ExportSnapshot> snapshots, ExportStateEvaluator evaluator,
			boolean reportDown) {
		this(snapshots, null, evaluator, reportDown);
	}

	/**
	 * Create an indicator of span and log record export that shares its evaluator, and so
	 * its clock, with the {@code otelexport} endpoint.
	 * @param snapshots supplies the current statistics snapshot of spans
	 * @param logSnapshotsOrNull supplies the current statistics snapshot of log records,
	 * or {@code null} when log export is off
	 * @param evaluator decides the state from a snapshot
	 * @param reportDown whether a {@code DOWN} state is reported as {@code DOWN} rather
	 * than {@code DEGRADED} ({@code otel.export.health.report-down})
	 */
	public OtelExportHealthIndicator(Supplier<ExportSnapshot> snapshots, Supplier<ExportSnapshot> logSnapshotsOrNull,
			ExportStateEvaluator evaluator, boolean reportDown) {
		this.snapshots = snapshots;
		this.logSnapshots = logSnapshotsOrNull;
		this.evaluator = evaluator;
		this.reportDown = reportDown;
	}

	@Override
	public Health health() {
		Health.Builder builder = new Health.Builder();
		try {
			check(builder);
		}
		catch (RuntimeException ex) {
			// a bug of ours, not an outage: by default it must not fail the application's
			// health, and a probe calling every few seconds must not flood the log with
			// it
			Status status = this.reportDown ? Status.DOWN : DEGRADED;
			this.failures.failed(ex, status);
			builder.status(status).withException(ex);
		}
		return builder.build();
	}

	private void check(Health.Builder builder) {
		ExportSnapshot snapshot = this.snapshots.get();
		ExportState state = this.evaluator.evaluate(snapshot);
		Map<String, Object> details = details(snapshot, state);
		details.put("queue", Map.of("size", snapshot.queue().size(), "capacity", snapshot.queue().capacity()));
		if (snapshot.buffer().maxBytes() > 0) {
			details.put("buffer", BufferDescriptor.of(snapshot.buffer(), snapshot.disk()));
		}
		putDropped(details, snapshot);
		ExportStatus worst = state.status();
		if (this.logSnapshots != null) {
			ExportSnapshot logs = this.logSnapshots.get();
			ExportState logState = this.evaluator.evaluate(logs);
			Map<String, Object> logDetails = details(logs, logState);
			logDetails.put("queue", Map.of("size", logs.queue().size(), "capacity", logs.queue().capacity()));
			putDropped(logDetails, logs);
			List<String> failing = new ArrayList<>();
			if (state.status() != ExportStatus.UP) {
				failing.add(TRACES);
			}
			if (logState.status() != ExportStatus.UP) {
				failing.add(LOGS);
			}
			details.put("failing", failing);
			details.put(LOGS, logDetails);
			worst = worse(worst, logState.status());
		}
		builder.status(reported(worst)).withDetails(details);
	}

	/**
	 * The details of one signal's export; the buffer is shared, so it is added once.
	 */
	private Map<String, Object> details(ExportSnapshot snapshot, ExportState state) {
		Map<String, Object> details = new LinkedHashMap<>();
		boolean cappedDown = state.status() == ExportStatus.DOWN && !this.reportDown;
		details.put("state", state.status());
		details.put("reason", cappedDown ? state.reason() + CAPPED : state.reason());
		for (ExporterSnapshot exporter : snapshot.exporters()) {
			details.put(exporter.role().value(), exporter.endpoint());
		}
		details.put("circuitState", snapshot.circuitState());
		details.put("consecutiveFailures", snapshot.consecutiveFailures());
		putIfNotNull(details, "lastSuccess", snapshot.lastSuccess());
		putIfNotNull(details, "lastFailure", snapshot.lastFailure());
		putIfNotNull(details, "failingSince", state.failingSince());
		RecentError lastError = snapshot.lastError();
		if (lastError != null) {
			details.put("lastError", lastError(lastError));
		}
		return details;
	}

	private static void putDropped(Map<String, Object> details, ExportSnapshot snapshot) {
		if (!snapshot.droppedByReason().isEmpty()) {
			Map<String, Long> dropped = new LinkedHashMap<>();
			for (Map.Entry<DropReason, Long> entry : snapshot.droppedByReason().entrySet()) {
				dropped.put(entry.getKey().tagValue(), entry.getValue());
			}
			details.put("dropped", dropped);
		}
	}

	private static ExportStatus worse(ExportStatus a, ExportStatus b) {
		// ExportStatus is declared from the best to the worst
		return (b.ordinal() > a.ordinal()) ? b : a;
	}

	private Status reported(ExportStatus status) {
		return (status == ExportStatus.DOWN && !this.reportDown) ? DEGRADED : status(status);
	}

	private static Status status(ExportStatus status) {
		return switch (status) {
			case UP -> Status.UP;
			case DEGRADED -> DEGRADED;
			case DOWN -> Status.DOWN;
		};
	}

	private static Map<String, Object> lastError(RecentError error) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("category", error.category().name());
		details.put("hint", error.hint());
		details.put("exporter", error.exporter().value());
		if (error.message() != null) {
			details.put("message", error.message());
		}
		details.put("timestamp", error.timestamp());
		return details;
	}

	private static void putIfNotNull(Map<String, Object> details, String key, Object value) {
		if (value != null) {
			details.put(key, value);
		}
	}

}
