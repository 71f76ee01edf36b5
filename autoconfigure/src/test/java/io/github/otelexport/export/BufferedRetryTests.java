package io.github.otelexport.export;

import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.export.transport.OtlpResponse;
import io.github.otelexport.export.transport.TestOtlpResponses;
import io.github.otelexport.stats.CircuitState;
import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportErrorCategory;
import io.github.otelexport.stats.ExportSnapshot;
import io.github.otelexport.stats.ExporterDescription;
import io.github.otelexport.testkit.OtlpReceiver;
import io.github.otelexport.testkit.OtlpReceiverExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests that a buffered batch whose next attempt must wait waits in the buffer, not in a
 * sender: the senders take the other batches meanwhile.
 *
 * @author otel-export authors
 */
class BufferedRetryTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final int SENDERS = 3;

	@RegisterExtension
	static final OtlpReceiverExtension receiverExtension = new OtlpReceiverExtension();

	private final ScriptedTransport primary = new ScriptedTransport();

	/**
	 * Stands still unless a test, or a {@link TestSleeper}, moves it.
	 */
	private final TestTime time = new TestTime();

	@TempDir
	Path directory;

	private ResilientSpanExporter exporter;

	@AfterEach
	void shutdown() {
		if (this.exporter != null) {
			this.exporter.shutdown().join(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void aBatchWaitingForTheServersDelayDoesNotHoldTheNextBatch() {
		CompletableFuture<OtlpResponse> throttled = new CompletableFuture<>();
		List<Duration> sentAt = new CopyOnWriteArrayList<>();
		this.primary.then(at(sentAt, ScriptedTransport.pending(throttled)))
			.otherwise(at(sentAt, ScriptedTransport.success()));
		this.exporter = builder(policy(Duration.ofMillis(10))).sleeper(new TestSleeper(this.time))
			.buffer(1 << 20, 1)
			.build();
		this.exporter.export(TestSpans.batch(2));
		await().atMost(WAIT).until(() -> this.primary.attempts() == 1);
		this.exporter.export(TestSpans.batch(3));
		throttled.complete(TestOtlpResponses.http(429, Duration.ofSeconds(30)));
		assertThat(this.exporter.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		// the only sender took the next batch while the first waited for its 30s
		assertThat(this.primary.requestSpans()).containsExactly(2, 3, 2);
		// the next one kept the server's pause for the destination, at most the longest
		// backoff (5s)
		assertThat(sentAt).containsExactly(Duration.ZERO, Duration.ofSeconds(5), Duration.ofSeconds(30));
		ExportSnapshot snapshot = this.exporter.statistics().snapshot();
		assertThat(snapshot.exporters().get(0).exportedSpans()).isEqualTo(5);
		ResilientSpanExporterTests.assertIdentity(snapshot, 5);
	}

	@Test
	void aProbeThatWouldWaitForTheServersPauseEndsAsFailedRatherThanHoldTheCircuitHalfOpen() {
		ScriptedTransport fallback = new ScriptedTransport().otherwise(ScriptedTransport.success());
		this.primary.then(ScriptedTransport.answer(TestOtlpResponses.http(429, Duration.ofSeconds(3))))
			.otherwise(ScriptedTransport.success());
		TestSleeper sleeper = new TestSleeper(this.time);
		List<CircuitState> whileWaiting = new CopyOnWriteArrayList<>();
		this.exporter = builder(RetryPolicy.builder()
			.maxAttempts(1)
			.initialBackoff(Duration.ofMillis(10))
			.jitter(0)
			.maxElapsedTime(Duration.ofMinutes(10))
			.build())
			.fallback(fallback,
					ExporterDescription.fallback("http://fallback:4318/v1/traces", OtlpProtocol.HTTP_PROTOBUF))
			.failureThreshold(1)
			.probeInterval(Duration.ofSeconds(1))
			.sleeper(sleeper)
			.buffer(1 << 20, 1)
			.build();
		sleeper.onSleep(() -> whileWaiting.add(this.exporter.circuitState()));
		// throttled for 3s: the circuit opens and the batch goes to the fallback
		this.exporter.export(TestSpans.batch(2));
		assertThat(this.exporter.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		assertThat(this.exporter.circuitState()).isEqualTo(CircuitState.OPEN);
		this.time.advance(Duration.ofSeconds(1));
		// the probe finds the primary paused for 2s more
		this.exporter.export(TestSpans.batch(3));
		assertThat(this.exporter.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		assertThat(whileWaiting).containsExactly(CircuitState.OPEN);
		assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(2));
		assertThat(this.primary.requestSpans()).containsExactly(2, 3);
		assertThat(fallback.requestSpans()).containsExactly(2);
		assertThat(this.exporter.circuitState()).isEqualTo(CircuitState.CLOSED);
		ResilientSpanExporterTests.assertIdentity(this.exporter.statistics().snapshot(), 5);
	}

	@Test
	void batchesHeldBackByAFailingDestinationWaitInTheBufferAndShutdownCountsThem() {
		OtlpReceiver receiver = receiverExtension.get();
		receiver.respondWithHttpStatus(503);
		ExporterSettings settings = ExporterSettings
			.of(DestinationRole.PRIMARY, OtlpProtocol.HTTP_PROTOBUF, receiver.httpEndpoint())
			.withTimeout(Duration.ofSeconds(5));
		ParkingSleeper sleeper = new ParkingSleeper();
		// a minute's backoff on the stopped test time: the waiting batches never come due
		this.exporter = ResilientSpanExporter.builder(OtlpTransports.create(settings), settings.description())
			.retryPolicy(policy(Duration.ofMinutes(1)))
			.ticker(this.time)
			.clock(this.time)
			.sleeper(sleeper)
			.buffer(1 << 20, SENDERS)
			.drainTimeout(Duration.ofMillis(100))
			.build();
		for (int i = 0; i < 2 * SENDERS; i++) {
			this.exporter.export(TestSpans.batch(2));
		}
		// every sender waits for a batch to come due: none holds one
		await().atMost(WAIT).until(() -> sleeper.sleeping() == SENDERS);
		ExportSnapshot waiting = this.exporter.statistics().snapshot();
		assertThat(waiting.errorsByCategory().get(ExportErrorCategory.UNAVAILABLE)).isBetween(1L, (long) SENDERS);
		assertThat(waiting.buffer().batches()).isEqualTo(2 * SENDERS);
		assertThat(waiting.buffer().spans()).isEqualTo(4 * SENDERS);
		assertThat(waiting.spansInFlight()).isEqualTo(4 * SENDERS);
		try (LogCapture log = LogCapture.of(List.of(ResilientSpanExporter.class.getName()))) {
			assertThat(this.exporter.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
			ExportSnapshot stopped = this.exporter.statistics().snapshot();
			assertThat(stopped.droppedByReason()).containsExactly(Map.entry(DropReason.SHUTDOWN, 4L * SENDERS));
			ResilientSpanExporterTests.assertIdentity(stopped, 4 * SENDERS);
			assertThat(log.lines()).filteredOn((line) -> line.contains("still buffered"))
				.containsExactly("WARNING " + 4 * SENDERS + " spans were still buffered when the exporter stopped, "
						+ "100ms after it was asked to: they are dropped");
		}
		assertThat(receiver.spanCount()).isZero();
	}

	@Test
	void aDestinationThatIsDownGetsAtMostOneAttemptPerSenderPerBackoffWhateverTheBufferHolds() {
		int batches = 8 * SENDERS;
		this.primary.otherwise(ScriptedTransport.failure(new ConnectException("Connection refused")));
		ParkingSleeper sleeper = new ParkingSleeper();
		this.exporter = builder(policy(Duration.ofSeconds(1))).sleeper(sleeper).buffer(1 << 20, SENDERS).build();
		for (int i = 0; i < batches; i++) {
			this.exporter.export(TestSpans.batch(2));
		}
		List<Integer> attemptsPerBackoff = new ArrayList<>();
		int attemptsBefore = 0;
		for (Duration backoff : List.of(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(2),
				Duration.ofSeconds(4))) {
			this.time.advance(backoff);
			sleeper.nudge();
			// every sender waits for a batch to come due: none holds one, none is fresh
			await().atMost(WAIT)
				.until(() -> sleeper.sleeping() == SENDERS && this.primary.attempts() > 0
						&& this.exporter.statistics().snapshot().buffer().batches() == batches);
			attemptsPerBackoff.add(this.primary.attempts() - attemptsBefore);
			attemptsBefore = this.primary.attempts();
		}
		// the first failure holds the destination back: only attempts already under way
		// when it failed went on
		assertThat(attemptsPerBackoff).allSatisfy((attempts) -> assertThat(attempts).isBetween(1, SENDERS));
		assertThat(this.exporter.statistics().snapshot().droppedByReason()).isEmpty();
		this.primary.otherwise(ScriptedTransport.success());
		this.time.advance(Duration.ofSeconds(8));
		sleeper.nudge();
		// the first success releases the destination: the backlog drains at once
		await().atMost(WAIT).until(() -> this.primary.exportedSpans() == 2 * batches);
		assertThat(this.time.elapsed()).isEqualTo(Duration.ofSeconds(15));
		assertThat(this.exporter.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		ResilientSpanExporterTests.assertIdentity(this.exporter.statistics().snapshot(), 2 * batches);
	}

	@Test
	void aSignalTheDestinationFailsHoldsBackThatSignalOnly() {
		// a destination whose log records pipeline is overloaded while spans go through
		this.primary.logRecordsAnswer(ScriptedTransport.status(503));
		ParkingSleeper sleeper = new ParkingSleeper();
		this.exporter = builder(policy(Duration.ofSeconds(1))).sleeper(sleeper).buffer(1 << 20, SENDERS).build();
		this.exporter.logRecordExporter().export(TestLogs.batch(2));
		await().atMost(WAIT)
			.until(() -> sleeper.sleeping() == SENDERS && this.primary.logRecordAttempts() == 1
					&& this.exporter.statistics().snapshot().buffer().batches() == 1);
		for (int i = 0; i < 4; i++) {
			this.exporter.export(TestSpans.batch(3));
		}
		// the spans are not held back by the log records' failure: they go at once
		await().atMost(WAIT).until(() -> this.primary.exportedSpans() == 12);
		// and their success does not make the log records' retry come early
		await().atMost(WAIT)
			.until(() -> sleeper.sleeping() == SENDERS
					&& this.exporter.statistics().snapshot().buffer().batches() == 1);
		assertThat(this.primary.logRecordAttempts()).isEqualTo(1);
		assertThat(this.time.elapsed()).isZero();
		this.primary.logRecordsAnswer(ScriptedTransport.success());
		this.time.advance(Duration.ofSeconds(1));
		sleeper.nudge();
		await().atMost(WAIT).until(() -> this.primary.exportedLogRecords() == 2);
		assertThat(this.primary.logRecordAttempts()).isEqualTo(2);
		ResilientSpanExporterTests.assertIdentity(this.exporter.statistics().snapshot(), 12);
	}

	@Test
	void aRecoveringDestinationMakesTheBatchesWaitingOutABackoffGoAtOnce() {
		CompletableFuture<OtlpResponse> slow = new CompletableFuture<>();
		this.primary.then(ScriptedTransport.pending(slow))
			.then(2, ScriptedTransport.status(503))
			.otherwise(ScriptedTransport.success());
		// a real sleeper on the test time: only a nudge or the time ends its waits early
		this.exporter = builder(policy(Duration.ofSeconds(1))).buffer(1 << 20, 2).build();
		this.exporter.export(TestSpans.batch(2));
		await().atMost(WAIT).until(() -> this.primary.attempts() == 1);
		this.exporter.export(TestSpans.batch(3));
		await().atMost(WAIT).until(() -> this.primary.attempts() == 2);
		// its second attempt after the first backoff (1s); the next one would wait 2s
		// more
		this.time.advance(Duration.ofMillis(1500));
		await().atMost(WAIT).until(() -> this.primary.attempts() == 3);
		await().atMost(WAIT).until(() -> this.exporter.statistics().snapshot().buffer().batches() == 1);
		// the destination answers again after failing for 1.5s
		slow.complete(TestOtlpResponses.http(200));
		await().atMost(WAIT).until(() -> this.primary.exportedSpans() == 5);
		assertThat(this.primary.requestSpans()).containsExactly(2, 3, 3, 3);
		assertThat(this.time.elapsed()).isEqualTo(Duration.ofMillis(1500));
		assertThat(this.exporter.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		ResilientSpanExporterTests.assertIdentity(this.exporter.statistics().snapshot(), 5);
	}

	@Test
	void batchesWaitingAtShutdownStayOnDiskForTheNextStart() {
		this.primary.otherwise(ScriptedTransport.status(503));
		ParkingSleeper sleeper = new ParkingSleeper();
		this.exporter = builder(policy(Duration.ofMinutes(1))).sleeper(sleeper)
			.buffer(1 << 20, 2)
			.diskBuffer(this.directory, 1 << 20)
			.drainTimeout(Duration.ofMillis(100))
			.build();
		this.exporter.export(TestSpans.batch(2));
		this.exporter.export(TestSpans.batch(3));
		// both senders wait for a batch to come due: both batches wait in the buffer
		await().atMost(WAIT)
			.until(() -> sleeper.sleeping() == 2 && this.primary.attempts() > 0
					&& this.exporter.statistics().snapshot().buffer().batches() == 2);
		assertThat(this.exporter.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		ExportSnapshot stopped = this.exporter.statistics().snapshot();
		assertThat(stopped.droppedByReason()).isEmpty();
		assertThat(stopped.spansInFlight()).as("kept on disk").isEqualTo(5);
		ScriptedTransport next = new ScriptedTransport().otherwise(ScriptedTransport.success());
		this.exporter = ResilientSpanExporter
			.builder(next, ExporterDescription.primary("http://localhost:4317", OtlpProtocol.GRPC))
			.ticker(this.time)
			.clock(this.time)
			.buffer(1 << 20, 1)
			.diskBuffer(this.directory, 1 << 20)
			.build();
		assertThat(this.exporter.statistics().snapshot().spansRecovered()).isEqualTo(5);
		assertThat(this.exporter.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		assertThat(next.requestSpans()).containsExactlyInAnyOrder(2, 3);
		ExportSnapshot sent = this.exporter.statistics().snapshot();
		assertThat(sent.droppedByReason()).isEmpty();
		assertThat(sent.spansExported()).isEqualTo(5);
		assertThat(sent.spansInFlight()).isZero();
	}

	@Test
	void theBudgetEndsABatchThatKeepsFailingWhenItWould() {
		this.primary.otherwise(ScriptedTransport.failure(new ConnectException("Connection refused")));
		TestSleeper sleeper = new TestSleeper(this.time);
		this.exporter = builder(RetryPolicy.builder()
			.maxAttempts(2)
			.initialBackoff(Duration.ofMillis(10))
			.jitter(0)
			.maxElapsedTime(Duration.ofSeconds(30))
			.build()).sleeper(sleeper).buffer(1 << 20, 1).build();
		this.exporter.export(TestSpans.batch(4));
		assertThat(this.exporter.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		ExportSnapshot snapshot = this.exporter.statistics().snapshot();
		assertThat(snapshot.droppedByReason()).containsExactly(Map.entry(DropReason.RETRIES_EXHAUSTED, 4L));
		// six rounds of two attempts, the backoff going on between them up to its 5s
		// cap; a seventh round would not leave an attempt's time (15s) before the 30s
		assertThat(this.primary.attempts()).isEqualTo(12);
		assertThat(sleeper.sleeps()).containsExactly(millis(10), millis(20), millis(40), millis(80), millis(160),
				millis(320), millis(640), millis(1280), millis(2560), millis(5000), millis(5000));
		assertThat(this.time.elapsed()).isEqualTo(millis(15110));
		ResilientSpanExporterTests.assertIdentity(snapshot, 4);
	}

	private static Duration millis(long millis) {
		return Duration.ofMillis(millis);
	}

	private Supplier<CompletableFuture<OtlpResponse>> at(List<Duration> times,
			Supplier<CompletableFuture<OtlpResponse>> answer) {
		return () -> {
			times.add(this.time.elapsed());
			return answer.get();
		};
	}

	private static RetryPolicy policy(Duration initialBackoff) {
		return RetryPolicy.builder()
			.maxAttempts(5)
			.initialBackoff(initialBackoff)
			.maxBackoff(Duration.ofSeconds(5).compareTo(initialBackoff) > 0 ? Duration.ofSeconds(5)
					: initialBackoff.multipliedBy(2))
			.jitter(0)
			.maxElapsedTime(Duration.ofMinutes(10))
			.build();
	}

	private ResilientSpanExporterBuilder builder(RetryPolicy policy) {
		return ResilientSpanExporter
			.builder(this.primary, ExporterDescription.primary("http://localhost:4317", OtlpProtocol.GRPC))
			.retryPolicy(policy)
			.attemptTimeout(Duration.ofSeconds(30))
			.ticker(this.time)
			.clock(this.time);
	}

}
