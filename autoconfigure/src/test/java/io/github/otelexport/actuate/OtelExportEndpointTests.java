package io.github.otelexport.actuate;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.github.otelexport.actuate.OtelExportDescriptors.CategoryDescriptor;
import io.github.otelexport.actuate.OtelExportDescriptors.DiagnosisDescriptor;
import io.github.otelexport.actuate.OtelExportDescriptors.ExportDescriptor;
import io.github.otelexport.diagnose.EndpointProber;
import io.github.otelexport.diagnose.ProbeStep;
import io.github.otelexport.diagnose.ProbeTarget;
import io.github.otelexport.export.ExportErrorClassifier;
import io.github.otelexport.export.TestTime;
import io.github.otelexport.stats.CircuitState;
import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportErrorCategory;
import io.github.otelexport.stats.ExportSnapshot.BufferSnapshot;
import io.github.otelexport.stats.ExportSnapshot;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for {@link OtelExportEndpoint} on built snapshots.
 *
 * @author otel-export authors
 */
class OtelExportEndpointTests {

	private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

	private final TestTime clock = new TestTime(T0);

	private ExportSnapshot snapshot = SnapshotBuilder.withFallback().build();

	private final ExportConfigurationDescriptor configuration = new ExportConfigurationDescriptor(List.of(
			DestinationDescriptor.of("primary", "grpc", "http://user:pa55word@collector:4317",
					Map.of("x-api-key", "top-secret"), "10s", "5s", "gzip", false, false),
			DestinationDescriptor.of("fallback", "http/protobuf", "https://backup:4318/v1/traces?token=abc", Map.of(),
					"10s", "5s", "none", true, false)),
			Map.of("health.grace-period", "1m"));

	private final EndpointDiagnostics diagnostics = new EndpointDiagnostics(
			new EndpointProber(Duration.ofMillis(500), new ExportErrorClassifier()), List.of());

	private final OtelExportEndpoint endpoint = endpoint(this.diagnostics);

	private ExportSnapshot logs = SnapshotBuilder.withFallback().build();

	private final OtelExportEndpoint bothSignals = new OtelExportEndpoint(() -> this.snapshot, () -> this.logs,
			new ExportStateEvaluator(Duration.ofMinutes(1), this.clock), this.configuration, this.diagnostics);

	@Test
	void readReturnsTheWholeSnapshot() {
		this.snapshot = SnapshotBuilder.withFallback()
			.success(DestinationRole.PRIMARY, T0, 10)
			.failure(DestinationRole.PRIMARY, T0.plusSeconds(1), ExportErrorCategory.CONNECTION_REFUSED,
					"Connection refused")
			.retry()
			.failure(DestinationRole.PRIMARY, T0.plusSeconds(2), ExportErrorCategory.CONNECTION_REFUSED,
					"Connection refused")
			.success(DestinationRole.FALLBACK, T0.plusSeconds(3), 10)
			.dropped(DropReason.QUEUE_FULL, 4)
			.queue(12, 2048)
			.circuit(CircuitState.OPEN)
			.build();
		this.clock.advance(Duration.ofSeconds(5));
		ExportDescriptor descriptor = this.endpoint.export();
		assertThat(descriptor.state()).isEqualTo(ExportStatus.DEGRADED);
		assertThat(descriptor.circuitState()).isEqualTo(CircuitState.OPEN);
		assertThat(descriptor.consecutiveFailures()).isEqualTo(2);
		assertThat(descriptor.retries()).isOne();
		assertThat(descriptor.spans()).isEqualTo(new OtelExportDescriptors.SpansDescriptor(24, 20, 4, 0, 0, 0));
		// roles and protocols as the JSON shows them
		assertThat(descriptor.exporters()).extracting("role", "protocol", "exportedSpans", "failedAttempts")
			.containsExactly(tuple("primary", "grpc", 10L, 2L), tuple("fallback", "http/protobuf", 10L, 0L));
		assertThat(descriptor.errors()).containsOnlyKeys("CONNECTION_REFUSED");
		assertThat(descriptor.errors().get("CONNECTION_REFUSED").count()).isEqualTo(2);
		assertThat(descriptor.errors().get("CONNECTION_REFUSED").hint())
			.isEqualTo(ExportErrorCategory.CONNECTION_REFUSED.hint(DestinationRole.PRIMARY));
		assertThat(descriptor.dropped()).containsExactly(Map.entry("queue_full", 4L));
		assertThat(descriptor.recentErrors()).extracting("timestamp", "exporter")
			.containsExactly(tuple(T0.plusSeconds(2), "primary"), tuple(T0.plusSeconds(1), "primary"));
		assertThat(descriptor.queue().size()).isEqualTo(12);
		assertThat(descriptor.lastSuccess()).isEqualTo(T0.plusSeconds(3));
		assertThat(descriptor.lastDiagnosis()).isEmpty();
	}

	@Test
	void readShowsTheBacklogInTheBuffer() {
		this.snapshot = SnapshotBuilder.primaryOnly()
			.success(DestinationRole.PRIMARY, T0, 10)
			.buffer(40_000, 64_000_000, 8, 4000, Duration.ofMillis(12_345), 799.96)
			.build();
		ExportDescriptor descriptor = this.endpoint.export();
		assertThat(descriptor.buffer()).isEqualTo(new OtelExportDescriptors.BufferDescriptor(40_000, 64_000_000, 8,
				4000, 12_345, 800.0, 5001L, null, null));
		assertThat(descriptor.state()).isEqualTo(ExportStatus.DEGRADED);
		assertThat(descriptor.reason()).isEqualTo(
				"A backlog of 4000 spans waits in the buffer, the oldest for 12s: draining at 800 spans/s, about 5s to go");
	}

	@Test
	void aDiskBufferShowsItsBytesAndTheSpansItRecovered() {
		this.snapshot = SnapshotBuilder.primaryOnly()
			.recovered(20)
			.buffer(4096, 65536, 3, 120, Duration.ofSeconds(2), 0)
			.disk(1_000_000, 8_000_000)
			.build();
		ExportDescriptor descriptor = this.endpoint.export();
		assertThat(descriptor.buffer().diskBytes()).isEqualTo(1_000_000);
		assertThat(descriptor.buffer().diskMaxBytes()).isEqualTo(8_000_000);
		assertThat(descriptor.spans().recovered()).isEqualTo(20);
	}

	@Test
	void aBufferWhoseSpansDoNotGoOutHasNoTimeToDrain() {
		this.snapshot = SnapshotBuilder.primaryOnly().buffer(4096, 65536, 3, 120, Duration.ofSeconds(2), 0).build();
		assertThat(this.endpoint.export().buffer())
			.isEqualTo(new OtelExportDescriptors.BufferDescriptor(4096, 65536, 3, 120, 2000, 0, null, null, null));
	}

	@Test
	void stateFollowsTheGracePeriod() {
		this.snapshot = SnapshotBuilder.primaryOnly()
			.failure(DestinationRole.PRIMARY, T0, ExportErrorCategory.UNAVAILABLE, "HTTP 503")
			.build();
		assertThat(this.endpoint.export().state()).isEqualTo(ExportStatus.DEGRADED);
		assertThat(this.endpoint.export().failingSince()).isEqualTo(T0);
		this.clock.advance(Duration.ofMinutes(1));
		assertThat(this.endpoint.export().state()).isEqualTo(ExportStatus.DOWN);
	}

	@Test
	void configurationMasksHeaderValuesAndUrlCredentials() {
		ExportConfigurationDescriptor shown = this.endpoint.export().configuration();
		DestinationDescriptor primary = shown.destinations().get(0);
		assertThat(primary.endpoint()).isEqualTo("http://collector:4317");
		assertThat(primary.headers()).containsExactly(Map.entry("x-api-key", "******"));
		assertThat(shown.destinations().get(1).endpoint()).isEqualTo("https://backup:4318/v1/traces");
		assertThat(shown.toString()).doesNotContain("top-secret", "pa55word", "token=abc");
	}

	@Test
	void selectorReturnsTheCategorysRecentErrorsAndHint() {
		this.snapshot = SnapshotBuilder.primaryOnly()
			.failure(DestinationRole.PRIMARY, T0, ExportErrorCategory.CONNECTION_REFUSED, "Connection refused")
			.failure(DestinationRole.PRIMARY, T0.plusSeconds(1), ExportErrorCategory.UNAUTHENTICATED, "HTTP 401")
			.failure(DestinationRole.PRIMARY, T0.plusSeconds(2), ExportErrorCategory.CONNECTION_REFUSED,
					"Connection refused")
			.build();
		CategoryDescriptor refused = this.endpoint.category("connection_refused");
		assertThat(refused.category()).isEqualTo(ExportErrorCategory.CONNECTION_REFUSED);
		assertThat(refused.hint()).isEqualTo(ExportErrorCategory.CONNECTION_REFUSED.hint(DestinationRole.PRIMARY));
		assertThat(refused.cause()).isEqualTo(ExportErrorCategory.CONNECTION_REFUSED.cause());
		assertThat(refused.count()).isEqualTo(2);
		assertThat(refused.recentErrors()).extracting("timestamp").containsExactly(T0.plusSeconds(2), T0);
		assertThat(this.endpoint.category("Unauthenticated").count()).isOne();
		assertThat(this.endpoint.category("TLS").recentErrors()).isEmpty();
	}

	@Test
	void categoryHintsNameThePropertiesOfTheDestinationThatFailedLast() {
		this.snapshot = SnapshotBuilder.withFallback()
			.failure(DestinationRole.PRIMARY, T0, ExportErrorCategory.UNKNOWN_HOST, "collector")
			.failure(DestinationRole.FALLBACK, T0.plusSeconds(1), ExportErrorCategory.UNKNOWN_HOST, "backup")
			.failure(DestinationRole.PRIMARY, T0.plusSeconds(2), ExportErrorCategory.DEADLINE_EXCEEDED, "timeout")
			.build();
		String fallbackHint = ExportErrorCategory.UNKNOWN_HOST.hint(DestinationRole.FALLBACK);
		assertThat(fallbackHint).contains("otel.export.fallback.endpoint");
		assertThat(this.endpoint.export().errors().get("UNKNOWN_HOST").hint()).isEqualTo(fallbackHint);
		assertThat(this.endpoint.category("unknown_host").hint()).isEqualTo(fallbackHint);
		assertThat(this.endpoint.export().errors().get("DEADLINE_EXCEEDED").hint()).contains("otel.export.timeout")
			.isEqualTo(ExportErrorCategory.DEADLINE_EXCEEDED.hint(DestinationRole.PRIMARY));
		// no error of the category left: the primary's
		assertThat(this.endpoint.category("tls").hint())
			.isEqualTo(ExportErrorCategory.TLS.hint(DestinationRole.PRIMARY));
	}

	@Test
	void categoryHintIsTheOneRecordedWithItsNewestError() {
		this.snapshot = SnapshotBuilder.withFallback()
			.headersProperty(DestinationRole.PRIMARY, "OTEL_EXPORTER_OTLP_HEADERS")
			.headersProperty(DestinationRole.FALLBACK, "OTEL_EXPORTER_OTLP_HEADERS")
			.failure(DestinationRole.FALLBACK, T0, ExportErrorCategory.UNAUTHENTICATED, "HTTP 401")
			.build();
		String hint = this.snapshot.lastError().hint();
		assertThat(hint).startsWith("Check OTEL_EXPORTER_OTLP_HEADERS ");
		assertThat(this.endpoint.export().errors().get("UNAUTHENTICATED").hint()).isEqualTo(hint);
		assertThat(this.endpoint.category("unauthenticated").hint()).isEqualTo(hint);
	}

	@Test
	void withoutLogExportThereIsNoLogsSection() {
		assertThat(this.endpoint.export().logs()).isNull();
		assertThat(this.endpoint.category("connection_refused").logs()).isNull();
	}

	@Test
	void theSharedBufferIsEstimatedAtTheDrainRateOfBothSignals() {
		this.snapshot = SnapshotBuilder.withFallback()
			.success(DestinationRole.PRIMARY, T0, 10)
			.buffer(new BufferSnapshot(40_000, 64_000_000, 8, 4000, Duration.ofMillis(12_345), 200, 800))
			.build();
		this.logs = SnapshotBuilder.withFallback()
			.success(DestinationRole.PRIMARY, T0, 30)
			.buffer(new BufferSnapshot(40_000, 64_000_000, 8, 4000, Duration.ofMillis(12_345), 600, 800))
			.build();
		ExportDescriptor export = this.bothSignals.export();
		assertThat(export.buffer().drainRate()).isEqualTo(800);
		assertThat(export.buffer().timeToDrainMillis()).isEqualTo(5000);
		assertThat(export.reason()).isEqualTo(
				"A backlog of 4000 spans waits in the buffer, the oldest for 12s: draining at 800 spans/s, about 5s to go");
		assertThat(export.logs().drainRate()).as("the log records' own").isEqualTo(600);
	}

	@Test
	void logRecordsAreShownBesideTheSpansWithTheirOwnStateTotalsAndDrops() {
		this.snapshot = SnapshotBuilder.withFallback()
			.success(DestinationRole.PRIMARY, T0, 10)
			.buffer(4096, 65536, 3, 120, Duration.ofMillis(200), 48.5)
			.build();
		this.logs = SnapshotBuilder.withFallback()
			.success(DestinationRole.PRIMARY, T0, 30)
			.failure(DestinationRole.PRIMARY, T0.plusSeconds(1), ExportErrorCategory.CONNECTION_REFUSED,
					"Connection refused")
			.dropped(DropReason.BUFFER_FULL, 4)
			.queue(9, 2048)
			.circuit(CircuitState.OPEN)
			.build();
		this.clock.advance(Duration.ofSeconds(5));
		ExportDescriptor export = this.bothSignals.export();
		assertThat(export.circuitState()).isEqualTo(CircuitState.CLOSED);
		assertThat(export.state()).isEqualTo(ExportStatus.UP);
		assertThat(export.spans().exported()).isEqualTo(10);
		assertThat(export.buffer().spans()).isEqualTo(120);
		assertThat(export.logs()).satisfies((logs) -> {
			assertThat(logs.state()).isEqualTo(ExportStatus.DEGRADED);
			assertThat(logs.failingSince()).isEqualTo(T0.plusSeconds(1));
			assertThat(logs.circuitState()).isEqualTo(CircuitState.OPEN);
			assertThat(logs.logRecords().exported()).isEqualTo(30);
			assertThat(logs.logRecords().dropped()).isEqualTo(4);
			assertThat(logs.dropped()).containsExactly(Map.entry("buffer_full", 4L));
			assertThat(logs.errors()).containsOnlyKeys("CONNECTION_REFUSED");
			assertThat(logs.queue().size()).isEqualTo(9);
			assertThat(logs.exporters()).extracting("role", "exportedSpans")
				.containsExactly(tuple("primary", 30L), tuple("fallback", 0L));
			assertThat(logs.recentErrors()).extracting("message").containsExactly("Connection refused");
		});
	}

	@Test
	void aCategoryCountsSpansAndLogRecordsApartWithTheNewestErrorsHint() {
		this.snapshot = SnapshotBuilder.withFallback()
			.failure(DestinationRole.PRIMARY, T0, ExportErrorCategory.UNKNOWN_HOST, "collector")
			.build();
		this.logs = SnapshotBuilder.withFallback()
			.failure(DestinationRole.FALLBACK, T0.plusSeconds(1), ExportErrorCategory.UNKNOWN_HOST, "backup")
			.failure(DestinationRole.FALLBACK, T0.plusSeconds(2), ExportErrorCategory.UNKNOWN_HOST, "backup")
			.build();
		CategoryDescriptor unknownHost = this.bothSignals.category("unknown_host");
		assertThat(unknownHost.count()).isOne();
		assertThat(unknownHost.recentErrors()).extracting("message").containsExactly("collector");
		assertThat(unknownHost.logs().count()).isEqualTo(2);
		assertThat(unknownHost.logs().recentErrors()).extracting("timestamp")
			.containsExactly(T0.plusSeconds(2), T0.plusSeconds(1));
		assertThat(unknownHost.hint()).isEqualTo(ExportErrorCategory.UNKNOWN_HOST.hint(DestinationRole.FALLBACK));
		assertThat(this.bothSignals.category("tls").logs().count()).isZero();
	}

	@Test
	void unknownCategoryIsABadRequestListingTheValidOnes() {
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.category("refused"))
			.satisfies((ex) -> assertThat(ex.getReason()).contains("'refused'", "connection_refused", "unknown_host",
					"rejected"));
	}

	@Test
	void diagnoseProbesEveryEndpointAndIsRememberedForTheRead() throws Exception {
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		EndpointDiagnostics diagnostics = new EndpointDiagnostics(
				new EndpointProber(Duration.ofMillis(500), new ExportErrorClassifier()),
				List.of(new ProbeTarget(DestinationRole.PRIMARY, "http://127.0.0.1:" + port, null, true, () -> {
					throw new AssertionError("not reached");
				})));
		OtelExportEndpoint endpoint = endpoint(diagnostics);
		List<DiagnosisDescriptor> result = endpoint.diagnose();
		assertThat(result).singleElement().satisfies((diagnosis) -> {
			assertThat(diagnosis.ok()).isFalse();
			assertThat(diagnosis.category()).isEqualTo(ExportErrorCategory.CONNECTION_REFUSED);
			assertThat(diagnosis.hint())
				.isEqualTo(ExportErrorCategory.CONNECTION_REFUSED.hint(DestinationRole.PRIMARY));
			assertThat(diagnosis.steps()).extracting("name", "outcome")
				.containsExactly(tuple("dns", ProbeStep.Outcome.OK), tuple("tcp", ProbeStep.Outcome.FAILED),
						tuple("tls", ProbeStep.Outcome.SKIPPED), tuple("otlp", ProbeStep.Outcome.SKIPPED));
		});
		assertThat(endpoint.export().lastDiagnosis()).isEqualTo(result);
	}

	private OtelExportEndpoint endpoint(EndpointDiagnostics diagnostics) {
		return new OtelExportEndpoint(() -> this.snapshot, new ExportStateEvaluator(Duration.ofMinutes(1), this.clock),
				this.configuration, diagnostics);
	}

}
