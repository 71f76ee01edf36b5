package io.github.otelexport.export;

import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.export.transport.OtlpRequestEncoder;
import io.github.otelexport.export.transport.OtlpResponse;
import io.github.otelexport.export.transport.TestOtlpResponses;
import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportSnapshot;
import io.github.otelexport.stats.ExporterDescription;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ResilientSpanExporter} with a buffer and sender threads: the batch
 * processor's thread only hands batches over, senders deliver them.
 *
 * @author otel-export authors
 */
class BufferedExportTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ScriptedTransport primary = new ScriptedTransport();

	/**
	 * Stands still unless a test moves it: ages and rates are exact.
	 */
	private final TestTime time = new TestTime();

	private ResilientSpanExporter exporter;

	@AfterEach
	void shutdown() {
		if (this.exporter != null) {
			this.exporter.shutdown().join(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void aBatchWaitingForItsAnswerDoesNotHoldTheOthers() {
		CompletableFuture<OtlpResponse> slow = new CompletableFuture<>();
		this.primary.then(ScriptedTransport.pending(slow));
		this.exporter = builder().buffer(1 << 20, 2).build();
		assertThat(this.exporter.export(TestSpans.batch(2)).isSuccess()).isTrue();
		await().atMost(WAIT).until(() -> this.primary.attempts() == 1);
		assertThat(this.exporter.export(TestSpans.batch(3)).isSuccess()).isTrue();
		// the second sender delivers while the first waits
		await().atMost(WAIT).until(() -> this.primary.exportedSpans() == 3);
		assertThat(this.exporter.statistics().snapshot().spansInFlight()).isEqualTo(2);
		slow.complete(TestOtlpResponses.http(200));
		await().atMost(WAIT).until(() -> this.exporter.statistics().snapshot().spansInFlight() == 0);
		ExportSnapshot snapshot = this.exporter.statistics().snapshot();
		assertThat(snapshot.exporters().get(0).exportedSpans()).isEqualTo(5);
		ResilientSpanExporterTests.assertIdentity(snapshot, 5);
	}

	@Test
	void aFullBufferDropsTheNewestBatchCounted() {
		CompletableFuture<OtlpResponse> slow = new CompletableFuture<>();
		this.primary.then(ScriptedTransport.pending(slow));
		int size = OtlpRequestEncoder.spans(TestSpans.batch(2)).length;
		// room for the batch in flight (its bytes stay reserved) and one waiting batch of
		// two spans
		this.exporter = builder().buffer(2 * size, 1).build();
		assertThat(this.exporter.export(TestSpans.batch(2)).isSuccess()).isTrue();
		await().atMost(WAIT).until(() -> this.primary.attempts() == 1);
		assertThat(this.exporter.export(TestSpans.batch(2)).isSuccess()).isTrue();
		assertThat(this.exporter.export(TestSpans.batch(2)).isSuccess()).isFalse();
		assertThat(this.exporter.statistics().snapshot().droppedByReason())
			.containsExactly(Map.entry(DropReason.BUFFER_FULL, 2L));
		assertThat(this.exporter.statistics().snapshot().buffer())
			.isEqualTo(new ExportSnapshot.BufferSnapshot(2 * size, 2 * size, 1, 2, Duration.ZERO, 0));
		slow.complete(TestOtlpResponses.http(200));
		assertThat(this.exporter.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		ExportSnapshot snapshot = this.exporter.statistics().snapshot();
		assertThat(snapshot.exporters().get(0).exportedSpans()).isEqualTo(4);
		ResilientSpanExporterTests.assertIdentity(snapshot, 6);
	}

	@Test
	void aFullBufferRefusesBatchesBeforeTheyAreEncoded() {
		CompletableFuture<OtlpResponse> slow = new CompletableFuture<>();
		this.primary.then(ScriptedTransport.pending(slow));
		int size = OtlpRequestEncoder.spans(TestSpans.batch(2)).length;
		this.exporter = builder().buffer(2 * size, 1).build();
		this.exporter.export(TestSpans.batch(2));
		await().atMost(WAIT).until(() -> this.primary.attempts() == 1);
		this.exporter.export(TestSpans.batch(2));
		// a batch whose spans cannot be encoded: refused before the encoder sees them
		List<SpanData> unencodable = List.of(new DelegatingSpanData(TestSpans.batch(1).iterator().next()) {

			@Override
			public String getName() {
				throw new AssertionError("encoded although the buffer is full");
			}

		});
		assertThat(this.exporter.export(unencodable).isSuccess()).isFalse();
		assertThat(this.exporter.statistics().snapshot().droppedByReason())
			.containsExactly(Map.entry(DropReason.BUFFER_FULL, 1L));
		slow.complete(TestOtlpResponses.http(200));
	}

	@Test
	void aBacklogShowsHowOldItIsAndHowFastItDrains() {
		CompletableFuture<OtlpResponse> slow = new CompletableFuture<>();
		this.primary.then(ScriptedTransport.pending(slow));
		this.exporter = builder().buffer(1 << 20, 1).build();
		this.exporter.export(TestSpans.batch(2));
		// the only sender waits for the answer: what comes next waits in the buffer
		await().atMost(WAIT).until(() -> this.primary.attempts() == 1);
		this.exporter.export(TestSpans.batch(3));
		this.time.advance(Duration.ofSeconds(7));
		this.exporter.export(TestSpans.batch(4));
		this.time.advance(Duration.ofSeconds(1));
		ExportSnapshot.BufferSnapshot backlog = this.exporter.statistics().snapshot().buffer();
		assertThat(backlog.batches()).isEqualTo(2);
		assertThat(backlog.spans()).isEqualTo(7);
		assertThat(backlog.oldestAge()).isEqualTo(Duration.ofSeconds(8));
		assertThat(backlog.drainRate()).isZero();
		assertThat(backlog.timeToDrain()).as("nothing goes out: no estimate").isNull();
		slow.complete(TestOtlpResponses.http(200));
		assertThat(this.exporter.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		ExportSnapshot snapshot = this.exporter.statistics().snapshot();
		assertThat(snapshot.buffer().spans()).isZero();
		assertThat(snapshot.buffer().oldestAge()).isZero();
		assertThat(snapshot.buffer().timeToDrain()).isZero();
		// nine spans went out at 8s, the rate counted from the exporter's start
		assertThat(snapshot.buffer().drainRate()).isEqualTo(9 / 8.0);
		ResilientSpanExporterTests.assertIdentity(snapshot, 9);
	}

	@Test
	void byDefaultABatchMayWaitMinutesInTheBuffer() {
		CompletableFuture<OtlpResponse> slow = new CompletableFuture<>();
		this.primary.then(ScriptedTransport.pending(slow));
		// no retry policy set: the buffer's time budget
		this.exporter = ResilientSpanExporter
			.builder(this.primary, ExporterDescription.primary("http://localhost:4317", OtlpProtocol.GRPC))
			.ticker(this.time)
			.clock(this.time)
			.buffer(1 << 20, 1)
			.build();
		this.exporter.export(TestSpans.batch(2));
		await().atMost(WAIT).until(() -> this.primary.attempts() == 1);
		this.exporter.export(TestSpans.batch(3));
		this.time.advance(RetryPolicy.DEFAULT_BUFFERED_MAX_ELAPSED_TIME.minusSeconds(1));
		slow.complete(TestOtlpResponses.http(200));
		assertThat(this.exporter.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		ExportSnapshot snapshot = this.exporter.statistics().snapshot();
		assertThat(snapshot.droppedByReason()).as("far past the 25s without a buffer").isEmpty();
		assertThat(snapshot.exporters().get(0).exportedSpans()).isEqualTo(5);
	}

	@Test
	void aBatchThatUsedItsAttemptsStartsAgainWhileItsBudgetLasts() {
		// an outage of ten refused attempts: five rounds of two
		for (int i = 0; i < 10; i++) {
			this.primary.then(ScriptedTransport.failure(new ConnectException("Connection refused")));
		}
		this.primary.otherwise(ScriptedTransport.success());
		TestSleeper sleeper = new TestSleeper(this.time);
		this.exporter = builder().sleeper(sleeper).buffer(1 << 20, 1).build();
		this.exporter.export(TestSpans.batch(4));
		assertThat(this.exporter.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		ExportSnapshot snapshot = this.exporter.statistics().snapshot();
		assertThat(snapshot.droppedByReason()).isEmpty();
		assertThat(snapshot.exporters().get(0).exportedSpans()).isEqualTo(4);
		assertThat(this.primary.attempts()).isEqualTo(11);
		// the backoff goes on between two rounds as if the attempts had: 10ms, 20ms,
		// 40ms...
		assertThat(sleeper.sleeps()).startsWith(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(40),
				Duration.ofMillis(80), Duration.ofMillis(160));
	}

	@Test
	void aBatchThatUsedItsAttemptsIsDroppedOnceItsBudgetIsSpent() {
		this.primary.otherwise(ScriptedTransport.failure(new ConnectException("Connection refused")));
		TestSleeper sleeper = new TestSleeper(this.time);
		this.exporter = builder().sleeper(sleeper)
			.retryPolicy(RetryPolicy.builder()
				.maxAttempts(2)
				.initialBackoff(Duration.ofMillis(10))
				.jitter(0)
				.maxElapsedTime(Duration.ofSeconds(30))
				.build())
			.buffer(1 << 20, 1)
			.build();
		this.exporter.export(TestSpans.batch(4));
		assertThat(this.exporter.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		ExportSnapshot snapshot = this.exporter.statistics().snapshot();
		assertThat(snapshot.droppedByReason()).containsExactly(Map.entry(DropReason.RETRIES_EXHAUSTED, 4L));
		// the backoff doubles up to its 30s cap: about a dozen attempts fit in 30s
		assertThat(this.primary.attempts()).isBetween(10, 16);
		ResilientSpanExporterTests.assertIdentity(snapshot, 4);
	}

	@Test
	void withRetriesOffABatchHasOneAttemptThoughItIsBuffered() {
		this.primary.otherwise(ScriptedTransport.failure(new ConnectException("Connection refused")));
		this.exporter = builder().sleeper(new TestSleeper(this.time))
			.retryPolicy(RetryPolicy.disabled())
			.buffer(1 << 20, 1)
			.build();
		this.exporter.export(TestSpans.batch(4));
		assertThat(this.exporter.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		assertThat(this.primary.attempts()).isOne();
		assertThat(this.exporter.statistics().snapshot().droppedByReason())
			.containsExactly(Map.entry(DropReason.RETRIES_EXHAUSTED, 4L));
	}

	@Test
	void aNewRoundWaitsAsLongAsTheServerAsked() {
		for (int i = 0; i < 3; i++) {
			this.primary.then(ScriptedTransport.answer(TestOtlpResponses.http(429, Duration.ofSeconds(60))));
		}
		this.primary.otherwise(ScriptedTransport.success());
		TestSleeper sleeper = new TestSleeper(this.time);
		this.exporter = builder().sleeper(sleeper)
			.retryPolicy(RetryPolicy.builder()
				.maxAttempts(1)
				.initialBackoff(Duration.ofMillis(10))
				.jitter(0)
				.maxElapsedTime(Duration.ofMinutes(5))
				.build())
			.buffer(1 << 20, 1)
			.build();
		this.exporter.export(TestSpans.batch(4));
		assertThat(this.exporter.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		assertThat(this.primary.attempts()).isEqualTo(4);
		assertThat(this.time.elapsed()).isGreaterThanOrEqualTo(Duration.ofSeconds(180));
		assertThat(this.exporter.statistics().snapshot().exporters().get(0).exportedSpans()).isEqualTo(4);
	}

	@Test
	void flushCompletesOnceTheBufferedBatchesAreOut() {
		CompletableFuture<OtlpResponse> slow = new CompletableFuture<>();
		this.primary.then(ScriptedTransport.pending(slow));
		this.exporter = builder().buffer(1 << 20, 1).build();
		this.exporter.export(TestSpans.batch(2));
		this.exporter.export(TestSpans.batch(1));
		CompletableResultCode flush = this.exporter.flush();
		assertThat(flush.isDone()).isFalse();
		slow.complete(TestOtlpResponses.http(200));
		assertThat(flush.join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		assertThat(this.primary.exportedSpans()).isEqualTo(3);
	}

	@Test
	void shutdownLetsTheBufferedBatchesGoOutFirst() {
		CompletableFuture<OtlpResponse> slow = new CompletableFuture<>();
		this.primary.then(ScriptedTransport.pending(slow));
		this.exporter = builder().buffer(1 << 20, 1).build();
		this.exporter.export(TestSpans.batch(2));
		await().atMost(WAIT).until(() -> this.primary.attempts() == 1);
		this.exporter.export(TestSpans.batch(3));
		CompletableResultCode shutdown = this.exporter.shutdown();
		assertThat(shutdown.isDone()).isFalse();
		slow.complete(TestOtlpResponses.http(200));
		assertThat(shutdown.join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		assertThat(this.primary.exportedSpans()).isEqualTo(5);
		assertThat(this.exporter.statistics().snapshot().exporters().get(0).exportedSpans()).isEqualTo(5);
		assertThat(this.primary.shutdowns()).isOne();
		ResilientSpanExporterTests.assertIdentity(this.exporter.statistics().snapshot(), 5);
		// and after it, nothing more is taken
		assertThat(this.exporter.export(TestSpans.batch(1)).isSuccess()).isFalse();
		assertThat(this.exporter.statistics().snapshot().droppedByReason())
			.containsExactly(Map.entry(DropReason.SHUTDOWN, 1L));
	}

	@Test
	void aSecondShutdownWaitsForTheFirst() {
		CompletableFuture<OtlpResponse> slow = new CompletableFuture<>();
		this.primary.then(ScriptedTransport.pending(slow));
		this.exporter = builder().buffer(1 << 20, 1).build();
		this.exporter.export(TestSpans.batch(2));
		await().atMost(WAIT).until(() -> this.primary.attempts() == 1);
		CompletableResultCode first = this.exporter.shutdown();
		CompletableResultCode second = this.exporter.shutdown();
		assertThat(second).isSameAs(first);
		assertThat(second.isDone()).isFalse();
		slow.complete(TestOtlpResponses.http(200));
		assertThat(second.join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
	}

	@Test
	void whatIsStillBufferedWhenTheDrainBudgetEndsIsDroppedAsShutdown() {
		this.primary.otherwise(() -> new CompletableFuture<>());
		this.exporter = builder().buffer(1 << 20, 1).drainTimeout(Duration.ofMillis(100)).build();
		this.exporter.export(TestSpans.batch(2));
		await().atMost(WAIT).until(() -> this.primary.attempts() == 1);
		this.exporter.export(TestSpans.batch(3));
		try (LogCapture log = LogCapture.of(List.of(ResilientSpanExporter.class.getName()))) {
			// the attempt in flight fails as its transport closes; the waiting batch
			// never goes
			assertThat(this.exporter.shutdown().join(10, TimeUnit.SECONDS).isDone()).isTrue();
			ExportSnapshot snapshot = this.exporter.statistics().snapshot();
			assertThat(snapshot.droppedByReason()).containsExactly(Map.entry(DropReason.SHUTDOWN, 5L));
			ResilientSpanExporterTests.assertIdentity(snapshot, 5);
			assertThat(log.lines()).anyMatch((line) -> line.startsWith("WARNING 3 spans were still buffered"));
		}
		assertThat(this.primary.attempts()).isOne();
	}

	private ResilientSpanExporterBuilder builder() {
		return ResilientSpanExporter
			.builder(this.primary, ExporterDescription.primary("http://localhost:4317", OtlpProtocol.GRPC))
			.retryPolicy(RetryPolicy.builder().maxAttempts(2).initialBackoff(Duration.ofMillis(10)).jitter(0).build())
			.attemptTimeout(Duration.ofSeconds(30))
			.ticker(this.time)
			.clock(this.time);
	}

}
