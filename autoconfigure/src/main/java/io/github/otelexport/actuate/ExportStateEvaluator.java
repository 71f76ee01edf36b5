package io.github.otelexport.actuate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import io.github.otelexport.stats.CircuitState;
import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.stats.Durations;
import io.github.otelexport.stats.ExportSnapshot.BufferSnapshot;
import io.github.otelexport.stats.ExportSnapshot.ExporterSnapshot;
import io.github.otelexport.stats.ExportSnapshot.RecentError;
import io.github.otelexport.stats.ExportSnapshot;

/**
 * Turns a statistics snapshot into an {@link ExportState}, from the snapshot alone: no
 * network access, no waiting.
 * <ul>
 * <li>{@code DOWN}: no export succeeded since the current run of failures started, and
 * that run is older than the grace period.</li>
 * <li>{@code DEGRADED}: failures younger than the grace period, batches going to the
 * fallback (circuit open or half-open, or the fallback delivered the latest batch), the
 * primary failing while the fallback delivers, the buffer half full, or a backlog in it
 * (its oldest batch waiting longer than {@link #BACKLOG_AGE}).</li>
 * <li>{@code UP}: otherwise.</li>
 * </ul>
 * A run of failures starts with the first failed attempt after the last exported batch
 * ({@link ExportSnapshot#failingSince()}).
 *
 * @author otel-export authors
 */
public final class ExportStateEvaluator {

	/**
	 * How long failures report {@code DEGRADED} before {@code DOWN} when nothing else is
	 * configured.
	 */
	public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofMinutes(1);

	/**
	 * How long the oldest batch may wait in the buffer before it counts as a backlog. A
	 * destination that keeps up takes a batch within an export round trip, far less; a
	 * batch waits longer only while every sender is busy with a failing, slow or
	 * throttled destination, or the application makes more than the senders deliver.
	 */
	public static final Duration BACKLOG_AGE = Duration.ofSeconds(5);

	private final Duration gracePeriod;

	private final Clock clock;

	/**
	 * Create an evaluator.
	 * @param gracePeriod how long failures report {@code DEGRADED} before {@code DOWN}
	 * @param clock the clock that tells the current instant
	 */
	public ExportStateEvaluator(Duration gracePeriod, Clock clock) {
		this.gracePeriod = gracePeriod;
		this.clock = clock;
	}

	/**
	 * Return the grace period this evaluator applies.
	 * @return the grace period
	 */
	public Duration gracePeriod() {
		return this.gracePeriod;
	}

	/**
	 * Evaluate a snapshot.
	 * @param snapshot the statistics snapshot
	 * @return the export state now
	 */
	public ExportState evaluate(ExportSnapshot snapshot) {
		Instant now = this.clock.instant();
		if (isAfter(snapshot.lastFailure(), snapshot.lastSuccess())) {
			Instant failingSince = failingSince(snapshot);
			Duration failingFor = nonNegative(Duration.between(failingSince, now));
			if (failingFor.compareTo(this.gracePeriod) >= 0) {
				return new ExportState(
						ExportStatus.DOWN, "Nothing exported for " + Durations.elapsed(failingFor)
								+ " while exports fail (grace period " + Durations.format(this.gracePeriod) + ")",
						failingSince);
			}
			return new ExportState(ExportStatus.DEGRADED,
					"Exports failing for " + Durations.elapsed(failingFor)
							+ ", retrying (DOWN after the grace period of " + Durations.format(this.gracePeriod) + ")",
					failingSince);
		}
		if (snapshot.circuitState() == CircuitState.OPEN) {
			return new ExportState(ExportStatus.DEGRADED,
					"The primary endpoint keeps failing; batches go to the fallback endpoint", null);
		}
		if (snapshot.circuitState() == CircuitState.HALF_OPEN) {
			return new ExportState(ExportStatus.DEGRADED,
					"Probing the primary endpoint again; batches went to the fallback endpoint", null);
		}
		BufferSnapshot buffer = snapshot.buffer();
		// with a disk buffer, memory only caches it: the disk's room is what is left
		long used = (snapshot.disk().maxBytes() > 0) ? snapshot.disk().bytes() : buffer.bytes();
		long limit = (snapshot.disk().maxBytes() > 0) ? snapshot.disk().maxBytes() : buffer.maxBytes();
		if (limit > 0 && used * 2 >= limit) {
			return new ExportState(ExportStatus.DEGRADED,
					"The buffer is " + (used * 100 / limit) + "% full (" + buffer.spans()
							+ " spans waiting): the destinations take batches slower than the "
							+ "application makes them; when it is full, new batches are dropped (buffer_full)",
					null);
		}
		if (buffer.spans() > 0 && buffer.oldestAge().compareTo(BACKLOG_AGE) > 0) {
			return new ExportState(ExportStatus.DEGRADED, backlog(buffer), null);
		}
		Optional<ExporterSnapshot> primary = exporter(snapshot, DestinationRole.PRIMARY);
		Optional<ExporterSnapshot> fallback = exporter(snapshot, DestinationRole.FALLBACK);
		Instant primarySuccess = primary.map(ExporterSnapshot::lastSuccess).orElse(null);
		Instant fallbackSuccess = fallback.map(ExporterSnapshot::lastSuccess).orElse(null);
		if (isAfter(fallbackSuccess, primarySuccess)) {
			return new ExportState(ExportStatus.DEGRADED,
					"The primary endpoint failed; the latest batch went to the fallback endpoint", null);
		}
		if (snapshot.lastSuccess() == null) {
			return new ExportState(ExportStatus.UP, "No export attempted yet", null);
		}
		return new ExportState(ExportStatus.UP, "Exports succeed", null);
	}

	private static String backlog(BufferSnapshot buffer) {
		String reason = "A backlog of " + buffer.spans() + " spans waits in the buffer, the oldest for "
				+ Durations.elapsed(buffer.oldestAge());
		Duration timeToDrain = buffer.timeToDrain();
		if (timeToDrain == null) {
			return reason + ": nothing was exported in the last " + Durations.format(BufferSnapshot.DRAIN_RATE_WINDOW);
		}
		return reason + ": draining at " + spansPerSecond(buffer.totalDrainRate()) + ", about "
				+ Durations.elapsed(timeToDrain) + " to go";
	}

	private static String spansPerSecond(double rate) {
		return ((rate >= 10) ? String.valueOf(Math.round(rate)) : String.format(Locale.ROOT, "%.1f", rate))
				+ " spans/s";
	}

	private static Instant failingSince(ExportSnapshot snapshot) {
		return (snapshot.failingSince() != null) ? snapshot.failingSince() : snapshot.lastFailure();
	}

	private static Optional<ExporterSnapshot> exporter(ExportSnapshot snapshot, DestinationRole role) {
		return snapshot.exporters().stream().filter((exporter) -> exporter.role() == role).findFirst();
	}

	/**
	 * Whether {@code instant} is set and later than {@code other} (or {@code other} is
	 * not set).
	 */
	private static boolean isAfter(Instant instant, Instant other) {
		return instant != null && (other == null || instant.isAfter(other));
	}

	private static Duration nonNegative(Duration duration) {
		return duration.isNegative() ? Duration.ZERO : duration;
	}

}
