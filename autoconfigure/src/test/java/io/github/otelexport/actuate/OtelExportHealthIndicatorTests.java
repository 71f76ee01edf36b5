package io.github.otelexport.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.otelexport.export.TestTime;
import io.github.otelexport.stats.CircuitState;
import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportErrorCategory;
import io.github.otelexport.stats.ExportSnapshot;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OtelExportHealthIndicator}: every status transition on built snapshots
 * with a clock the test moves, reported as {@code DOWN} only when asked to.
 *
 * @author otel-export authors
 */
class OtelExportHealthIndicatorTests {

	private static final Duration GRACE = Duration.ofMinutes(1);

	private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

	private static final Pattern LEVEL = Pattern.compile("\\b(TRACE|DEBUG|INFO|WARN|ERROR)\\b");

	private final TestTime clock = new TestTime(T0);

	private ExportSnapshot snapshot = SnapshotBuilder.withFallback().build();

	private final OtelExportHealthIndicator indicator = new OtelExportHealthIndicator(() -> this.snapshot, GRACE,
			this.clock);

	private final OtelExportHealthIndicator reportingDown = new OtelExportHealthIndicator(() -> this.snapshot,
			new ExportStateEvaluator(GRACE, this.clock), true);

	private ExportSnapshot logs = SnapshotBuilder.withFallback().build();

	private final OtelExportHealthIndicator bothSignals = new OtelExportHealthIndicator(() -> this.snapshot,
			() -> this.logs, new ExportStateEvaluator(GRACE, this.clock), false);

	@Test
	void upBeforeAnyExport() {
		Health health = this.indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("reason", "No export attempted yet")
			.containsEntry("primary", SnapshotBuilder.PRIMARY_ENDPOINT)
			.containsEntry("fallback", SnapshotBuilder.FALLBACK_ENDPOINT)
			.containsEntry("circuitState", CircuitState.CLOSED)
			.containsEntry("consecutiveFailures", 0)
			.doesNotContainKeys("lastSuccess", "lastFailure", "lastError", "dropped");
	}

	@Test
	void upWhileExportsSucceed() {
		this.snapshot = SnapshotBuilder.withFallback().success(DestinationRole.PRIMARY, T0.minusSeconds(5), 10).build();
		Health health = this.indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("reason", "Exports succeed")
			.containsEntry("lastSuccess", T0.minusSeconds(5));
	}

	@Test
	void walksUpDegradedDownAndBackUp() {
		SnapshotBuilder builder = SnapshotBuilder.primaryOnly().success(DestinationRole.PRIMARY, T0, 10);
		this.snapshot = builder.build();
		assertThat(this.indicator.health().getStatus()).isEqualTo(Status.UP);

		this.clock.advance(Duration.ofSeconds(10));
		this.snapshot = builder
			.failure(DestinationRole.PRIMARY, this.clock.instant(), ExportErrorCategory.CONNECTION_REFUSED,
					"Connection refused")
			.build();
		Health degraded = this.indicator.health();
		assertThat(degraded.getStatus()).isEqualTo(OtelExportHealthIndicator.DEGRADED);
		assertThat(degraded.getDetails()).containsEntry("failingSince", T0.plusSeconds(10));

		this.clock.advance(GRACE.minusSeconds(1));
		this.snapshot = builder.retry()
			.failure(DestinationRole.PRIMARY, this.clock.instant(), ExportErrorCategory.CONNECTION_REFUSED,
					"Connection refused")
			.build();
		assertThat(this.indicator.health().getStatus()).isEqualTo(OtelExportHealthIndicator.DEGRADED);

		this.clock.advance(Duration.ofSeconds(1));
		Health down = this.reportingDown.health();
		assertThat(down.getStatus()).isEqualTo(Status.DOWN);
		assertThat(down.getDetails()).containsEntry("state", ExportStatus.DOWN)
			.containsEntry("reason", "Nothing exported for 1m while exports fail (grace period 1m)");
		Health capped = this.indicator.health();
		assertThat(capped.getStatus()).isEqualTo(OtelExportHealthIndicator.DEGRADED);
		assertThat(capped.getDetails()).containsEntry("state", ExportStatus.DOWN)
			.containsEntry("failingSince", T0.plusSeconds(10));

		this.clock.advance(Duration.ofSeconds(30));
		this.snapshot = builder.success(DestinationRole.PRIMARY, this.clock.instant(), 10).build();
		Health up = this.indicator.health();
		assertThat(up.getStatus()).isEqualTo(Status.UP);
		assertThat(up.getDetails()).doesNotContainKey("failingSince");
	}

	@Test
	void degradedOnFirstFailureAfterLongIdlePeriod() {
		SnapshotBuilder builder = SnapshotBuilder.primaryOnly().success(DestinationRole.PRIMARY, T0, 10);
		this.clock.advance(Duration.ofHours(2));
		this.snapshot = builder
			.failure(DestinationRole.PRIMARY, this.clock.instant(), ExportErrorCategory.UNAVAILABLE,
					"HTTP 503 Service Unavailable")
			.build();
		assertThat(this.indicator.health().getStatus()).isEqualTo(OtelExportHealthIndicator.DEGRADED);
	}

	@Test
	void downWhenNothingWasEverExportedAndFailuresOutlastGracePeriod() {
		SnapshotBuilder builder = SnapshotBuilder.primaryOnly()
			.failure(DestinationRole.PRIMARY, T0, ExportErrorCategory.UNKNOWN_HOST,
					"collector: Name or service not known");
		this.snapshot = builder.build();
		assertThat(this.indicator.health().getStatus()).isEqualTo(OtelExportHealthIndicator.DEGRADED);
		this.clock.advance(GRACE);
		this.snapshot = builder
			.failure(DestinationRole.PRIMARY, this.clock.instant(), ExportErrorCategory.UNKNOWN_HOST,
					"collector: Name or service not known")
			.build();
		assertThat(this.reportingDown.health().getStatus()).isEqualTo(Status.DOWN);
	}

	@Test
	void runOfFailuresIsTimedFromItsFirstFailureEvenWhenTheRecentErrorRingForgotIt() {
		SnapshotBuilder builder = SnapshotBuilder.primaryOnly().success(DestinationRole.PRIMARY, T0, 10);
		for (int i = 1; i <= 10; i++) {
			builder.failure(DestinationRole.PRIMARY, T0.plusSeconds(i * 10), ExportErrorCategory.CONNECTION_REFUSED,
					"refused");
		}
		this.snapshot = builder.recentErrorCapacity(3).build();
		this.clock.advance(Duration.ofSeconds(100));
		// The ring only holds the errors of the last 20s, but the run began 90s ago,
		// longer than the grace period
		assertThat(this.reportingDown.health().getStatus()).isEqualTo(Status.DOWN);
		assertThat(this.reportingDown.health().getDetails()).containsEntry("failingSince", T0.plusSeconds(10));
	}

	@Test
	void degradedWhileOnFallback() {
		SnapshotBuilder builder = SnapshotBuilder.withFallback()
			.success(DestinationRole.PRIMARY, T0, 10)
			.failure(DestinationRole.PRIMARY, T0.plusSeconds(1), ExportErrorCategory.CONNECTION_REFUSED,
					"Connection refused")
			.success(DestinationRole.FALLBACK, T0.plusSeconds(2), 10)
			.circuit(CircuitState.OPEN);
		this.snapshot = builder.build();
		this.clock.advance(Duration.ofMinutes(10));
		Health health = this.indicator.health();
		assertThat(health.getStatus()).isEqualTo(OtelExportHealthIndicator.DEGRADED);
		assertThat(health.getDetails()).containsEntry("circuitState", CircuitState.OPEN)
			.containsEntry("consecutiveFailures", 1);
		assertThat((String) health.getDetails().get("reason")).contains("fallback");
		@SuppressWarnings("unchecked")
		Map<String, Object> lastError = (Map<String, Object>) health.getDetails().get("lastError");
		assertThat(lastError).containsEntry("category", "CONNECTION_REFUSED")
			.containsEntry("hint", ExportErrorCategory.CONNECTION_REFUSED.hint(DestinationRole.PRIMARY))
			.containsEntry("exporter", "primary");
	}

	@Test
	void degradedWhileProbingThePrimaryAgain() {
		this.snapshot = SnapshotBuilder.withFallback()
			.failure(DestinationRole.PRIMARY, T0, ExportErrorCategory.CONNECTION_REFUSED, "Connection refused")
			.success(DestinationRole.FALLBACK, T0.plusSeconds(1), 10)
			.circuit(CircuitState.HALF_OPEN)
			.build();
		assertThat(this.indicator.health().getStatus()).isEqualTo(OtelExportHealthIndicator.DEGRADED);
	}

	@Test
	void degradedWhenTheFallbackDeliveredTheLatestBatchWithTheCircuitClosed() {
		this.snapshot = SnapshotBuilder.withFallback()
			.success(DestinationRole.PRIMARY, T0, 10)
			.failure(DestinationRole.PRIMARY, T0.plusSeconds(1), ExportErrorCategory.DEADLINE_EXCEEDED, "timeout")
			.success(DestinationRole.FALLBACK, T0.plusSeconds(2), 10)
			.build();
		assertThat(this.indicator.health().getStatus()).isEqualTo(OtelExportHealthIndicator.DEGRADED);
	}

	@Test
	void upAgainOnceThePrimaryDeliversAfterTheFallback() {
		this.snapshot = SnapshotBuilder.withFallback()
			.failure(DestinationRole.PRIMARY, T0, ExportErrorCategory.CONNECTION_REFUSED, "Connection refused")
			.success(DestinationRole.FALLBACK, T0.plusSeconds(1), 10)
			.success(DestinationRole.PRIMARY, T0.plusSeconds(2), 10)
			.build();
		assertThat(this.indicator.health().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void downWhenPrimaryAndFallbackBothFailPastGracePeriod() {
		SnapshotBuilder builder = SnapshotBuilder.withFallback()
			.success(DestinationRole.PRIMARY, T0, 10)
			.failure(DestinationRole.PRIMARY, T0.plusSeconds(1), ExportErrorCategory.CONNECTION_REFUSED,
					"Connection refused")
			.failure(DestinationRole.FALLBACK, T0.plusSeconds(2), ExportErrorCategory.UNAUTHENTICATED, "HTTP 401")
			.circuit(CircuitState.OPEN);
		this.snapshot = builder.build();
		this.clock.advance(Duration.ofSeconds(30));
		assertThat(this.indicator.health().getStatus()).isEqualTo(OtelExportHealthIndicator.DEGRADED);
		this.clock.advance(Duration.ofSeconds(31));
		Health health = this.reportingDown.health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		@SuppressWarnings("unchecked")
		Map<String, Object> lastError = (Map<String, Object>) health.getDetails().get("lastError");
		// the fallback failed last: the hint names its headers, not the primary's
		assertThat(lastError).containsEntry("category", "UNAUTHENTICATED")
			.containsEntry("exporter", "fallback")
			.containsEntry("hint", ExportErrorCategory.UNAUTHENTICATED.hint(DestinationRole.FALLBACK));
		assertThat((String) lastError.get("hint")).contains("otel.export.fallback.headers");
	}

	@Test
	void lastErrorHintIsTheRecordedOneNamingWhereTheHeadersAreSet() {
		// the fallback inherits the primary's headers
		this.snapshot = SnapshotBuilder.withFallback()
			.headersProperty(DestinationRole.FALLBACK, "otel.export.headers")
			.failure(DestinationRole.FALLBACK, T0, ExportErrorCategory.UNAUTHENTICATED, "HTTP 401")
			.build();
		@SuppressWarnings("unchecked")
		Map<String, Object> lastError = (Map<String, Object>) this.indicator.health().getDetails().get("lastError");
		assertThat((String) lastError.get("hint")).isEqualTo(this.snapshot.lastError().hint())
			.startsWith("Check otel.export.headers ")
			.doesNotContain("otel.export.fallback.headers");
	}

	@Test
	void withoutLogExportTheDetailsNameNoSignal() {
		assertThat(this.indicator.health().getDetails()).doesNotContainKeys("logs", "failing");
	}

	@Test
	void failingLogRecordsDegradeTheHealthAndAreNamed() {
		this.snapshot = SnapshotBuilder.withFallback().success(DestinationRole.PRIMARY, T0, 10).build();
		this.logs = SnapshotBuilder.withFallback()
			.success(DestinationRole.PRIMARY, T0, 10)
			.failure(DestinationRole.PRIMARY, T0.plusSeconds(1), ExportErrorCategory.REJECTED, "HTTP 400")
			.dropped(DropReason.PERMANENT_ERROR, 5)
			.circuit(CircuitState.OPEN)
			.build();
		this.clock.advance(Duration.ofSeconds(5));
		Health health = this.bothSignals.health();
		assertThat(health.getStatus()).isEqualTo(OtelExportHealthIndicator.DEGRADED);
		assertThat(health.getDetails()).containsEntry("state", ExportStatus.UP)
			.containsEntry("reason", "Exports succeed")
			.containsEntry("failing", List.of("logs"))
			.containsEntry("circuitState", CircuitState.CLOSED)
			.doesNotContainKeys("lastError", "dropped");
		@SuppressWarnings("unchecked")
		Map<String, Object> logs = (Map<String, Object>) health.getDetails().get("logs");
		assertThat(logs).containsEntry("state", ExportStatus.DEGRADED)
			.containsEntry("failingSince", T0.plusSeconds(1))
			.containsEntry("dropped", Map.of("permanent_error", 5L))
			.containsKeys("lastError", "queue", "primary")
			.as("each signal has its own circuit")
			.containsEntry("circuitState", CircuitState.OPEN)
			.as("the buffer is shared: shown once, with the spans")
			.doesNotContainKeys("buffer");
		assertThat((String) logs.get("reason")).startsWith("Exports failing for 4s");
	}

	@Test
	void theStatusIsTheWorseOfTheTwoSignals() {
		this.snapshot = SnapshotBuilder.withFallback()
			.failure(DestinationRole.PRIMARY, T0, ExportErrorCategory.CONNECTION_REFUSED, "Connection refused")
			.build();
		this.logs = SnapshotBuilder.withFallback()
			.failure(DestinationRole.PRIMARY, T0.plusSeconds(30), ExportErrorCategory.CONNECTION_REFUSED,
					"Connection refused")
			.build();
		this.clock.advance(Duration.ofSeconds(61));
		OtelExportHealthIndicator reportingDown = new OtelExportHealthIndicator(() -> this.snapshot, () -> this.logs,
				new ExportStateEvaluator(GRACE, this.clock), true);
		Health health = reportingDown.health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("state", ExportStatus.DOWN)
			.containsEntry("failing", List.of("traces", "logs"));
		assertThat(health.getDetails().get("logs")).asInstanceOf(InstanceOfAssertFactories.MAP)
			.containsEntry("state", ExportStatus.DEGRADED);
		// spans healthy again, log records still failing: DEGRADED, and only logs named
		this.snapshot = SnapshotBuilder.withFallback().success(DestinationRole.PRIMARY, T0.plusSeconds(61), 3).build();
		Health logsOnly = reportingDown.health();
		assertThat(logsOnly.getStatus()).isEqualTo(OtelExportHealthIndicator.DEGRADED);
		assertThat(logsOnly.getDetails()).containsEntry("failing", List.of("logs"));
		// both healthy: UP, nothing failing
		this.logs = SnapshotBuilder.withFallback().success(DestinationRole.PRIMARY, T0.plusSeconds(61), 3).build();
		assertThat(reportingDown.health().getStatus()).isEqualTo(Status.UP);
		assertThat(reportingDown.health().getDetails()).containsEntry("failing", List.of());
	}

	@Test
	void logRecordsDownPastTheGracePeriodAreCappedAtDegradedByDefault() {
		this.logs = SnapshotBuilder.withFallback()
			.failure(DestinationRole.PRIMARY, T0, ExportErrorCategory.CONNECTION_REFUSED, "Connection refused")
			.build();
		this.clock.advance(Duration.ofSeconds(61));
		Health health = this.bothSignals.health();
		assertThat(health.getStatus()).isEqualTo(OtelExportHealthIndicator.DEGRADED);
		assertThat(health.getDetails().get("logs")).asInstanceOf(InstanceOfAssertFactories.MAP)
			.containsEntry("state", ExportStatus.DOWN)
			.hasEntrySatisfying("reason",
					(reason) -> assertThat((String) reason).endsWith("otel.export.health.report-down is false"));
	}

	@Test
	void detailsShowQueueAndDropsByReason() {
		this.snapshot = SnapshotBuilder.primaryOnly()
			.queue(100, 2048)
			.dropped(DropReason.QUEUE_FULL, 7)
			.dropped(DropReason.RETRIES_EXHAUSTED, 3)
			.build();
		Health health = this.indicator.health();
		assertThat(health.getDetails()).containsEntry("queue", Map.of("size", 100L, "capacity", 2048L))
			.containsEntry("dropped", Map.of("queue_full", 7L, "retries_exhausted", 3L))
			.doesNotContainKey("fallback")
			.as("no buffer, no detail")
			.doesNotContainKey("buffer");
	}

	@Test
	void aBufferHalfFullOrMoreIsDegradedWhileExportsStillSucceed() {
		this.snapshot = SnapshotBuilder.primaryOnly()
			.success(DestinationRole.PRIMARY, T0, 10)
			.buffer(32 * 1024 * 1024, 64 * 1024 * 1024, 900, 150_000)
			.build();
		Health health = this.indicator.health();
		assertThat(health.getStatus()).isEqualTo(OtelExportHealthIndicator.DEGRADED);
		assertThat((String) health.getDetails().get("reason"))
			.startsWith("The buffer is 50% full (150000 spans waiting)");
		this.snapshot = SnapshotBuilder.primaryOnly()
			.success(DestinationRole.PRIMARY, T0, 10)
			.buffer(32 * 1024 * 1024 - 1, 64 * 1024 * 1024, 899, 149_999)
			.build();
		assertThat(this.indicator.health().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void detailsShowTheBufferWhenThereIsOne() {
		this.snapshot = SnapshotBuilder.primaryOnly()
			.buffer(4096, 65536, 3, 120, Duration.ofMillis(1500), 240.04)
			.build();
		assertThat(this.indicator.health().getDetails()).containsEntry("buffer",
				new OtelExportDescriptors.BufferDescriptor(4096, 65536, 3, 120, 1500, 240.0, 500L, null, null));
	}

	@Test
	void aBacklogIsDegradedWhileExportsSucceedUntilItDrains() {
		SnapshotBuilder builder = SnapshotBuilder.primaryOnly().success(DestinationRole.PRIMARY, T0, 10);
		Duration backlogAge = ExportStateEvaluator.BACKLOG_AGE;
		this.snapshot = builder.buffer(200_000, 64_000_000, 20, 10_000, backlogAge, 2000).build();
		assertThat(this.indicator.health().getStatus()).as("waited no longer than a backlog").isEqualTo(Status.UP);
		this.snapshot = builder.buffer(200_000, 64_000_000, 20, 10_000, backlogAge.plusMillis(1), 2000).build();
		Health health = this.indicator.health();
		assertThat(health.getStatus()).isEqualTo(OtelExportHealthIndicator.DEGRADED);
		assertThat(health.getDetails()).containsEntry("state", ExportStatus.DEGRADED)
			.containsEntry("reason",
					"A backlog of 10000 spans waits in the buffer, the oldest for 5s: draining at 2000 spans/s, about 5s to go");
		this.snapshot = builder.buffer(0, 64_000_000, 0, 0, Duration.ZERO, 2000).build();
		assertThat(this.indicator.health().getStatus()).as("drained").isEqualTo(Status.UP);
	}

	@Test
	void aBacklogThatDoesNotDrainSaysSo() {
		this.snapshot = SnapshotBuilder.primaryOnly()
			.success(DestinationRole.PRIMARY, T0, 10)
			.buffer(2048, 64_000_000, 1, 3, Duration.ofSeconds(42), 0.4)
			.build();
		assertThat((String) this.indicator.health().getDetails().get("reason")).isEqualTo(
				"A backlog of 3 spans waits in the buffer, the oldest for 42s: draining at 0.4 spans/s, about 7s to go");
		this.snapshot = SnapshotBuilder.primaryOnly()
			.success(DestinationRole.PRIMARY, T0, 10)
			.buffer(2048, 64_000_000, 1, 3, Duration.ofSeconds(42), 0)
			.build();
		assertThat((String) this.indicator.health().getDetails().get("reason")).isEqualTo(
				"A backlog of 3 spans waits in the buffer, the oldest for 42s: nothing was exported in the last 10s");
	}

	@Test
	void failuresGoBeforeTheBacklogAndTheBufferStaysInTheDetails() {
		this.snapshot = SnapshotBuilder.primaryOnly()
			.success(DestinationRole.PRIMARY, T0, 10)
			.failure(DestinationRole.PRIMARY, T0.plusSeconds(1), ExportErrorCategory.CONNECTION_REFUSED,
					"Connection refused")
			.buffer(2048, 64_000_000, 1, 3, Duration.ofSeconds(42), 0)
			.build();
		this.clock.advance(Duration.ofMinutes(5));
		Health health = this.reportingDown.health();
		assertThat(health.getStatus()).as("as today, nothing exported past the grace period").isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("buffer",
				new OtelExportDescriptors.BufferDescriptor(2048, 64_000_000, 1, 3, 42_000, 0, null, null, null));
	}

	@Test
	void aHalfFullDiskBufferIsDegradedThoughItsMemoryCacheIsSmall() {
		this.snapshot = SnapshotBuilder.primaryOnly()
			.success(DestinationRole.PRIMARY, T0, 10)
			.buffer(1024, 65536, 3, 120, Duration.ofSeconds(1), 100)
			.disk(5_000_000, 8_000_000)
			.build();
		Health health = this.indicator.health();
		assertThat(health.getStatus()).isEqualTo(OtelExportHealthIndicator.DEGRADED);
		assertThat((String) health.getDetails().get("reason")).startsWith("The buffer is 62% full");
		assertThat(health.getDetails().get("buffer")).extracting("diskBytes", "diskMaxBytes")
			.containsExactly(5_000_000L, 8_000_000L);
	}

	@Test
	void degradedWithStateDownAndEveryDetailPastTheGracePeriodByDefault() {
		this.snapshot = SnapshotBuilder.withFallback()
			.success(DestinationRole.PRIMARY, T0, 10)
			.failure(DestinationRole.PRIMARY, T0.plusSeconds(1), ExportErrorCategory.CONNECTION_REFUSED,
					"Connection refused")
			.failure(DestinationRole.FALLBACK, T0.plusSeconds(2), ExportErrorCategory.UNKNOWN_HOST,
					"fallback-collector")
			.circuit(CircuitState.OPEN)
			.dropped(DropReason.RETRIES_EXHAUSTED, 20)
			.build();
		this.clock.advance(Duration.ofMinutes(5));
		Health health = this.indicator.health();
		assertThat(health.getStatus()).isEqualTo(OtelExportHealthIndicator.DEGRADED);
		assertThat(health.getDetails()).containsEntry("state", ExportStatus.DOWN)
			.containsEntry("reason",
					"Nothing exported for 4m59s while exports fail (grace period 1m); reported as DEGRADED, "
							+ "not DOWN, as otel.export.health.report-down is false")
			.containsEntry("failingSince", T0.plusSeconds(1))
			.containsEntry("lastFailure", T0.plusSeconds(2))
			.containsEntry("lastSuccess", T0)
			.containsEntry("circuitState", CircuitState.OPEN)
			.containsEntry("dropped", Map.of("retries_exhausted", 20L));
		@SuppressWarnings("unchecked")
		Map<String, Object> lastError = (Map<String, Object>) health.getDetails().get("lastError");
		assertThat(lastError).containsEntry("category", "UNKNOWN_HOST").containsEntry("exporter", "fallback");
		assertThat(this.reportingDown.health().getDetails()).containsEntry("state", ExportStatus.DOWN)
			.containsEntry("reason", "Nothing exported for 4m59s while exports fail (grace period 1m)");
	}

	@Test
	void stateDetailFollowsTheStatusBelowDown() {
		assertThat(this.indicator.health().getDetails()).containsEntry("state", ExportStatus.UP);
		this.snapshot = SnapshotBuilder.primaryOnly()
			.failure(DestinationRole.PRIMARY, T0, ExportErrorCategory.CONNECTION_REFUSED, "Connection refused")
			.build();
		assertThat(this.indicator.health().getDetails()).containsEntry("state", ExportStatus.DEGRADED);
	}

	@Test
	void degradedWhenSnapshotCannotBeReadByDefault() {
		OtelExportHealthIndicator failing = new OtelExportHealthIndicator(() -> {
			throw new IllegalStateException("statistics closed");
		}, GRACE, this.clock);
		Health health = failing.health();
		assertThat(health.getStatus()).isEqualTo(OtelExportHealthIndicator.DEGRADED);
		assertThat(health.getDetails()).containsEntry("error", "java.lang.IllegalStateException: statistics closed");
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void aCheckThatKeepsFailingLogsOneWarningPerCauseAndItsStackTraceAtDebug(CapturedOutput output) {
		AtomicInteger calls = new AtomicInteger();
		AtomicBoolean closed = new AtomicBoolean();
		OtelExportHealthIndicator failing = new OtelExportHealthIndicator(() -> {
			if (closed.get()) {
				throw new IllegalStateException("statistics closed");
			}
			// the same cause, whatever its message says
			throw new IllegalArgumentException("no snapshot after " + calls.incrementAndGet() + " calls");
		}, GRACE, this.clock);
		String loggerName = OtelExportHealthIndicator.class.getName();
		LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
		logging.setLogLevel(loggerName, LogLevel.DEBUG);
		try {
			for (int i = 0; i < 5; i++) {
				assertThat(failing.health().getStatus()).isEqualTo(OtelExportHealthIndicator.DEGRADED);
			}
			closed.set(true);
			for (int i = 0; i < 5; i++) {
				assertThat(failing.health().getDetails()).containsEntry("error",
						"java.lang.IllegalStateException: statistics closed");
			}
		}
		finally {
			logging.setLogLevel(loggerName, null);
		}
		List<List<String>> entries = entries(output);
		assertThat(entries).filteredOn((entry) -> level(entry).equals("WARN"))
			.satisfiesExactly((entry) -> assertThat(entry).singleElement()
				.asString()
				.contains("otel-export health check failed, reported as DEGRADED: "
						+ "java.lang.IllegalArgumentException: no snapshot after 1 calls (logged once per cause; "
						+ "every failure is logged at DEBUG with its stack trace)"),
					(entry) -> assertThat(entry).singleElement()
						.asString()
						.contains("reported as DEGRADED: java.lang.IllegalStateException: statistics closed"));
		assertThat(entries).filteredOn((entry) -> level(entry).equals("DEBUG"))
			.hasSize(10)
			.allSatisfy((entry) -> assertThat(entry).anyMatch((line) -> line.startsWith("\tat ")));
	}

	@Test
	void downWhenSnapshotCannotBeReadWithReportDown() {
		OtelExportHealthIndicator failing = new OtelExportHealthIndicator(() -> {
			throw new IllegalStateException("statistics closed");
		}, new ExportStateEvaluator(GRACE, this.clock), true);
		assertThat(failing.health().getStatus()).isEqualTo(Status.DOWN);
	}

	/**
	 * The indicator's log entries, each its first line and the stack trace lines after
	 * it, in whichever layout the logging system has.
	 */
	private static List<List<String>> entries(CapturedOutput output) {
		List<List<String>> entries = new ArrayList<>();
		List<String> entry = null;
		for (String line : output.getAll().lines().toList()) {
			boolean header = !line.isEmpty() && Character.isDigit(line.charAt(0));
			if (header) {
				entry = line.contains("otel-export health check failed") ? new ArrayList<>() : null;
				if (entry != null) {
					entries.add(entry);
				}
			}
			if (entry != null) {
				entry.add(line);
			}
		}
		return entries;
	}

	private static String level(List<String> entry) {
		Matcher level = LEVEL.matcher(entry.get(0));
		assertThat(level.find()).as(entry.get(0)).isTrue();
		return level.group();
	}

}
