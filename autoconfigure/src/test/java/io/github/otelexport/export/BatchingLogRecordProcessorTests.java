package io.github.otelexport.export;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.export.transport.Signal;
import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportRecorder;
import io.github.otelexport.stats.ExportSnapshot;
import io.github.otelexport.stats.ExportStatistics;
import io.github.otelexport.stats.ExporterDescription;
import io.github.otelexport.testkit.OtlpReceiver;
import io.github.otelexport.testkit.OtlpReceiverExtension;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.LogRecordProcessor;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link BatchingLogRecordProcessor}: batches cut as for spans, every log
 * record counted (received, queue full, shutdown), and the pipeline of log records from
 * an {@link SdkLoggerProvider} to the testkit's receiver through the engine.
 *
 * @author otel-export authors
 */
class BatchingLogRecordProcessorTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final Duration NEVER = Duration.ofHours(1);

	@RegisterExtension
	static final OtlpReceiverExtension receiverExtension = new OtlpReceiverExtension();

	private final TestTime time = new TestTime();

	private final ExportRecorder recorder = new ExportRecorder(
			List.of(ExporterDescription.primary("http://localhost:4317", OtlpProtocol.GRPC)), 10, this.time, this.time,
			(message, ex) -> {
			});

	private final ExportStatistics statistics = this.recorder.statistics();

	private final RecordingExporter exporter = new RecordingExporter();

	private final Set<Thread> threadsBefore = batchingThreads();

	private final List<SdkLoggerProvider> loggerProviders = new ArrayList<>();

	@AfterEach
	void closeLoggerProviders() {
		this.loggerProviders.forEach((provider) -> provider.shutdown().join(10, TimeUnit.SECONDS));
	}

	@Test
	void cutsABatchOnceItIsFullAndFlushesTheRest() {
		BatchingLogRecordProcessor processor = processor(new BatchSettings(4, 100, NEVER, Duration.ofSeconds(5)));
		emit(logger(processor), "log", 10);
		await().atMost(WAIT).until(() -> this.exporter.batchSizes().size() == 2);
		assertThat(processor.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		assertThat(this.exporter.batchSizes()).containsExactly(4, 4, 2);
		assertThat(this.exporter.bodies()).startsWith("log-0", "log-1").endsWith("log-9");
		assertThat(this.statistics.snapshot().spansReceived()).isEqualTo(10);
	}

	@Test
	void fullQueueDropsAreCountedExactly() {
		CountDownLatch release = new CountDownLatch(1);
		this.exporter.blockUntil(release);
		BatchingLogRecordProcessor processor = processor(new BatchSettings(2, 4, NEVER, Duration.ofSeconds(30)));
		Logger logger = logger(processor);
		emit(logger, "first", 2);
		// the worker is stuck exporting the first batch: the queue takes four more
		await().atMost(WAIT).until(() -> this.exporter.calls() == 1);
		emit(logger, "more", 10);
		release.countDown();
		assertThat(processor.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		ExportSnapshot snapshot = this.statistics.snapshot();
		assertThat(snapshot.spansReceived()).isEqualTo(12);
		assertThat(snapshot.droppedByReason()).containsExactly(Map.entry(DropReason.QUEUE_FULL, 6L));
		assertThat(this.exporter.bodies()).hasSize(6).contains("more-0", "more-3").doesNotContain("more-4");
	}

	@Test
	void onlyTheLibrarysOwnLoggersAreFilteredNotAnApplicationUnderTheSameBasePackage() {
		BatchingLogRecordProcessor processor = processor(new BatchSettings(100, 100, NEVER, Duration.ofSeconds(5)));
		SdkLoggerProvider provider = SdkLoggerProvider.builder().addLogRecordProcessor(processor).build();
		this.loggerProviders.add(provider);
		for (String own : List.of("io.github.otelexport.export.ResilientSpanExporter",
				"io.github.otelexport.export.store.DiskLog", "io.github.otelexport.autoconfigure.ExporterBeans",
				"io.github.otelexport.actuate.OtelExportHealthIndicator", "io.github.otelexport.stats.ExportStatistics",
				"io.github.otelexport.diagnose.EndpointProber", "io.github.otelexport.export")) {
			provider.get(own).logRecordBuilder().setBody("own " + own).emit();
		}
		for (String application : List.of("io.github.otelexport.sample.PlaygroundController",
				"io.github.otelexport.sample.OrderTests", "io.github.otelexport.exports.Report",
				"io.github.otelexport.statistics", "com.example.Orders")) {
			provider.get(application).logRecordBuilder().setBody(application).emit();
		}
		assertThat(processor.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		assertThat(this.exporter.bodies()).containsExactly("io.github.otelexport.sample.PlaygroundController",
				"io.github.otelexport.sample.OrderTests", "io.github.otelexport.exports.Report",
				"io.github.otelexport.statistics", "com.example.Orders");
		ExportSnapshot snapshot = this.statistics.snapshot();
		assertThat(snapshot.spansReceived()).isEqualTo(12);
		assertThat(snapshot.droppedByReason()).containsExactly(Map.entry(DropReason.FILTERED, 7L));
	}

	@Test
	void shutdownExportsWhatIsQueuedShutsTheExporterDownAndCountsLaterRecords() {
		BatchingLogRecordProcessor processor = processor(new BatchSettings(100, 100, NEVER, Duration.ofSeconds(5)));
		Logger logger = logger(processor);
		emit(logger, "log", 3);
		assertThat(processor.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		assertThat(this.exporter.batchSizes()).containsExactly(3);
		assertThat(this.exporter.shutdowns.get()).isEqualTo(1);
		emit(logger, "late", 2);
		assertThat(this.statistics.snapshot().droppedByReason()).containsExactly(Map.entry(DropReason.SHUTDOWN, 2L));
		await().atMost(WAIT).until(() -> newBatchingThreads().isEmpty());
	}

	@Test
	void logRecordsOfALoggerProviderReachTheReceiverThroughTheEngineCountedOnce() {
		OtlpReceiver receiver = receiverExtension.get();
		ExporterSettings settings = ExporterSettings.of(DestinationRole.PRIMARY, OtlpProtocol.HTTP_PROTOBUF,
				receiver.httpEndpoint());
		ResilientSpanExporter exporter = ResilientSpanExporter
			.builder(OtlpTransports.create(settings), settings.description())
			.buffer(1 << 20, 2)
			.build();
		LogRecordProcessor processor = ExportPipeline.createForLogs(exporter,
				new BatchSettings(512, 2048, Duration.ofMillis(20), Duration.ofSeconds(30)));
		SdkLoggerProvider provider = SdkLoggerProvider.builder().addLogRecordProcessor(processor).build();
		emit(provider.get("checkout"), "order", 25);
		assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		assertThat(exporter.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		assertThat(receiver.logRecordCount()).isEqualTo(25);
		ExportSnapshot snapshot = exporter.statistics(Signal.LOGS).snapshot();
		assertThat(snapshot.queue().capacity()).isEqualTo(2048);
		ResilientSpanExporterTests.assertIdentity(snapshot, 25);
		assertThat(exporter.shutdown().isSuccess()).as("the log records keep the engine").isTrue();
		assertThat(provider.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		assertThat(exporter.isShutdown()).isTrue();
		ResilientSpanExporterTests.assertIdentity(exporter.statistics(Signal.LOGS).snapshot(), 25);
	}

	private List<Thread> newBatchingThreads() {
		return batchingThreads().stream().filter((thread) -> !this.threadsBefore.contains(thread)).toList();
	}

	private static Set<Thread> batchingThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.isAlive() && thread.getName().equals(BatchingLogRecordProcessor.THREAD_NAME))
			.collect(Collectors.toSet());
	}

	private BatchingLogRecordProcessor processor(BatchSettings settings) {
		return new BatchingLogRecordProcessor(this.exporter, this.recorder, settings, this.time);
	}

	private Logger logger(BatchingLogRecordProcessor processor) {
		SdkLoggerProvider provider = SdkLoggerProvider.builder().addLogRecordProcessor(processor).build();
		this.loggerProviders.add(provider);
		return provider.get("test");
	}

	private static void emit(Logger logger, String prefix, int count) {
		for (int i = 0; i < count; i++) {
			logger.logRecordBuilder().setBody(prefix + "-" + i).emit();
		}
	}

	/**
	 * Keeps the batches it receives; may hold its first call until a latch opens.
	 */
	private static final class RecordingExporter implements LogRecordExporter {

		private final List<List<LogRecordData>> batches = new CopyOnWriteArrayList<>();

		private final AtomicInteger calls = new AtomicInteger();

		private final AtomicInteger shutdowns = new AtomicInteger();

		private volatile CountDownLatch block;

		void blockUntil(CountDownLatch latch) {
			this.block = latch;
		}

		@Override
		public CompletableResultCode export(Collection<LogRecordData> logs) {
			this.calls.incrementAndGet();
			CountDownLatch latch = this.block;
			if (latch != null) {
				this.block = null;
				try {
					latch.await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			this.batches.add(List.copyOf(logs));
			return CompletableResultCode.ofSuccess();
		}

		int calls() {
			return this.calls.get();
		}

		List<Integer> batchSizes() {
			return this.batches.stream().map(List::size).toList();
		}

		List<String> bodies() {
			return this.batches.stream().flatMap(List::stream).map((log) -> log.getBodyValue().asString()).toList();
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

}
