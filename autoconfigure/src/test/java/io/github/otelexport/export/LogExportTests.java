package io.github.otelexport.export;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.otelexport.export.store.DiskLog;
import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.export.transport.OtlpRequestEncoder;
import io.github.otelexport.export.transport.Signal;
import io.github.otelexport.stats.CircuitState;
import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportErrorCategory;
import io.github.otelexport.stats.ExportSnapshot;
import io.github.otelexport.testkit.OtlpReceiver;
import io.github.otelexport.testkit.OtlpReceiverExtension;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Log records through the engine of a {@link ResilientSpanExporter}, beside spans, to the
 * testkit's real receiver: one buffer, one set of senders and circuits, counted per
 * signal.
 *
 * @author otel-export authors
 */
class LogExportTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	/**
	 * Short backoffs, a long budget: an outage of a few seconds loses nothing.
	 */
	private static final RetryPolicy PATIENT = RetryPolicy.builder()
		.initialBackoff(Duration.ofMillis(20))
		.maxBackoff(Duration.ofMillis(100))
		.maxElapsedTime(Duration.ofMinutes(2))
		.build();

	@RegisterExtension
	static final OtlpReceiverExtension receiverExtension = new OtlpReceiverExtension();

	@RegisterExtension
	static final OtlpReceiverExtension fallbackExtension = new OtlpReceiverExtension();

	@TempDir
	Path directory;

	private ResilientSpanExporter exporter;

	@AfterEach
	void shutdown() {
		if (this.exporter != null) {
			this.exporter.logRecordExporter().shutdown();
			this.exporter.shutdown().join(10, TimeUnit.SECONDS);
		}
	}

	@ParameterizedTest
	@EnumSource(OtlpProtocol.class)
	void logRecordsAndSpansReachTheReceiverCountedApart(OtlpProtocol protocol) {
		OtlpReceiver receiver = receiverExtension.get();
		this.exporter = builder(receiver, protocol).buffer(1 << 20, 2).build();
		LogRecordExporter logs = this.exporter.logRecordExporter();
		assertThat(logs.export(TestLogs.batch("order", 3)).isSuccess()).isTrue();
		assertThat(this.exporter.export(TestSpans.batch(2)).isSuccess()).isTrue();
		assertThat(logs.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		assertThat(receiver.logRecords()).extracting((log) -> log.getBody().getStringValue())
			.containsExactlyInAnyOrder("order-0", "order-1", "order-2");
		assertThat(receiver.spanCount()).isEqualTo(2);
		ExportSnapshot logSnapshot = this.exporter.statistics(Signal.LOGS).snapshot();
		assertThat(logSnapshot.exporters().get(0).exportedSpans()).isEqualTo(3);
		ResilientSpanExporterTests.assertIdentity(logSnapshot, 3);
		ResilientSpanExporterTests.assertIdentity(this.exporter.statistics().snapshot(), 2);
		assertThat(this.exporter.logRecordExporter()).isSameAs(logs);
	}

	@ParameterizedTest
	@EnumSource(OtlpProtocol.class)
	void aBackendThatRefusesLogRecordsFailsThemOverAloneAndTheLineSaysSo(OtlpProtocol protocol) {
		OtlpReceiver receiver = receiverExtension.get();
		OtlpReceiver fallback = fallbackExtension.get();
		// a traces-only backend, as Jaeger's OTLP receiver: 404 on /v1/logs,
		// UNIMPLEMENTED
		receiver.serveOnly(io.github.otelexport.testkit.Signal.TRACES);
		ExporterSettings fallbackSettings = ExporterSettings
			.of(DestinationRole.FALLBACK, OtlpProtocol.GRPC, fallback.grpcEndpoint())
			.withTimeout(Duration.ofSeconds(5));
		try (LogCapture log = LogCapture.of(ResilientSpanExporter.class, FailoverCircuit.class)) {
			this.exporter = builder(receiver, protocol).failureThreshold(2)
				.fallback(OtlpTransports.create(fallbackSettings), fallbackSettings.description())
				.build();
			LogRecordExporter logs = this.exporter.logRecordExporter();
			assertThat(logs.export(TestLogs.batch("refused", 2)).isSuccess()).isTrue();
			assertThat(logs.export(TestLogs.batch("refused", 2)).isSuccess()).isTrue();
			assertThat(this.exporter.export(TestSpans.batch(3)).isSuccess()).isTrue();
			assertThat(this.exporter.export(TestSpans.batch(3)).isSuccess()).isTrue();
			// the log records failed over on their own failures; the spans stay on the
			// primary, which takes them
			assertThat(receiver.spanCount()).isEqualTo(6);
			assertThat(fallback.spanCount()).isZero();
			assertThat(fallback.logRecordCount()).isEqualTo(4);
			ExportSnapshot spans = this.exporter.statistics().snapshot();
			assertThat(spans.circuitState()).isEqualTo(CircuitState.CLOSED);
			assertThat(spans.consecutiveFailures()).isZero();
			assertThat(spans.errorsByCategory()).isEmpty();
			ExportSnapshot logRecords = this.exporter.statistics(Signal.LOGS).snapshot();
			assertThat(logRecords.circuitState()).isEqualTo(CircuitState.OPEN);
			assertThat(logRecords.consecutiveFailures()).isEqualTo(2);
			assertThat(logRecords.lastError().category()).isEqualTo(ExportErrorCategory.INVALID_ENDPOINT);
			assertThat(logRecords.lastError().hint()).contains("does not take OTLP logs")
				.contains("otel.export.logs.enabled=false");
			assertThat(log.lines()).filteredOn((line) -> line.startsWith("WARNING"))
				.anySatisfy((line) -> assertThat(line)
					.startsWith("WARNING Log record export to the primary " + protocol + " exporter")
					.contains("is failing: INVALID_ENDPOINT (")
					.contains("the backend does not take OTLP logs")
					.contains("otel.export.logs.enabled=false"))
				.anySatisfy((line) -> assertThat(line).startsWith("WARNING Sending log records to the fallback"))
				.noneMatch((line) -> line.contains("Span export") || line.contains("Sending spans"));
		}
	}

	@Test
	void aPartialSuccessOfLogRecordsIsSaidInLogRecords() {
		OtlpReceiver receiver = receiverExtension.get();
		receiver.partialSuccess(1, "too old");
		try (LogCapture log = LogCapture.of(ResilientSpanExporter.class)) {
			this.exporter = builder(receiver, OtlpProtocol.GRPC).build();
			assertThat(this.exporter.logRecordExporter().export(TestLogs.batch("old", 3)).isSuccess()).isTrue();
			assertThat(log.lines()).filteredOn((line) -> line.startsWith("WARNING"))
				.singleElement(as(InstanceOfAssertFactories.STRING))
				.startsWith("WARNING Log record export to the primary grpc exporter")
				.contains("rejected 1 log records of batches it accepted (dropped as permanent_error, not retried): "
						+ "REJECTED (Partial success: the backend rejected 1 of 3 log records: too old)");
		}
		assertThat(this.exporter.statistics(Signal.LOGS).snapshot().lastError().message())
			.startsWith("Partial success: the backend rejected 1 of 3 log records");
	}

	@Test
	void anOutageWithBothSignalsBufferedIsDrainedAndEachSignalBalancesExactly() {
		OtlpReceiver receiver = receiverExtension.get();
		receiver.refuseConnections();
		this.exporter = builder(receiver, OtlpProtocol.GRPC).buffer(1 << 20, 4).build();
		LogRecordExporter logs = this.exporter.logRecordExporter();
		for (int i = 0; i < 20; i++) {
			assertThat(logs.export(TestLogs.batch("log" + i, 10)).isSuccess()).isTrue();
			assertThat(this.exporter.export(TestSpans.batch(5)).isSuccess()).isTrue();
		}
		await().atMost(WAIT)
			.until(() -> this.exporter.statistics(Signal.LOGS).snapshot().errorsByCategory().size() == 1
					&& this.exporter.statistics().snapshot().errorsByCategory().size() == 1);
		ExportSnapshot during = this.exporter.statistics(Signal.LOGS).snapshot();
		assertThat(during.spansInFlight()).isEqualTo(200);
		assertThat(this.exporter.statistics().snapshot().spansInFlight()).isEqualTo(100);
		// one buffer: each signal's snapshot shows all that waits in it
		assertThat(during.buffer().maxBytes()).isEqualTo(1 << 20);
		receiver.accept();
		await().atMost(WAIT)
			.until(() -> this.exporter.statistics(Signal.LOGS).snapshot().spansInFlight() == 0
					&& this.exporter.statistics().snapshot().spansInFlight() == 0);
		for (Signal signal : Signal.values()) {
			ExportSnapshot after = this.exporter.statistics(signal).snapshot();
			assertThat(after.droppedByReason()).as(signal.items()).isEmpty();
			assertThat(after.exporters().get(0).exportedSpans()).isEqualTo((signal == Signal.LOGS) ? 200 : 100);
		}
		ResilientSpanExporterTests.assertIdentity(this.exporter.statistics(Signal.LOGS).snapshot(), 200);
		ResilientSpanExporterTests.assertIdentity(this.exporter.statistics().snapshot(), 100);
		assertThat(receiver.logRecords()).extracting((log) -> log.getBody().getStringValue())
			.doesNotHaveDuplicates()
			.hasSize(200)
			.contains("log0-0", "log19-9");
		assertThat(receiver.spanCount()).isEqualTo(100);
	}

	@Test
	void aRestartReplaysLogRecordsFromDiskAsLogRecords() {
		OtlpReceiver receiver = receiverExtension.get();
		receiver.refuseConnections();
		ResilientSpanExporter before = builder(receiver, OtlpProtocol.HTTP_PROTOBUF).buffer(1 << 20, 2)
			.diskBuffer(this.directory, 16L << 20)
			.drainTimeout(Duration.ofMillis(100))
			.build();
		LogRecordExporter logs = before.logRecordExporter();
		assertThat(logs.export(TestLogs.batch("kept", 4)).isSuccess()).isTrue();
		assertThat(before.export(TestSpans.batch(3)).isSuccess()).isTrue();
		assertThat(before.shutdown().isDone()).as("the log record exporter is still open").isTrue();
		assertThat(logs.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		assertThat(before.statistics(Signal.LOGS).snapshot().spansInFlight()).as("kept on disk").isEqualTo(4);
		assertThat(before.statistics().snapshot().spansInFlight()).as("kept on disk").isEqualTo(3);
		receiver.accept();
		this.exporter = builder(receiver, OtlpProtocol.HTTP_PROTOBUF).buffer(1 << 20, 2)
			.diskBuffer(this.directory, 16L << 20)
			.build();
		assertThat(this.exporter.statistics(Signal.LOGS).snapshot().spansRecovered()).isEqualTo(4);
		assertThat(this.exporter.statistics().snapshot().spansRecovered()).isEqualTo(3);
		await().atMost(WAIT).until(() -> receiver.logRecordCount() == 4 && receiver.spanCount() == 3);
		assertThat(receiver.logRecords()).extracting(LogRecord::getBody)
			.extracting((body) -> body.getStringValue())
			.containsExactlyInAnyOrder("kept-0", "kept-1", "kept-2", "kept-3");
		await().atMost(WAIT).until(() -> this.exporter.statistics(Signal.LOGS).snapshot().spansInFlight() == 0);
		ExportSnapshot replayed = this.exporter.statistics(Signal.LOGS).snapshot();
		assertThat(replayed.exporters().get(0).exportedSpans()).isEqualTo(4);
		assertThat(replayed.spansExported() + replayed.spansDropped())
			.isEqualTo(replayed.spansReceived() + replayed.spansRecovered());
	}

	@Test
	void aRecordOfAnUnknownSignalOnDiskIsCountedAsCorruptWithTheTracesAndReleased() throws Exception {
		OtlpReceiver receiver = receiverExtension.get();
		try (DiskLog log = DiskLog.open(this.directory, 16L << 20)) {
			// as a later version might write a signal this one does not know
			log.append(TestLogs.requestOf(6), 6, 9);
			log.append(TestLogs.requestOf(2), 2, ExportEngine.kindOf(Signal.LOGS));
		}
		try (LogCapture log = LogCapture.of(ResilientSpanExporter.class)) {
			this.exporter = builder(receiver, OtlpProtocol.GRPC).buffer(1 << 20, 1)
				.diskBuffer(this.directory, 16L << 20)
				.build();
			assertThat(log.lines()).filteredOn((line) -> line.startsWith("WARNING"))
				.singleElement(as(InstanceOfAssertFactories.STRING))
				.startsWith("WARNING The disk buffer in " + this.directory + " held 1 record(s), ")
				.contains("of a kind this version does not know (written by a later version)")
				.endsWith(": they are skipped and counted as dropped (corrupt, 6 spans known)");
		}
		ExportSnapshot traces = this.exporter.statistics().snapshot();
		assertThat(traces.spansRecovered()).isEqualTo(6);
		assertThat(traces.droppedByReason()).containsExactly(Map.entry(DropReason.CORRUPT, 6L));
		assertThat(this.exporter.statistics(Signal.LOGS).snapshot().spansRecovered()).isEqualTo(2);
		await().atMost(WAIT).until(() -> receiver.logRecordCount() == 2);
		assertThat(receiver.spanCount()).isZero();
		this.exporter.logRecordExporter().shutdown();
		assertThat(this.exporter.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		try (DiskLog log = DiskLog.open(this.directory, 16L << 20)) {
			assertThat(log.recovered()).as("released").isEmpty();
		}
	}

	@Test
	void logRecordsOnDiskAreSentAfterARestartWithLogExportOff() throws Exception {
		OtlpReceiver receiver = receiverExtension.get();
		try (DiskLog log = DiskLog.open(this.directory, 16L << 20)) {
			log.append(TestLogs.requestOf(5), 5, ExportEngine.kindOf(Signal.LOGS));
			log.append(OtlpRequestEncoder.spans(TestSpans.batch(3)), 3, ExportEngine.kindOf(Signal.TRACES));
		}
		try (LogCapture lines = LogCapture.of(ResilientSpanExporter.class)) {
			// no log record exporter is handed out: log export is off now
			this.exporter = builder(receiver, OtlpProtocol.HTTP_PROTOBUF).buffer(1 << 20, 1)
				.diskBuffer(this.directory, 16L << 20)
				.build();
			await().atMost(WAIT).until(() -> receiver.logRecordCount() == 5 && receiver.spanCount() == 3);
			assertThat(lines.lines()).contains("INFO Sending 3 spans and 5 log records that the disk buffer in "
					+ this.directory + " kept from before the restart");
		}
		await().atMost(WAIT).until(() -> this.exporter.statistics(Signal.LOGS).snapshot().spansInFlight() == 0);
		ExportSnapshot logRecords = this.exporter.statistics(Signal.LOGS).snapshot();
		assertThat(logRecords.spansRecovered()).isEqualTo(5);
		assertThat(logRecords.exporters().get(0).exportedSpans()).isEqualTo(5);
		assertThat(this.exporter.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		this.exporter = null;
		try (DiskLog log = DiskLog.open(this.directory, 16L << 20)) {
			assertThat(log.recovered()).as("released once sent").isEmpty();
		}
	}

	@Test
	void eachExporterRefusesItsSignalOnceShutDownAndTheLastStopsTheEngine() {
		OtlpReceiver receiver = receiverExtension.get();
		this.exporter = builder(receiver, OtlpProtocol.GRPC).buffer(1 << 20, 1).build();
		LogRecordExporter logs = this.exporter.logRecordExporter();
		assertThat(this.exporter.shutdown().isSuccess()).isTrue();
		assertThat(this.exporter.export(TestSpans.batch(2)).isSuccess()).isFalse();
		assertThat(this.exporter.statistics().snapshot().droppedByReason())
			.containsExactly(Map.entry(DropReason.SHUTDOWN, 2L));
		// the engine goes on for the log records
		assertThat(logs.export(TestLogs.batch(3)).isSuccess()).isTrue();
		assertThat(logs.flush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		assertThat(receiver.logRecordCount()).isEqualTo(3);
		assertThat(logs.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		assertThat(this.exporter.shutdown().isSuccess()).isTrue();
		assertThat(logs.export(TestLogs.batch(1)).isSuccess()).isFalse();
		ResilientSpanExporterTests.assertIdentity(this.exporter.statistics(Signal.LOGS).snapshot(), 4);
	}

	private ResilientSpanExporterBuilder builder(OtlpReceiver receiver, OtlpProtocol protocol) {
		String endpoint = (protocol == OtlpProtocol.GRPC) ? receiver.grpcEndpoint() : receiver.httpEndpoint();
		ExporterSettings settings = ExporterSettings.of(DestinationRole.PRIMARY, protocol, endpoint)
			.withTimeout(Duration.ofSeconds(5));
		return ResilientSpanExporter.builder(OtlpTransports.create(settings), settings.description())
			.retryPolicy(PATIENT);
	}

}
