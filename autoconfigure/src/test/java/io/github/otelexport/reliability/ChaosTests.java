package io.github.otelexport.reliability;

import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.google.protobuf.ByteString;
import io.github.otelexport.export.BatchSettings;
import io.github.otelexport.export.ExporterSettings;
import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportErrorCategory;
import io.github.otelexport.stats.ExportSnapshot;
import io.github.otelexport.testkit.OtlpReceiver;
import io.grpc.Status;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Chaos: at least 200,000 spans while the primary receiver, over TLS, goes through every
 * fault the testkit can produce, switched by the test as spans flow: connection refused
 * and reset, slow, unauthenticated, too large, unavailable, invalid, wrong path,
 * untrusted certificate, partial success, a body that is not protobuf and a huge one (the
 * last two HTTP only: the gRPC port answers normally). With a healthy fallback no span is
 * lost but those the primary rejected in a partial success, which the OTLP specification
 * says not to send again; without one every span is exported or dropped with a reason,
 * exactly.
 * <p>
 * The test thread is the application: it ends spans in chunks, only when the queue has
 * room for a chunk (so a healthy fallback never sees a {@code queue_full} drop), and
 * moves to the next fault once the pipeline has met the current one and has settled
 * (exported or dropped) at least {@value #MIN_SPANS_PER_FAULT} spans under it, so every
 * fault is really exercised however fast or slow the machine is.
 *
 * @author otel-export authors
 */
class ChaosTests {

	private static final int TOTAL_SPANS = 200_000;

	private static final int MIN_SPANS_PER_FAULT = 10_000;

	private static final int CHUNK = 2_048;

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
	void everySpanIsAccountedForThroughEveryFault(OtlpProtocol protocol, boolean withFallback, boolean buffered) {
		try (OtlpReceiver primary = OtlpReceiver.builder().tls().build();
				OtlpReceiver fallback = OtlpReceiver.start()) {
			TestPipeline.Builder builder = TestPipeline.to(primary, protocol)
				.primaryTimeout(PRIMARY_TIMEOUT)
				.batch(BATCH);
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
				}, null, TOTAL_SPANS));
				assertThat(producer.pipeline.flush(Duration.ofSeconds(60))).isTrue();
			}
			finally {
				producer.pipeline.close();
			}
			ExportSnapshot snapshot = producer.pipeline.snapshot();
			long created = producer.created;
			long primaryExported = snapshot.exporters().get(0).exportedSpans();
			long received = primary.spanCount() + fallback.spanCount();
			System.out.printf(
					"Chaos over %s, fallback %s, buffer %s: %,d spans in %d ms; exported %s; dropped %s; errors %s;"
							+ " receivers hold %,d (%,d more than exported: requests that timed out here"
							+ " but reached the receiver; counted as possibly duplicated: %,d)%n",
					protocol, withFallback, buffered, created, (System.nanoTime() - start) / 1_000_000,
					snapshot.exporters().stream().map((e) -> e.role() + "=" + e.exportedSpans()).toList(),
					snapshot.droppedByReason(), snapshot.errorsByCategory(), received,
					received - snapshot.spansExported(), snapshot.spansPossiblyDuplicated());
			assertThat(created).isGreaterThanOrEqualTo(TOTAL_SPANS);
			assertThat(snapshot.errorsByCategory()).containsKeys(expectedCategories(protocol));
			Accounting.assertBalanced(snapshot, created);
			// Everything counted as exported by the primary reached its receiver (a 200
			// with garbage included); a request that timed out here may have too
			assertThat((long) primary.spanCount()).isGreaterThanOrEqualTo(primaryExported);
			if (withFallback) {
				// only the partial success drops: the spans the primary rejected
				assertThat(snapshot.droppedByReason()).containsOnlyKeys(DropReason.PERMANENT_ERROR);
				long rejected = snapshot.droppedByReason().get(DropReason.PERMANENT_ERROR);
				assertThat(rejected % PARTIALLY_REJECTED).isZero();
				assertThat(snapshot.spansExported()).isEqualTo(created - rejected);
				assertThat((long) fallback.spanCount())
					.isGreaterThanOrEqualTo(snapshot.exporters().get(1).exportedSpans());
				// no other span lost: every span created reached a receiver, duplicates
				// aside
				assertThat(distinctSpans(primary, fallback)).isEqualTo(created - rejected);
				// and the numbers add up from the backends' side: what they hold beyond
				// what was counted exported came from attempts abandoned without an
				// answer
				assertThat(received - snapshot.spansExported()).isBetween(0L, snapshot.spansPossiblyDuplicated());
			}
			else {
				assertThat(snapshot.droppedByReason().keySet()).isNotEmpty()
					.isSubsetOf(EnumSet.of(DropReason.QUEUE_FULL, DropReason.RETRIES_EXHAUSTED,
							DropReason.PERMANENT_ERROR));
				assertThat(fallback.spanCount()).isZero();
			}
		}
	}

	private static long distinctSpans(OtlpReceiver... receivers) {
		Set<ByteString> spanIds = new HashSet<>();
		for (OtlpReceiver receiver : receivers) {
			receiver.spans().forEach((span) -> spanIds.add(span.getSpanId()));
		}
		return spanIds.size();
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
				new Fault("reset", OtlpReceiver::resetConnections, ExportErrorCategory.UNAVAILABLE),
				new Fault("untrusted certificate", OtlpReceiver::presentUntrustedCertificate, ExportErrorCategory.TLS),
				new Fault("partial success",
						(receiver) -> receiver.partialSuccess(PARTIALLY_REJECTED,
								"attribute 'card.number' is not allowed"),
						ExportErrorCategory.REJECTED),
				// HTTP only: over gRPC the receiver answers normally. Either way the SDK
				// reports success, so the phase ends once the primary exported again
				new Fault("garbage", OtlpReceiver::respondWithGarbage, null),
				// an accepted request whose answer is too long to keep is exported: the
				// phase ends once the primary exported
				new Fault("huge body", (receiver) -> receiver.respondWithHugeBody(HUGE_BODY), null));
	}

	/**
	 * One fault of the run and how to know the pipeline has met it: a failed attempt of
	 * its category, or (for {@code null}) a batch exported by the primary.
	 */
	private record Fault(String name, Consumer<OtlpReceiver> apply, ExportErrorCategory category, int minSpans) {

		Fault(String name, Consumer<OtlpReceiver> apply, ExportErrorCategory category) {
			this(name, apply, category, MIN_SPANS_PER_FAULT);
		}

	}

	/**
	 * The application: ends spans in chunks when the queue has room.
	 */
	private static final class Producer {

		private final TestPipeline pipeline;

		private long created;

		Producer(TestPipeline pipeline) {
			this.pipeline = pipeline;
		}

		void runUntil(Fault fault) {
			ExportSnapshot atStart = this.pipeline.snapshot();
			await(fault.name()).atMost(PHASE_TIMEOUT)
				.pollInSameThread()
				.pollDelay(Duration.ZERO)
				.pollInterval(Duration.ofMillis(1))
				.until(() -> {
					ExportSnapshot now = this.pipeline.snapshot();
					if (now.spansInFlight() <= BATCH.maxQueueSize() - CHUNK) {
						this.pipeline.endSpans(fault.name(), CHUNK);
						this.created += CHUNK;
					}
					boolean enough = (fault.minSpans() == TOTAL_SPANS) ? this.created >= TOTAL_SPANS
							: settled(now) - settled(atStart) >= fault.minSpans();
					return enough && met(fault, atStart, now);
				});
		}

		private static boolean met(Fault fault, ExportSnapshot atStart, ExportSnapshot now) {
			if (fault.category() == null) {
				return now.exporters().get(0).exportedSpans() > atStart.exporters().get(0).exportedSpans();
			}
			return errors(now, fault.category()) > errors(atStart, fault.category());
		}

		private static long settled(ExportSnapshot snapshot) {
			return snapshot.spansExported() + snapshot.spansDropped();
		}

		private static long errors(ExportSnapshot snapshot, ExportErrorCategory category) {
			return snapshot.errorsByCategory().getOrDefault(category, 0L);
		}

	}

}
