package io.github.otelexport.export;

import java.net.ConnectException;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.export.transport.OtlpResponse;
import io.github.otelexport.export.transport.TestOtlpResponses;
import io.github.otelexport.stats.CircuitState;
import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportErrorCategory;
import io.github.otelexport.stats.ExportFailure;
import io.github.otelexport.stats.ExportListener;
import io.github.otelexport.stats.ExportSnapshot;
import io.github.otelexport.stats.ExporterDescription;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link ResilientSpanExporter} retries, drops and shutdown.
 *
 * @author otel-export authors
 */
class ResilientSpanExporterTests {

	private final TestTime time = new TestTime();

	private final TestSleeper sleeper = new TestSleeper(this.time);

	private final ScriptedTransport primary = new ScriptedTransport();

	private final RetryPolicy retryPolicy = RetryPolicy.builder()
		.maxAttempts(4)
		.initialBackoff(Duration.ofMillis(100))
		.maxBackoff(Duration.ofSeconds(1))
		.multiplier(2.0)
		.jitter(0.2)
		.maxElapsedTime(Duration.ofSeconds(10))
		.build();

	@Test
	void exportsOnFirstAttempt() {
		ResilientSpanExporter exporter = exporter(this.retryPolicy);
		assertThat(exporter.export(TestSpans.batch(3)).isSuccess()).isTrue();
		ExportSnapshot snapshot = exporter.statistics().snapshot();
		assertThat(snapshot.exporters().get(0).exportedSpans()).isEqualTo(3);
		assertThat(snapshot.exporters().get(0).successfulBatches()).isEqualTo(1);
		assertThat(snapshot.exporters().get(0).lastSuccess()).isEqualTo(this.time.instant());
		assertThat(snapshot.retries()).isZero();
		assertIdentity(snapshot, 3);
	}

	@Test
	void retriesRetryableFailureWithBackoff() {
		this.primary.then(2, ScriptedTransport.failure(new SocketException("Connection reset")));
		ResilientSpanExporter exporter = exporter(this.retryPolicy);
		assertThat(exporter.export(TestSpans.batch(5)).isSuccess()).isTrue();
		assertThat(this.primary.attempts()).isEqualTo(3);
		assertThat(this.sleeper.sleeps()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
		ExportSnapshot snapshot = exporter.statistics().snapshot();
		assertThat(snapshot.retries()).isEqualTo(2);
		assertThat(snapshot.errorsByCategory()).containsEntry(ExportErrorCategory.UNAVAILABLE, 2L);
		assertThat(snapshot.exporters().get(0).failedAttempts()).isEqualTo(2);
		assertThat(snapshot.droppedByReason()).isEmpty();
		assertIdentity(snapshot, 5);
	}

	@Test
	void dropsAfterMaxAttemptsWithRetriesExhausted() {
		this.primary.otherwise(ScriptedTransport.failure(new ConnectException("Connection refused")));
		ResilientSpanExporter exporter = exporter(this.retryPolicy);
		assertThat(exporter.export(TestSpans.batch(4)).isSuccess()).isFalse();
		assertThat(this.primary.attempts()).isEqualTo(4);
		assertThat(this.sleeper.sleeps()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200),
				Duration.ofMillis(400));
		ExportSnapshot snapshot = exporter.statistics().snapshot();
		assertThat(snapshot.droppedByReason()).containsExactly(java.util.Map.entry(DropReason.RETRIES_EXHAUSTED, 4L));
		assertThat(snapshot.errorsByCategory()).containsEntry(ExportErrorCategory.CONNECTION_REFUSED, 4L);
		assertThat(snapshot.lastError().category()).isEqualTo(ExportErrorCategory.CONNECTION_REFUSED);
		assertThat(snapshot.lastError().attempt()).isEqualTo(4);
		assertThat(snapshot.consecutiveFailures()).isEqualTo(1);
		assertThat(snapshot.circuitState()).isEqualTo(CircuitState.CLOSED);
		assertIdentity(snapshot, 4);
	}

	@Test
	void dropsPermanentFailureWithoutRetrying() {
		this.primary.otherwise(ScriptedTransport.status(401));
		ResilientSpanExporter exporter = exporter(this.retryPolicy);
		assertThat(exporter.export(TestSpans.batch(2)).isSuccess()).isFalse();
		assertThat(this.primary.attempts()).isEqualTo(1);
		assertThat(this.sleeper.sleeps()).isEmpty();
		ExportSnapshot snapshot = exporter.statistics().snapshot();
		assertThat(snapshot.droppedByReason()).containsEntry(DropReason.PERMANENT_ERROR, 2L);
		assertThat(snapshot.errorsByCategory()).containsEntry(ExportErrorCategory.UNAUTHENTICATED, 1L);
		assertIdentity(snapshot, 2);
	}

	@Test
	void disabledRetryPolicyMakesOneAttempt() {
		this.primary.otherwise(ScriptedTransport.failure(new SocketException("Connection reset")));
		ResilientSpanExporter exporter = exporter(RetryPolicy.disabled());
		exporter.export(TestSpans.batch(2));
		assertThat(this.primary.attempts()).isEqualTo(1);
		assertThat(exporter.statistics().snapshot().droppedByReason()).containsEntry(DropReason.RETRIES_EXHAUSTED, 2L);
	}

	@Test
	void neverWaitsPastMaxElapsedTime() {
		RetryPolicy policy = RetryPolicy.builder()
			.maxAttempts(100)
			.initialBackoff(Duration.ofMillis(400))
			.maxBackoff(Duration.ofSeconds(10))
			.jitter(0)
			.maxElapsedTime(Duration.ofSeconds(2))
			.build();
		this.primary.otherwise(() -> {
			this.time.advance(Duration.ofMillis(100));
			return CompletableFuture.failedFuture(new SocketException("Connection reset"));
		});
		ResilientSpanExporter exporter = exporter(policy);
		exporter.export(TestSpans.batch(1));
		// 100 attempt, 400 wait, 100 attempt, 800 wait, 100 attempt; a 1600 wait would
		// cross the 2s deadline
		assertThat(this.sleeper.sleeps()).containsExactly(Duration.ofMillis(400), Duration.ofMillis(800));
		assertThat(this.primary.attempts()).isEqualTo(3);
		assertThat(this.time.elapsed()).isLessThanOrEqualTo(policy.maxElapsedTime());
		ExportSnapshot snapshot = exporter.statistics().snapshot();
		assertThat(snapshot.droppedByReason()).containsEntry(DropReason.RETRIES_EXHAUSTED, 1L);
		assertIdentity(snapshot, 1);
	}

	@Test
	void attemptWithoutAnswerTimesOut() {
		this.primary.then(CompletableFuture::new);
		ResilientSpanExporter exporter = builder(this.retryPolicy).attemptTimeout(Duration.ofMillis(20)).build();
		assertThat(exporter.export(TestSpans.batch(1)).isSuccess()).isTrue();
		ExportSnapshot snapshot = exporter.statistics().snapshot();
		assertThat(snapshot.errorsByCategory()).containsEntry(ExportErrorCategory.DEADLINE_EXCEEDED, 1L);
		assertThat(snapshot.recentErrors().get(0).message()).contains("20ms");
		assertIdentity(snapshot, 1);
	}

	@Test
	void noAttemptWaitsPastTheBatchBudget() {
		RetryPolicy policy = RetryPolicy.builder()
			.maxAttempts(5)
			.initialBackoff(Duration.ofMillis(100))
			.jitter(0)
			.maxElapsedTime(Duration.ofMillis(250))
			.build();
		this.primary.otherwise(CompletableFuture::new);
		ResilientSpanExporter exporter = builder(policy).attemptTimeout(Duration.ofSeconds(10)).build();
		assertThat(exporter.export(TestSpans.batch(1)).isSuccess()).isFalse();
		List<ExportSnapshot.RecentError> errors = exporter.statistics().snapshot().recentErrors();
		// the 10s attempt timeout is cut to what is left of the 250ms budget
		assertThat(errors.get(errors.size() - 1).message()).contains("250ms");
		assertThat(this.time.elapsed()).isLessThanOrEqualTo(policy.maxElapsedTime());
		assertIdentity(exporter.statistics().snapshot(), 1);
	}

	@Test
	void slowPrimaryLeavesTheFallbackAnAttemptWithinTheBudget() {
		RetryPolicy policy = RetryPolicy.builder().maxAttempts(1).maxElapsedTime(Duration.ofMillis(400)).build();
		this.primary.otherwise(CompletableFuture::new);
		ScriptedTransport fallback = new ScriptedTransport();
		ResilientSpanExporter exporter = builder(policy).attemptTimeout(Duration.ofMillis(150))
			.fallback(fallback, ExporterDescription.fallback("http://fallback:4317", OtlpProtocol.GRPC))
			.build();
		assertThat(exporter.export(TestSpans.batch(2)).isSuccess()).isTrue();
		// the primary may use 400 - 150 = 250ms, but its own 150ms timeout comes first
		assertThat(exporter.statistics().snapshot().recentErrors().get(0).message()).contains("150ms");
		assertThat(fallback.attempts()).isEqualTo(1);
		assertIdentity(exporter.statistics().snapshot(), 2);
	}

	@Test
	void exportNeverThrowsWhenDelegateThrows() {
		this.primary.otherwise(() -> {
			throw new IllegalStateException("bug in delegate");
		});
		ResilientSpanExporter exporter = exporter(this.retryPolicy);
		assertThatNoException().isThrownBy(() -> assertThat(exporter.export(TestSpans.batch(2)).isSuccess()).isFalse());
		ExportSnapshot snapshot = exporter.statistics().snapshot();
		assertThat(snapshot.errorsByCategory()).containsEntry(ExportErrorCategory.UNKNOWN, 1L);
		assertThat(snapshot.lastError().exceptionType()).isEqualTo(IllegalStateException.class.getName());
		assertIdentity(snapshot, 2);
	}

	@Test
	void aBatchThatCannotBeEncodedIsDroppedCountedAndSaidSo() {
		List<SpanData> broken = List.of(new DelegatingSpanData(TestSpans.batch(1).iterator().next()) {

			@Override
			public String getName() {
				throw new IllegalStateException("a span that breaks its own encoding");
			}

		});
		ResilientSpanExporter exporter = exporter(this.retryPolicy);
		try (LogCapture log = LogCapture.of(List.of(ResilientSpanExporter.class.getName()))) {
			assertThat(exporter.export(broken).isSuccess()).isFalse();
			assertThat(log.lines()).anyMatch((line) -> line
				.startsWith("WARNING Export of 1 spans ended with an unexpected error; they are dropped"));
		}
		assertThat(exporter.statistics().snapshot().droppedByReason())
			.containsExactly(java.util.Map.entry(DropReason.PERMANENT_ERROR, 1L));
		assertThat(this.primary.attempts()).isZero();
	}

	@Test
	void emptyBatchIsASuccessWithoutAttempt() {
		ResilientSpanExporter exporter = exporter(this.retryPolicy);
		assertThat(exporter.export(List.of()).isSuccess()).isTrue();
		assertThat(this.primary.attempts()).isZero();
	}

	@Test
	void shutdownWakesWaitingRetryAndCountsShutdown() {
		this.primary.otherwise(ScriptedTransport.failure(new SocketException("Connection reset")));
		ResilientSpanExporter exporter = exporter(this.retryPolicy);
		this.sleeper.onSleep(exporter::shutdown);
		assertThat(exporter.export(TestSpans.batch(6)).isSuccess()).isFalse();
		assertThat(this.primary.attempts()).isEqualTo(1);
		ExportSnapshot snapshot = exporter.statistics().snapshot();
		assertThat(snapshot.droppedByReason()).containsExactly(java.util.Map.entry(DropReason.SHUTDOWN, 6L));
		assertIdentity(snapshot, 6);
	}

	@Test
	void shutdownWakesRealSleeperAtOnce() throws Exception {
		this.primary.otherwise(ScriptedTransport.failure(new SocketException("Connection reset")));
		RetryPolicy slow = RetryPolicy.builder()
			.initialBackoff(Duration.ofMinutes(1))
			.maxBackoff(Duration.ofMinutes(1))
			.maxElapsedTime(Duration.ofMinutes(5))
			.build();
		ResilientSpanExporter exporter = ResilientSpanExporter
			.builder(this.primary, ExporterDescription.primary("http://localhost:4317", OtlpProtocol.GRPC))
			.retryPolicy(slow)
			.build();
		CompletableFuture<Boolean> export = CompletableFuture
			.supplyAsync(() -> exporter.export(TestSpans.batch(2)).isSuccess());
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> this.primary.attempts() == 1);
		exporter.shutdown();
		assertThat(export.get(5, TimeUnit.SECONDS)).isFalse();
		assertThat(exporter.statistics().snapshot().droppedByReason()).containsEntry(DropReason.SHUTDOWN, 2L);
	}

	@Test
	void shutdownIsIdempotentAndExportAfterShutdownFails() {
		ResilientSpanExporter exporter = exporter(this.retryPolicy);
		assertThat(exporter.shutdown().join(1, TimeUnit.SECONDS).isSuccess()).isTrue();
		assertThat(exporter.shutdown().join(1, TimeUnit.SECONDS).isSuccess()).isTrue();
		assertThat(this.primary.shutdowns()).isEqualTo(1);
		assertThat(exporter.export(TestSpans.batch(3)).isSuccess()).isFalse();
		assertThat(this.primary.attempts()).isZero();
		ExportSnapshot snapshot = exporter.statistics().snapshot();
		assertThat(snapshot.droppedByReason()).containsEntry(DropReason.SHUTDOWN, 3L);
		assertIdentity(snapshot, 3);
	}

	@Test
	void summarisesAtShutdownOnlyOnceTheAttemptInFlightHasEnded() throws Exception {
		CompletableFuture<OtlpResponse> inFlight = new CompletableFuture<>();
		this.primary.then(ScriptedTransport.failure(new ConnectException("Connection refused"))).then(() -> inFlight);
		ResilientSpanExporter exporter = exporter(RetryPolicy.disabled());
		try (LogCapture log = LogCapture.of(List.of(ResilientSpanExporter.class.getName()))) {
			assertThat(exporter.export(TestSpans.batch(1)).isSuccess()).isFalse();
			CompletableFuture<Boolean> export = CompletableFuture
				.supplyAsync(() -> exporter.export(TestSpans.batch(2)).isSuccess());
			Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> this.primary.attempts() == 2);
			CompletableResultCode shutdown = exporter.shutdown();
			// closing the transport fails the attempt in flight
			assertThat(export.get(5, TimeUnit.SECONDS)).isFalse();
			assertThat(shutdown.join(5, TimeUnit.SECONDS).isSuccess()).isTrue();
			assertThat(exporter.statistics().snapshot().droppedByReason()).containsEntry(DropReason.SHUTDOWN, 2L);
			// the summary comes last, after the attempt in flight has ended
			assertThat(log.lines()).filteredOn((line) -> !line.startsWith("FINE "))
				.satisfiesExactly((line) -> assertThat(line).startsWith("WARNING ").contains(" is failing: "),
						(line) -> assertThat(line).startsWith("WARNING ")
							.contains(" was still failing at shutdown, for 0s: ")
							.contains("Dropped meanwhile: 1 spans (retries_exhausted 1)."));
		}
	}

	@Test
	void aDayOfRetryAfterPausesOtherBatchesNoLongerThanTheLongestBackoff() {
		this.primary.then(ScriptedTransport.answer(TestOtlpResponses.http(503, Duration.ofDays(1))));
		RetryPolicy policy = RetryPolicy.builder()
			.maxAttempts(1)
			.maxBackoff(Duration.ofSeconds(30))
			.maxElapsedTime(Duration.ofMinutes(5))
			.build();
		ResilientSpanExporter exporter = builder(policy).attemptTimeout(Duration.ofSeconds(10)).build();
		assertThat(exporter.export(TestSpans.batch(1)).isSuccess()).isFalse();
		assertThat(exporter.export(TestSpans.batch(2)).isSuccess()).isTrue();
		// the next batch waited the longest backoff, not a day, and then went out
		assertThat(this.sleeper.sleeps()).containsExactly(Duration.ofSeconds(30));
		assertThat(this.primary.attempts()).isEqualTo(2);
	}

	@Test
	void retryAfterZeroKeepsTheBackoff() {
		this.primary.then(ScriptedTransport.answer(TestOtlpResponses.http(429, Duration.ZERO)));
		ResilientSpanExporter exporter = exporter(this.retryPolicy);
		assertThat(exporter.export(TestSpans.batch(1)).isSuccess()).isTrue();
		assertThat(this.sleeper.sleeps()).singleElement().isNotEqualTo(Duration.ZERO);
	}

	@Test
	void anInterruptedExportEndsAsShutdownWithoutBlamingTheDestination() throws Exception {
		this.primary.otherwise(() -> new CompletableFuture<>());
		ResilientSpanExporter exporter = builder(this.retryPolicy).attemptTimeout(Duration.ofMinutes(1)).build();
		CompletableFuture<Thread> worker = new CompletableFuture<>();
		CompletableFuture<Boolean> export = CompletableFuture.supplyAsync(() -> {
			worker.complete(Thread.currentThread());
			return exporter.export(TestSpans.batch(2)).isSuccess();
		});
		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> this.primary.attempts() == 1);
		worker.get(5, TimeUnit.SECONDS).interrupt();
		assertThat(export.get(5, TimeUnit.SECONDS)).isFalse();
		ExportSnapshot snapshot = exporter.statistics().snapshot();
		assertThat(snapshot.droppedByReason()).containsExactly(java.util.Map.entry(DropReason.SHUTDOWN, 2L));
		assertThat(snapshot.errorsByCategory()).isEmpty();
		assertThat(exporter.circuitState()).isEqualTo(CircuitState.CLOSED);
	}

	@Test
	void aBatchExportedAfterAnAttemptWithoutAnswerIsCountedAsPossiblyDuplicated() {
		this.primary.then(() -> new CompletableFuture<>())
			.then(ScriptedTransport.failure(new SocketException("Connection reset")))
			.then(ScriptedTransport.success());
		ResilientSpanExporter exporter = builder(this.retryPolicy).attemptTimeout(Duration.ofMillis(20)).build();
		assertThat(exporter.export(TestSpans.batch(3)).isSuccess()).isTrue();
		ExportSnapshot snapshot = exporter.statistics().snapshot();
		// two attempts without an answer: the backend may hold two copies besides the one
		assertThat(snapshot.spansPossiblyDuplicated()).isEqualTo(6);
		assertIdentity(snapshot, 3);
	}

	@Test
	void aBatchExportedAfterARefusedConnectionIsNoDuplicate() {
		this.primary.then(ScriptedTransport.failure(new ConnectException("Connection refused")))
			.then(ScriptedTransport.status(503))
			.then(ScriptedTransport.success());
		ResilientSpanExporter exporter = exporter(this.retryPolicy);
		assertThat(exporter.export(TestSpans.batch(3)).isSuccess()).isTrue();
		assertThat(exporter.statistics().snapshot().spansPossiblyDuplicated()).isZero();
	}

	@Test
	void listenersSeeEveryAttemptAndDropAndCannotBreakExport() {
		List<String> events = new ArrayList<>();
		this.primary.then(ScriptedTransport.failure(new SocketException("Connection reset")))
			.otherwise(ScriptedTransport.status(400));
		ResilientSpanExporter exporter = builder(this.retryPolicy).addListener(new ExportListener() {

			@Override
			public void onAttempt(DestinationRole role, int spans, Duration duration, ExportFailure failure) {
				events.add(role + ":" + spans + ":" + ((failure != null) ? failure.category() : "ok"));
				throw new IllegalStateException("listener bug");
			}

			@Override
			public void onDropped(DropReason reason, long spans) {
				events.add(reason.tagValue() + ":" + spans);
				throw new IllegalStateException("listener bug");
			}

		}).build();
		assertThatNoException().isThrownBy(() -> exporter.export(TestSpans.batch(2)));
		assertThat(events).containsExactly("primary:2:UNAVAILABLE", "primary:2:REJECTED", "permanent_error:2");
	}

	@Test
	void keepsOnlyTheConfiguredNumberOfRecentErrorsNewestFirst() {
		this.primary.otherwise(ScriptedTransport.failure(new SocketException("Connection reset")));
		ResilientSpanExporter exporter = builder(RetryPolicy.disabled()).recentErrors(3).build();
		for (int i = 1; i <= 10; i++) {
			exporter.export(TestSpans.batch(i));
		}
		ExportSnapshot snapshot = exporter.statistics().snapshot();
		assertThat(snapshot.recentErrors()).extracting(ExportSnapshot.RecentError::spans).containsExactly(10, 9, 8);
		assertThat(snapshot.errorsByCategory()).containsEntry(ExportErrorCategory.UNAVAILABLE, 10L);
		assertIdentity(snapshot, 55);
	}

	static void assertIdentity(ExportSnapshot snapshot, long expectedReceived) {
		assertThat(snapshot.spansReceived()).isEqualTo(expectedReceived);
		assertThat(snapshot.spansInFlight()).isZero();
		assertThat(snapshot.spansExported() + snapshot.spansDropped()).isEqualTo(snapshot.spansReceived());
	}

	private ResilientSpanExporter exporter(RetryPolicy policy) {
		return builder(policy).build();
	}

	private ResilientSpanExporterBuilder builder(RetryPolicy policy) {
		return ResilientSpanExporter
			.builder(this.primary, ExporterDescription.primary("http://user:pw@localhost:4317", OtlpProtocol.GRPC))
			.retryPolicy(policy)
			.clock(this.time)
			.ticker(this.time)
			.sleeper(this.sleeper)
			.jitter(() -> 0.5);
	}

}
