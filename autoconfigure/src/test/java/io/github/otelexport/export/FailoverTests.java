package io.github.otelexport.export;

import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.export.transport.OtlpResponse;
import io.github.otelexport.export.transport.TestOtlpResponses;
import io.github.otelexport.stats.CircuitState;
import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportErrorCategory;
import io.github.otelexport.stats.ExportSnapshot.RecentError;
import io.github.otelexport.stats.ExportSnapshot;
import io.github.otelexport.stats.ExporterDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.github.otelexport.export.ResilientSpanExporterTests.assertIdentity;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for failing over between the primary and the fallback exporter of
 * {@link ResilientSpanExporter}.
 *
 * @author otel-export authors
 */
class FailoverTests {

	private static final Duration PROBE_INTERVAL = Duration.ofSeconds(30);

	private final TestTime time = new TestTime();

	private final ScriptedTransport primary = new ScriptedTransport();

	private final ScriptedTransport fallback = new ScriptedTransport();

	private final ResilientSpanExporter exporter = ResilientSpanExporter
		.builder(this.primary, ExporterDescription.primary("http://primary:4317", OtlpProtocol.GRPC))
		.fallback(this.fallback,
				ExporterDescription.fallback("http://fallback:4318/v1/traces", OtlpProtocol.HTTP_PROTOBUF))
		.retryPolicy(RetryPolicy.builder().maxAttempts(2).initialBackoff(Duration.ofMillis(10)).jitter(0).build())
		.failureThreshold(3)
		.probeInterval(PROBE_INTERVAL)
		.clock(this.time)
		.ticker(this.time)
		.sleeper(new TestSleeper(this.time))
		.build();

	static Stream<Arguments> brokenProbes() {
		Supplier<CompletableFuture<OtlpResponse>> throwing = () -> {
			throw new IllegalStateException("a bug in the exporter");
		};
		// a failure whose message cannot be read: classifying it throws
		Supplier<CompletableFuture<OtlpResponse>> unreadable = ScriptedTransport.failure(new IllegalStateException() {

			@Override
			public String getMessage() {
				throw new UnsupportedOperationException("no message");
			}

		});
		return Stream.of(Arguments.arguments("export throws", throwing),
				Arguments.arguments("failure cannot be classified", unreadable));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("brokenProbes")
	void probeCutShortOpensTheCircuitAgainAndIsRepeatedAfterTheInterval(String name,
			Supplier<CompletableFuture<OtlpResponse>> probe) {
		this.primary.otherwise(ScriptedTransport.failure(new SocketException("Connection reset")));
		try (LogCapture log = LogCapture.of(FailoverCircuit.class)) {
			for (int i = 0; i < 3; i++) {
				this.exporter.export(TestSpans.batch(2));
			}
			assertThat(log.lines()).anyMatch((line) -> line.contains("the primary is probed every 30s"));
		}
		assertThat(this.exporter.circuitState()).isEqualTo(CircuitState.OPEN);
		this.time.advance(PROBE_INTERVAL);
		this.primary.then(probe);
		int attempts = this.primary.attempts();
		this.exporter.export(TestSpans.batch(2));
		assertThat(this.primary.attempts()).isEqualTo(attempts + 1);
		assertThat(this.exporter.circuitState()).isEqualTo(CircuitState.OPEN);
		// the probe timer restarted: no probe before a full interval has passed again
		this.primary.otherwise(ScriptedTransport.success());
		this.time.advance(PROBE_INTERVAL.minusSeconds(1));
		this.exporter.export(TestSpans.batch(2));
		assertThat(this.primary.attempts()).isEqualTo(attempts + 1);
		this.time.advance(Duration.ofSeconds(1));
		this.exporter.export(TestSpans.batch(2));
		assertThat(this.primary.exportedSpans()).isEqualTo(2);
		assertThat(this.exporter.circuitState()).isEqualTo(CircuitState.CLOSED);
		assertIdentity(this.exporter.statistics().snapshot(), 6 * 2);
	}

	@Test
	void circuitOpensProbesAndClosesAgain() {
		this.primary.otherwise(ScriptedTransport.failure(new SocketException("Connection reset")));
		// CLOSED: each batch tries the primary (2 attempts), then the fallback
		for (int i = 0; i < 3; i++) {
			assertThat(this.exporter.export(TestSpans.batch(2)).isSuccess()).isTrue();
		}
		assertThat(this.primary.attempts()).isEqualTo(6);
		assertThat(this.fallback.exportedSpans()).isEqualTo(6);
		assertThat(this.exporter.circuitState()).isEqualTo(CircuitState.OPEN);
		// OPEN: straight to the fallback
		this.exporter.export(TestSpans.batch(2));
		assertThat(this.primary.attempts()).isEqualTo(6);
		assertThat(this.fallback.exportedSpans()).isEqualTo(8);
		// HALF_OPEN after the probe interval: one attempt on the primary fails, the batch
		// still reaches the fallback and the circuit opens again
		this.time.advance(PROBE_INTERVAL);
		this.exporter.export(TestSpans.batch(2));
		assertThat(this.primary.attempts()).isEqualTo(7);
		assertThat(this.fallback.exportedSpans()).isEqualTo(10);
		assertThat(this.exporter.circuitState()).isEqualTo(CircuitState.OPEN);
		// The primary is back, but it is not probed before the interval has passed again
		this.primary.otherwise(ScriptedTransport.success());
		this.exporter.export(TestSpans.batch(2));
		assertThat(this.primary.attempts()).isEqualTo(7);
		this.time.advance(PROBE_INTERVAL);
		this.exporter.export(TestSpans.batch(2));
		assertThat(this.primary.exportedSpans()).isEqualTo(2);
		assertThat(this.exporter.circuitState()).isEqualTo(CircuitState.CLOSED);
		this.exporter.export(TestSpans.batch(2));
		assertThat(this.primary.exportedSpans()).isEqualTo(4);
		assertThat(this.fallback.exportedSpans()).isEqualTo(12);
		ExportSnapshot snapshot = this.exporter.statistics().snapshot();
		assertThat(snapshot.circuitState()).isEqualTo(CircuitState.CLOSED);
		assertThat(snapshot.consecutiveFailures()).isZero();
		assertThat(snapshot.exporters()).extracting(ExportSnapshot.ExporterSnapshot::role)
			.containsExactly(DestinationRole.PRIMARY, DestinationRole.FALLBACK);
		assertThat(snapshot.exporters()).extracting(ExportSnapshot.ExporterSnapshot::exportedSpans)
			.containsExactly(4L, 12L);
		assertThat(snapshot.droppedByReason()).isEmpty();
		assertIdentity(snapshot, 16);
	}

	@Test
	void halfOpenIsReportedWhileTheProbeRuns() {
		this.primary.otherwise(ScriptedTransport.failure(new SocketException("Connection reset")));
		for (int i = 0; i < 3; i++) {
			this.exporter.export(TestSpans.batch(1));
		}
		this.time.advance(PROBE_INTERVAL);
		this.primary.then(() -> {
			assertThat(this.exporter.statistics().snapshot().circuitState()).isEqualTo(CircuitState.HALF_OPEN);
			return CompletableFuture.completedFuture(TestOtlpResponses.http(200));
		});
		this.exporter.export(TestSpans.batch(1));
		assertThat(this.exporter.circuitState()).isEqualTo(CircuitState.CLOSED);
	}

	@Test
	void permanentErrorOnPrimaryIsTriedOnFallback() {
		this.primary.otherwise(ScriptedTransport.status(401));
		assertThat(this.exporter.export(TestSpans.batch(3)).isSuccess()).isTrue();
		assertThat(this.primary.attempts()).isEqualTo(1);
		assertThat(this.fallback.exportedSpans()).isEqualTo(3);
		ExportSnapshot snapshot = this.exporter.statistics().snapshot();
		assertThat(snapshot.errorsByCategory()).containsEntry(ExportErrorCategory.UNAUTHENTICATED, 1L);
		assertThat(snapshot.consecutiveFailures()).isEqualTo(1);
		assertIdentity(snapshot, 3);
	}

	@Test
	void hintsNameWhereTheHeadersOfEachDestinationAreSet() {
		// the primary's headers come from the environment, and the fallback inherits them
		String headers = "OTEL_EXPORTER_OTLP_HEADERS";
		ResilientSpanExporter inheriting = ResilientSpanExporter
			.builder(this.primary,
					new ExporterDescription(DestinationRole.PRIMARY, "http://primary:4317", OtlpProtocol.GRPC, headers))
			.fallback(this.fallback,
					new ExporterDescription(DestinationRole.FALLBACK, "http://fallback:4317", OtlpProtocol.GRPC,
							headers))
			.retryPolicy(RetryPolicy.builder().maxAttempts(2).initialBackoff(Duration.ofMillis(10)).jitter(0).build())
			.clock(this.time)
			.ticker(this.time)
			.sleeper(new TestSleeper(this.time))
			.build();
		this.primary.otherwise(ScriptedTransport.status(401));
		this.fallback.otherwise(ScriptedTransport.status(403));
		try (LogCapture log = LogCapture.of(ResilientSpanExporter.class)) {
			assertThat(inheriting.export(TestSpans.batch(2)).isSuccess()).isFalse();
			ExportSnapshot snapshot = inheriting.statistics().snapshot();
			assertThat(snapshot.lastError().exporter()).isEqualTo(DestinationRole.FALLBACK);
			assertThat(snapshot.lastError().hint()).startsWith("Check OTEL_EXPORTER_OTLP_HEADERS ")
				.isEqualTo(ExportErrorCategory.UNAUTHENTICATED.hint(DestinationRole.FALLBACK, headers));
			assertThat(snapshot.recentErrors()).extracting(RecentError::exporter)
				.containsExactly(DestinationRole.FALLBACK, DestinationRole.PRIMARY);
			assertThat(snapshot.recentErrors()).extracting(RecentError::hint).containsOnly(snapshot.lastError().hint());
			// one line per destination
			assertThat(log.lines()).filteredOn((line) -> line.startsWith("WARNING "))
				.hasSize(2)
				.allSatisfy((line) -> assertThat(line).contains("Check OTEL_EXPORTER_OTLP_HEADERS ")
					.doesNotContain("otel.export.headers")
					.doesNotContain("otel.export.fallback.headers"));
		}
		finally {
			inheriting.shutdown();
		}
	}

	@Test
	void batchFailingOnBothIsDroppedWithTheFallbacksReason() {
		this.primary.otherwise(ScriptedTransport.failure(new SocketException("Connection reset")));
		this.fallback.otherwise(ScriptedTransport.status(400));
		assertThat(this.exporter.export(TestSpans.batch(4)).isSuccess()).isFalse();
		assertThat(this.primary.attempts()).isEqualTo(2);
		assertThat(this.fallback.attempts()).isEqualTo(1);
		ExportSnapshot snapshot = this.exporter.statistics().snapshot();
		assertThat(snapshot.droppedByReason()).containsEntry(DropReason.PERMANENT_ERROR, 4L);
		assertThat(snapshot.exporters().get(1).failedAttempts()).isEqualTo(1);
		assertIdentity(snapshot, 4);
	}

	@Test
	void withoutFallbackTheCircuitStaysClosed() {
		ScriptedTransport only = new ScriptedTransport()
			.otherwise(ScriptedTransport.failure(new SocketException("Connection reset")));
		ResilientSpanExporter exporter = ResilientSpanExporter
			.builder(only, ExporterDescription.primary("http://primary:4317", OtlpProtocol.GRPC))
			.retryPolicy(RetryPolicy.disabled())
			.failureThreshold(2)
			.ticker(this.time)
			.build();
		for (int i = 0; i < 5; i++) {
			exporter.export(TestSpans.batch(1));
		}
		assertThat(only.attempts()).isEqualTo(5);
		ExportSnapshot snapshot = exporter.statistics().snapshot();
		assertThat(snapshot.circuitState()).isEqualTo(CircuitState.CLOSED);
		assertThat(snapshot.consecutiveFailures()).isEqualTo(5);
		assertThat(snapshot.exporters()).hasSize(1);
		assertIdentity(snapshot, 5);
	}

	@Test
	void shutdownShutsDownBothExportersOnce() {
		this.exporter.shutdown();
		this.exporter.shutdown();
		assertThat(this.primary.shutdowns()).isEqualTo(1);
		assertThat(this.fallback.shutdowns()).isEqualTo(1);
	}

}
