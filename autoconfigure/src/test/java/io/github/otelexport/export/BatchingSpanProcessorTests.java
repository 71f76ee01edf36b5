package io.github.otelexport.export;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.export.transport.TestOtlpResponses;
import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportRecorder;
import io.github.otelexport.stats.ExportSnapshot;
import io.github.otelexport.stats.ExportStatistics;
import io.github.otelexport.stats.ExporterDescription;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link BatchingSpanProcessor}: how batches are cut, what a full queue, a
 * flush and a shutdown do, and that every span it is handed is counted.
 *
 * @author otel-export authors
 */
class BatchingSpanProcessorTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final Duration NEVER = Duration.ofHours(1);

	private final TestTime time = new TestTime();

	private final ExportRecorder recorder = new ExportRecorder(
			List.of(ExporterDescription.primary("http://localhost:4317", OtlpProtocol.GRPC)), 10, this.time, this.time,
			(message, ex) -> {
			});

	private final ExportStatistics statistics = this.recorder.statistics();

	private final RecordingExporter exporter = new RecordingExporter();

	private final Set<Thread> threadsBefore = batchingThreads();

	private final List<SdkTracerProvider> tracerProviders = new ArrayList<>();

	@AfterEach
	void closeTracerProviders() {
		this.tracerProviders.forEach((tracerProvider) -> tracerProvider.shutdown().join(10, TimeUnit.SECONDS));
	}

	@Test
	void cutsABatchOnceItIsFull() {
		BatchingSpanProcessor processor = processor(new BatchSettings(4, 100, NEVER, Duration.ofSeconds(5)));
		endSpans(tracer(processor), 10);
		await().atMost(WAIT).until(() -> this.exporter.batchSizes().size() == 2);
		assertThat(this.exporter.batchSizes()).containsExactly(4, 4);
		// the last two wait for the schedule delay, which time never reaches
		await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> this.exporter.batchSizes().size() == 2);
		assertThat(processor.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		assertThat(this.exporter.batchSizes()).containsExactly(4, 4, 2);
	}

	@Test
	void cutsABatchOnceTheScheduleDelayHasPassed() {
		BatchingSpanProcessor processor = processor(new BatchSettings(512, 2048, Duration.ofMillis(50), WAIT));
		endSpans(tracer(processor), 3);
		// the worker wakes every 50ms of real time, but the injected time stands still
		await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> this.exporter.batchSizes().isEmpty());
		this.time.advance(Duration.ofMillis(50));
		await().atMost(WAIT).until(() -> this.exporter.batchSizes().size() == 1);
		assertThat(this.exporter.batchSizes()).containsExactly(3);
	}

	@Test
	void forceFlushExportsEverythingQueuedBeforeItCompletes() {
		BatchingSpanProcessor processor = processor(new BatchSettings(5, 100, NEVER, WAIT));
		endSpans(tracer(processor), 23);
		assertThat(processor.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		assertThat(this.exporter.spanNames()).hasSize(23).doesNotHaveDuplicates();
		assertThat(this.exporter.batchSizes()).allMatch((size) -> size <= 5);
		ExportSnapshot snapshot = this.statistics.snapshot();
		assertThat(snapshot.spansReceived()).isEqualTo(23);
		assertThat(snapshot.queue().size()).isZero();
	}

	@Test
	void fullQueueDropsAreCountedExactlyWhileManyThreadsEndSpans() throws Exception {
		ScriptedTransport transport = new ScriptedTransport();
		CountDownLatch exporting = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		transport.then(() -> {
			exporting.countDown();
			awaitQuietly(release);
			return CompletableFuture.completedFuture(TestOtlpResponses.http(200));
		});
		transport.otherwise(() -> CompletableFuture.completedFuture(TestOtlpResponses.http(200)));
		ResilientSpanExporter resilient = ResilientSpanExporter
			.builder(transport, ExporterDescription.primary("http://localhost:4317", OtlpProtocol.GRPC))
			.retryPolicy(RetryPolicy.disabled())
			.build();
		// not a power of two: the queue holds exactly what it is given
		BatchingSpanProcessor processor = ExportPipeline.create(resilient,
				new BatchSettings(10, 100, NEVER, Duration.ofSeconds(30)));
		Tracer tracer = tracer(processor);
		endSpans(tracer, 10);
		assertThat(exporting.await(10, TimeUnit.SECONDS)).isTrue();
		try {
			// the worker is held in the first batch: 100 of these fit, the rest do not
			List<Thread> threads = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				Thread thread = new Thread(() -> endSpans(tracer, 1_000));
				threads.add(thread);
				thread.start();
			}
			for (Thread thread : threads) {
				thread.join(TimeUnit.SECONDS.toMillis(30));
			}
			ExportSnapshot held = resilient.statistics().snapshot();
			assertThat(held.spansReceived()).isEqualTo(4_010);
			assertThat(held.queue().size()).isEqualTo(100);
			assertThat(held.queue().capacity()).isEqualTo(100);
			assertThat(held.droppedByReason())
				.containsExactly(org.assertj.core.api.Assertions.entry(DropReason.QUEUE_FULL, 3_900L));
			assertThat(held.spansInFlight()).isEqualTo(110);
			assertThat(held.spansExported() + held.spansDropped() + held.spansInFlight())
				.isEqualTo(held.spansReceived());
		}
		finally {
			release.countDown();
		}
		assertThat(processor.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		ExportSnapshot snapshot = resilient.statistics().snapshot();
		assertThat(snapshot.spansExported()).isEqualTo(110);
		ResilientSpanExporterTests.assertIdentity(snapshot, 4_010);
	}

	@Test
	void shutdownExportsWhatIsQueuedOnceAndEndsTheThread() {
		BatchingSpanProcessor processor = processor(new BatchSettings(5, 100, NEVER, WAIT));
		endSpans(tracer(processor), 7);
		assertThat(newBatchingThreads()).hasSize(1);
		CompletableResultCode first = processor.shutdown();
		assertThat(first.join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		assertThat(processor.shutdown()).isSameAs(first);
		assertThat(this.exporter.spanNames()).hasSize(7);
		assertThat(this.exporter.shutdowns).hasValue(1);
		await().atMost(WAIT).until(() -> newBatchingThreads().isEmpty());
		// a flush after the shutdown does not wait for the thread that is gone
		assertThat(processor.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
	}

	@Test
	void shutdownWakesAWorkerThatWaitsForTheScheduleDelay() {
		BatchingSpanProcessor processor = processor(new BatchSettings(5, 100, NEVER, WAIT));
		endSpans(tracer(processor), 2);
		// the injected time never reaches the delay and the real wait is an hour
		assertThat(processor.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		assertThat(this.exporter.batchSizes()).containsExactly(2);
	}

	@Test
	void spansEndedAfterShutdownAreCountedAsShutdown() {
		BatchingSpanProcessor processor = processor(new BatchSettings(5, 100, NEVER, WAIT));
		Tracer tracer = tracer(processor);
		endSpans(tracer, 2);
		assertThat(processor.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		endSpans(tracer, 3);
		ExportSnapshot snapshot = this.statistics.snapshot();
		assertThat(snapshot.spansReceived()).isEqualTo(5);
		assertThat(snapshot.droppedByReason())
			.containsExactly(org.assertj.core.api.Assertions.entry(DropReason.SHUTDOWN, 3L));
		assertThat(this.exporter.spanNames()).hasSize(2);
	}

	@Test
	void spansThatEndWhileItShutsDownAreEachExportedOrCounted() throws Exception {
		BatchingSpanProcessor processor = processor(new BatchSettings(64, 100_000, NEVER, WAIT));
		Tracer tracer = tracer(processor);
		int threads = 4;
		CountDownLatch started = new CountDownLatch(threads);
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> producers = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				producers.add(executor.submit(() -> {
					started.countDown();
					endSpans(tracer, 20_000);
				}));
			}
			started.await(10, TimeUnit.SECONDS);
			assertThat(processor.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
			for (Future<?> producer : producers) {
				producer.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
		ExportSnapshot snapshot = this.statistics.snapshot();
		long dropped = snapshot.droppedByReason().values().stream().mapToLong(Long::longValue).sum();
		assertThat(snapshot.spansReceived()).isEqualTo(threads * 20_000L);
		assertThat(this.exporter.spanNames().size() + dropped).isEqualTo(snapshot.spansReceived());
		assertThat(snapshot.queue().size()).isZero();
	}

	@Test
	void aFlushReturnsOnlyOnceTheSpansEndedBeforeItWereHandedOver() throws Exception {
		BatchingSpanProcessor processor = processor(new BatchSettings(512, 100_000, NEVER, WAIT));
		Tracer tracer = tracer(processor);
		ExecutorService executor = Executors.newFixedThreadPool(4);
		try {
			List<Future<List<String>>> flushers = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				int thread = i;
				flushers.add(executor.submit(() -> {
					List<String> missing = new ArrayList<>();
					for (int n = 0; n < 300; n++) {
						String name = "flush-" + thread + "-" + n;
						tracer.spanBuilder(name).startSpan().end();
						processor.forceFlush().join(10, TimeUnit.SECONDS);
						if (!this.exporter.names.contains(name)) {
							missing.add(name);
						}
					}
					return missing;
				}));
			}
			for (Future<List<String>> flusher : flushers) {
				assertThat(flusher.get(60, TimeUnit.SECONDS)).isEmpty();
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void aWorkerThatDiesLeavesNothingWaitingAndCountsWhatComesLater() {
		this.exporter.then((spans) -> {
			throw new InternalError("the exporter brought the thread down");
		});
		try (LogCapture log = LogCapture.of(BatchWorker.class)) {
			BatchingSpanProcessor processor = processor(new BatchSettings(2, 100, NEVER, WAIT));
			Tracer tracer = tracer(processor);
			endSpans(tracer, 2);
			// the error ends the thread, as it should: it is not the test's failure
			await().dontCatchUncaughtExceptions().atMost(WAIT).until(() -> newBatchingThreads().isEmpty());
			endSpans(tracer, 3);
			CompletableResultCode flush = processor.forceFlush().join(10, TimeUnit.SECONDS);
			assertThat(flush.isDone()).isTrue();
			assertThat(flush.isSuccess()).isFalse();
			CompletableResultCode shutdown = processor.shutdown().join(10, TimeUnit.SECONDS);
			assertThat(shutdown.isDone()).isTrue();
			assertThat(shutdown.isSuccess()).isFalse();
			ExportSnapshot snapshot = this.statistics.snapshot();
			assertThat(snapshot.spansReceived()).isEqualTo(5);
			// the two handed to the exporter are the exporter's to count
			assertThat(snapshot.droppedByReason())
				.containsExactly(org.assertj.core.api.Assertions.entry(DropReason.SHUTDOWN, 3L));
			assertThat(snapshot.queue().size()).isZero();
			assertThat(log.lines()).anySatisfy(
					(line) -> assertThat(line).startsWith("SEVERE The batching thread of the span exporter failed"));
		}
	}

	@Test
	void unsampledSpansAreIgnored() {
		BatchingSpanProcessor processor = processor(new BatchSettings(5, 100, NEVER, WAIT));
		SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
			.addSpanProcessor(processor)
			.setSampler(new RecordOnly())
			.build();
		this.tracerProviders.add(tracerProvider);
		endSpans(tracerProvider.get("test"), 5);
		assertThat(processor.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		assertThat(this.statistics.snapshot().spansReceived()).isZero();
		assertThat(this.exporter.batchSizes()).isEmpty();
	}

	@Test
	void anExporterThatThrowsDoesNotStopTheWorker() {
		this.exporter.then((spans) -> {
			throw new IllegalStateException("broken exporter");
		});
		try (LogCapture log = LogCapture.of(BatchWorker.class)) {
			BatchingSpanProcessor processor = processor(new BatchSettings(2, 100, NEVER, WAIT));
			Tracer tracer = tracer(processor);
			endSpans(tracer, 2);
			await().atMost(WAIT).until(() -> this.exporter.calls.get() == 1);
			endSpans(tracer, 2);
			await().atMost(WAIT).until(() -> this.exporter.batchSizes().size() == 1);
			assertThat(log.lines()).anySatisfy(
					(line) -> assertThat(line).startsWith("WARNING The span exporter failed; the next batch goes on")
						.contains("broken exporter"));
		}
	}

	@Test
	void anExporterThatNeverCompletesIsGivenUpAfterTheExportTimeout() {
		CompletableResultCode never = new CompletableResultCode();
		this.exporter.then((spans) -> never);
		try (LogCapture log = LogCapture.of(BatchWorker.class)) {
			BatchingSpanProcessor processor = processor(new BatchSettings(2, 100, NEVER, Duration.ofMillis(200)));
			Tracer tracer = tracer(processor);
			endSpans(tracer, 4);
			await().atMost(WAIT).until(() -> this.exporter.batchSizes().size() == 1);
			assertThat(this.exporter.calls).hasValue(2);
			assertThat(never.isDone()).isFalse();
			assertThat(log.lines())
				.contains("WARNING A batch of 2 spans was not exported within 200ms; the next batch goes on");
		}
	}

	private BatchingSpanProcessor processor(BatchSettings settings) {
		return new BatchingSpanProcessor(this.exporter, this.recorder, settings, this.time);
	}

	private Tracer tracer(BatchingSpanProcessor processor) {
		SdkTracerProvider tracerProvider = SdkTracerProvider.builder().addSpanProcessor(processor).build();
		this.tracerProviders.add(tracerProvider);
		return tracerProvider.get("test");
	}

	private static void endSpans(Tracer tracer, int count) {
		String prefix = Thread.currentThread().getName() + "-";
		for (int i = 0; i < count; i++) {
			tracer.spanBuilder(prefix + i).startSpan().end();
		}
	}

	private List<Thread> newBatchingThreads() {
		return batchingThreads().stream().filter((thread) -> !this.threadsBefore.contains(thread)).toList();
	}

	private static Set<Thread> batchingThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.isAlive() && thread.getName().equals(BatchingSpanProcessor.THREAD_NAME))
			.collect(Collectors.toSet());
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Keeps the batches it receives, after the answers it was given for its first calls.
	 */
	private static final class RecordingExporter implements SpanExporter {

		private final List<List<SpanData>> batches = new CopyOnWriteArrayList<>();

		private final ConcurrentLinkedQueue<Function<Collection<SpanData>, CompletableResultCode>> script = new ConcurrentLinkedQueue<>();

		private final AtomicInteger calls = new AtomicInteger();

		private final AtomicInteger shutdowns = new AtomicInteger();

		private final Set<String> names = ConcurrentHashMap.newKeySet();

		void then(Function<Collection<SpanData>, CompletableResultCode> answer) {
			this.script.add(answer);
		}

		@Override
		public CompletableResultCode export(Collection<SpanData> spans) {
			this.calls.incrementAndGet();
			Function<Collection<SpanData>, CompletableResultCode> answer = this.script.poll();
			if (answer != null) {
				return answer.apply(spans);
			}
			this.batches.add(List.copyOf(spans));
			spans.forEach((span) -> this.names.add(span.getName()));
			return CompletableResultCode.ofSuccess();
		}

		List<Integer> batchSizes() {
			return this.batches.stream().map(List::size).toList();
		}

		List<String> spanNames() {
			return this.batches.stream().flatMap(List::stream).map(SpanData::getName).toList();
		}

		@Override
		public CompletableResultCode flush() {
			return CompletableResultCode.ofSuccess();
		}

		@Override
		public CompletableResultCode shutdown() {
			this.shutdowns.incrementAndGet();
			return CompletableResultCode.ofSuccess();
		}

	}

	/**
	 * Records every span without sampling it, so that the processor sees unsampled spans
	 * end.
	 */
	private static final class RecordOnly implements Sampler {

		@Override
		public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
				Attributes attributes, List<LinkData> parentLinks) {
			return SamplingResult.recordOnly();
		}

		@Override
		public String getDescription() {
			return "RecordOnly";
		}

	}

}
