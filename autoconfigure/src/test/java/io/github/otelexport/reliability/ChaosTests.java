package io.github.otelexport.reliability;

import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;

import io.github.otelexport.export.BatchSettings;
import io.github.otelexport.export.ExporterSettings;
import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportErrorCategory;
import io.github.otelexport.stats.ExportSnapshot.ExporterSnapshot;
import io.github.otelexport.stats.ExportSnapshot;
import io.github.otelexport.testkit.OtlpReceiver;
import io.grpc.Status;
import io.opentelemetry.proto.trace.v1.Span;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Chaos: at least 200,000 spans, and log records beside them through the same engine,
 * while the primary receiver, over TLS, goes through every fault the testkit can produce,
 * switched by the test as they flow: connection refused and reset, slow, unauthenticated,
 * too large, unavailable, invalid, wrong path, untrusted certificate, partial success, a
 * body that is not protobuf and a huge one (the last two HTTP only: the gRPC port answers
 * normally). With a healthy fallback no span or log record is lost but those the primary
 * rejected in a partial success, which the OTLP specification says not to send again;
 * without one every span and every log record is exported or dropped with a reason,
 * exactly, each signal in its own statistics.
 * <p>
 * The test thread is the application: it ends spans in chunks and emits a log record for
 * every four spans, each only when its queue has room for a chunk (so a healthy fallback
 * never sees a {@code queue_full} drop), and moves to the next fault once both signals
 * have met the current one and the pipeline has settled (exported or dropped) at least
 * {@value #MIN_SPANS_PER_FAULT} spans under it, so every fault is really exercised
 * however fast or slow the machine is.
 *
 * @author otel-export authors
 */
class ChaosTests {

	private static final int TOTAL_SPANS = 200_000;

	private static final int MIN_SPANS_PER_FAULT = 10_000;

	private static final int CHUNK = 2_048;

	/**
	 * Log records emitted with each chunk of spans: a log line for every four spans.
	 */
	private static final int LOG_CHUNK = CHUNK / 4;

	private static final BatchSettings BATCH = new BatchSettings(CHUNK, 16_384, Duration.ofMillis(20),
			Duration.ofSeconds(30));

	private static final Duration PRIMARY_TIMEOUT = Duration.ofMillis(300);

	private static final Duration SLOW_RESPONSE = Duration.ofSeconds(1);

	private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(30);

	private static final OtlpProtocol GRPC = OtlpProtocol.GRPC;

	private static final OtlpProtocol HTTP = OtlpProtocol.HTTP_PROTOBUF;

	/**
	 * Spans of each request the primary rejects in the partial success phase.
	 */
	private static final int PARTIALLY_REJECTED = 7;

	/**
	 * Just over the 4 MiB that the SDK's HTTP sender reads of a response.
	 */
	private static final int HUGE_BODY = 5 * 1024 * 1024;

	static Stream<Arguments> runs() {
		return Stream.of(arguments(GRPC, true, false), arguments(HTTP, true, false), arguments(GRPC, false, false),
				arguments(HTTP, false, false), arguments(GRPC, false, true), arguments(HTTP, true, true));
	}

	@ParameterizedTest(name = "{0}, fallback {1}, buffer {2}")
	@MethodSource("runs")
	void everySpanAndLogRecordIsAccountedForThroughEveryFault(OtlpProtocol protocol, boolean withFallback,
			boolean buffered) {
		try (OtlpReceiver primary = OtlpReceiver.builder().tls().build();
				OtlpReceiver fallback = OtlpReceiver.start()) {
			TestPipeline.Builder builder = TestPipeline.to(primary, protocol)
				.primaryTimeout(PRIMARY_TIMEOUT)
				.batch(BATCH)
				.withLogs();
			if (withFallback) {
				builder.fallback(fallback);
			}
			if (buffered) {
				// four senders take the batches from a buffer between batching and
				// sending
				builder.buffer(64L * 1024 * 1024, 4);
			}
			Producer producer = new Producer(builder.build());
			long start = System.nanoTime();
			try {
				for (Fault fault : faults(protocol)) {
					primary.accept();
					fault.apply().accept(primary);
					producer.runUntil(fault);
				}
				primary.accept();
				producer.runUntil(new Fault("accept", (receiver) -> {
				}, Set.of(), TOTAL_SPANS));
				assertThat(producer.pipeline.flush(Duration.ofSeconds(60))).isTrue();
			}
			finally {
				producer.pipeline.close();
			}
			long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
			assertThat(producer.created).isGreaterThanOrEqualTo(TOTAL_SPANS);
			assertAccountedFor(new SignalRun("spans", producer.pipeline.snapshot(), producer.created,
					OtlpReceiver::spanCount, ChaosTests::spanIds), protocol, withFallback, buffered, elapsedMillis,
					primary, fallback);
			assertAccountedFor(
					new SignalRun("log records", producer.pipeline.logSnapshot(), producer.logRecords,
							OtlpReceiver::logRecordCount, ChaosTests::logRecordBodies),
					protocol, withFallback, buffered, elapsedMillis, primary, fallback);
		}
	}

	/**
	 * Assert that every item of one signal is accounted for, in its own statistics and at
	 * the receivers.
	 */
	private static void assertAccountedFor(SignalRun run, OtlpProtocol protocol, boolean withFallback, boolean buffered,
			long elapsedMillis, OtlpReceiver primary, OtlpReceiver fallback) {
		ExportSnapshot snapshot = run.snapshot();
		long handed = run.handed();
		long primaryExported = snapshot.exporters().get(0).exportedSpans();
		long received = run.count().applyAsInt(primary) + run.count().applyAsInt(fallback);
		System.out.printf(
				"Chaos over %s, fallback %s, buffer %s: %,d %s in %d ms; exported %s; dropped %s; errors %s;"
						+ " receivers hold %,d (%,d more than exported: requests that timed out here"
						+ " but reached the receiver; counted as possibly duplicated: %,d)%n",
				protocol, withFallback, buffered, handed, run.items(), elapsedMillis,
				snapshot.exporters().stream().map((e) -> e.role() + "=" + e.exportedSpans()).toList(),
				snapshot.droppedByReason(), snapshot.errorsByCategory(), received, received - snapshot.spansExported(),
				snapshot.spansPossiblyDuplicated());
		assertThat(snapshot.errorsByCategory()).as(run.items()).containsKeys(expectedCategories(protocol));
		Accounting.assertBalanced(snapshot, handed, run.items());
		// Everything counted as exported by the primary reached its receiver (a 200
		// with garbage included); a request that timed out here may have too
		assertThat((long) run.count().applyAsInt(primary)).as(run.items()).isGreaterThanOrEqualTo(primaryExported);
		if (withFallback) {
			// only the partial success drops: the items the primary rejected
			assertThat(snapshot.droppedByReason()).as(run.items()).containsOnlyKeys(DropReason.PERMANENT_ERROR);
			long rejected = snapshot.droppedByReason().get(DropReason.PERMANENT_ERROR);
			assertThat(rejected % PARTIALLY_REJECTED).as(run.items()).isZero();
			assertThat(snapshot.spansExported()).as(run.items()).isEqualTo(handed - rejected);
			assertThat((long) run.count().applyAsInt(fallback)).as(run.items())
				.isGreaterThanOrEqualTo(snapshot.exporters().get(1).exportedSpans());
			// no other item lost: every one handed over reached a receiver, duplicates
			// aside
			Set<Object> distinct = new HashSet<>(run.ids().apply(primary));
			distinct.addAll(run.ids().apply(fallback));
			assertThat((long) distinct.size()).as("distinct %s at the receivers", run.items())
				.isEqualTo(handed - rejected);
			// and the numbers add up from the backends' side: what they hold beyond
			// what was counted exported came from attempts abandoned without an
			// answer
			assertThat(received - snapshot.spansExported()).as(run.items())
				.isBetween(0L, snapshot.spansPossiblyDuplicated());
		}
		else {
			assertThat(snapshot.droppedByReason().keySet()).as(run.items())
				.isNotEmpty()
				.isSubsetOf(
						EnumSet.of(DropReason.QUEUE_FULL, DropReason.RETRIES_EXHAUSTED, DropReason.PERMANENT_ERROR));
			assertThat(run.count().applyAsInt(fallback)).as(run.items()).isZero();
		}
	}

	private static List<Object> spanIds(OtlpReceiver receiver) {
		return receiver.spans().stream().<Object>map(Span::getSpanId).toList();
	}

	/**
	 * Each log record's body is its own ({@link TestPipeline#emitLogRecords}).
	 */
	private static List<Object> logRecordBodies(OtlpReceiver receiver) {
		return receiver.logRecords().stream().<Object>map((log) -> log.getBody().getStringValue()).toList();
	}

	private static ExportErrorCategory[] expectedCategories(OtlpProtocol protocol) {
		EnumSet<ExportErrorCategory> categories = EnumSet.of(ExportErrorCategory.CONNECTION_REFUSED,
				ExportErrorCategory.DEADLINE_EXCEEDED, ExportErrorCategory.UNAUTHENTICATED,
				ExportErrorCategory.RESOURCE_EXHAUSTED, ExportErrorCategory.UNAVAILABLE, ExportErrorCategory.REJECTED,
				ExportErrorCategory.INVALID_ENDPOINT, ExportErrorCategory.TLS);
		return categories.toArray(ExportErrorCategory[]::new);
	}

	private static List<Fault> faults(OtlpProtocol protocol) {
		boolean grpc = GRPC.equals(protocol);
		return List.of(new Fault("refuse", OtlpReceiver::refuseConnections, ExportErrorCategory.CONNECTION_REFUSED),
				new Fault("slow", (receiver) -> receiver.delayResponses(SLOW_RESPONSE),
						ExportErrorCategory.DEADLINE_EXCEEDED),
				new Fault("unauthenticated", (receiver) -> receiver.requireHeader("authorization", "Bearer secret"),
						ExportErrorCategory.UNAUTHENTICATED),
				new Fault("too large",
						grpc ? (receiver) -> receiver.respondWithGrpcStatus(Status.Code.RESOURCE_EXHAUSTED)
								: (receiver) -> receiver.respondWithHttpStatus(413),
						ExportErrorCategory.RESOURCE_EXHAUSTED),
				new Fault("unavailable",
						grpc ? (receiver) -> receiver.respondWithGrpcStatus(Status.Code.UNAVAILABLE)
								: (receiver) -> receiver.respondWithHttpStatus(503),
						ExportErrorCategory.UNAVAILABLE),
				new Fault("invalid",
						grpc ? (receiver) -> receiver.respondWithGrpcStatus(Status.Code.INVALID_ARGUMENT)
								: (receiver) -> receiver.respondWithHttpStatus(400),
						ExportErrorCategory.REJECTED),
				new Fault("wrong path",
						grpc ? (receiver) -> receiver.respondWithGrpcStatus(Status.Code.UNIMPLEMENTED)
								: (receiver) -> receiver.respondWithHttpStatus(404),
						ExportErrorCategory.INVALID_ENDPOINT),
				// the receiver is on TLS: a request on a connection opened before the
				// switch is reset (UNAVAILABLE), a new connection's handshake is reset
				// (TLS); which of them a signal meets first is a race
				new Fault("reset", OtlpReceiver::resetConnections,
						EnumSet.of(ExportErrorCategory.UNAVAILABLE, ExportErrorCategory.TLS)),
				new Fault("untrusted certificate", OtlpReceiver::presentUntrustedCertificate, ExportErrorCategory.TLS),
				new Fault("partial success",
						(receiver) -> receiver.partialSuccess(PARTIALLY_REJECTED,
								"attribute 'card.number' is not allowed"),
						ExportErrorCategory.REJECTED),
				// HTTP only: over gRPC the receiver answers normally. Either way the SDK
				// reports success, so the phase ends once the primary exported again
				new Fault("garbage", OtlpReceiver::respondWithGarbage, Set.of()),
				// an accepted request whose answer is too long to keep is exported: the
				// phase ends once the primary exported
				new Fault("huge body", (receiver) -> receiver.respondWithHugeBody(HUGE_BODY), Set.of()));
	}

	/**
	 * One fault of the run and how to know a signal has met it: a failed attempt of one
	 * of its categories, or (for none) a batch exported by the primary.
	 */
	private record Fault(String name, Consumer<OtlpReceiver> apply, Set<ExportErrorCategory> categories, int minSpans) {

		Fault(String name, Consumer<OtlpReceiver> apply, ExportErrorCategory category) {
			this(name, apply, EnumSet.of(category), MIN_SPANS_PER_FAULT);
		}

		Fault(String name, Consumer<OtlpReceiver> apply, Set<ExportErrorCategory> categories) {
			this(name, apply, categories, MIN_SPANS_PER_FAULT);
		}

	}

	/**
	 * One signal's part of a run: its statistics, what the test handed over, and how the
	 * receivers count it and tell its items apart.
	 */
	private record SignalRun(String items, ExportSnapshot snapshot, long handed, ToIntFunction<OtlpReceiver> count,
			Function<OtlpReceiver, List<Object>> ids) {

	}

	/**
	 * The application: ends spans and emits log records in chunks when their queues have
	 * room.
	 */
	private static final class Producer {

		private final TestPipeline pipeline;

		private long created;

		private long logRecords;

		Producer(TestPipeline pipeline) {
			this.pipeline = pipeline;
		}

		void runUntil(Fault fault) {
			ExportSnapshot atStart = this.pipeline.snapshot();
			ExportSnapshot logsAtStart = this.pipeline.logSnapshot();
			try {
				awaitPhase(fault, atStart, logsAtStart);
			}
			catch (ConditionTimeoutException ex) {
				throw new AssertionError("The phase '" + fault.name() + "' did not end within " + PHASE_TIMEOUT
						+ "; spans " + progress(atStart, this.pipeline.snapshot()) + "; log records "
						+ progress(logsAtStart, this.pipeline.logSnapshot()), ex);
			}
		}

		private void awaitPhase(Fault fault, ExportSnapshot atStart, ExportSnapshot logsAtStart) {
			await(fault.name()).atMost(PHASE_TIMEOUT)
				.pollInSameThread()
				.pollDelay(Duration.ZERO)
				.pollInterval(Duration.ofMillis(1))
				.until(() -> {
					ExportSnapshot now = this.pipeline.snapshot();
					ExportSnapshot logsNow = this.pipeline.logSnapshot();
					Accounting.assertNeverOvercounted(now, "spans");
					Accounting.assertNeverOvercounted(logsNow, "log records");
					if (now.spansInFlight() <= BATCH.maxQueueSize() - CHUNK) {
						this.pipeline.endSpans(fault.name(), CHUNK);
						this.created += CHUNK;
						if (logsNow.spansInFlight() <= BATCH.maxQueueSize() - LOG_CHUNK) {
							this.pipeline.emitLogRecords(fault.name(), LOG_CHUNK);
							this.logRecords += LOG_CHUNK;
						}
					}
					boolean enough = (fault.minSpans() == TOTAL_SPANS) ? this.created >= TOTAL_SPANS
							: settled(now) - settled(atStart) >= fault.minSpans();
					return enough && met(fault, atStart, now) && met(fault, logsAtStart, logsNow);
				});
		}

		/**
		 * Say what a signal did during a phase, for a phase that did not end.
		 */
		private static String progress(ExportSnapshot atStart, ExportSnapshot now) {
			return "settled " + (settled(now) - settled(atStart)) + ", in flight " + now.spansInFlight() + ", errors "
					+ atStart.errorsByCategory() + " -> " + now.errorsByCategory() + ", exported "
					+ atStart.exporters().stream().map(ExporterSnapshot::exportedSpans).toList() + " -> "
					+ now.exporters().stream().map(ExporterSnapshot::exportedSpans).toList();
		}

		private static boolean met(Fault fault, ExportSnapshot atStart, ExportSnapshot now) {
			if (fault.categories().isEmpty()) {
				return now.exporters().get(0).exportedSpans() > atStart.exporters().get(0).exportedSpans();
			}
			return fault.categories()
				.stream()
				.anyMatch((category) -> errors(now, category) > errors(atStart, category));
		}

		private static long settled(ExportSnapshot snapshot) {
			return snapshot.spansExported() + snapshot.spansDropped();
		}

		private static long errors(ExportSnapshot snapshot, ExportErrorCategory category) {
			return snapshot.errorsByCategory().getOrDefault(category, 0L);
		}

	}

}
