package io.github.otelexport.actuate;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.otelexport.diagnose.EndpointDiagnosis;
import io.github.otelexport.diagnose.EndpointProber;
import io.github.otelexport.diagnose.ProbeTarget;
import io.github.otelexport.export.ExportErrorClassifier;
import io.github.otelexport.export.ExporterSettings;
import io.github.otelexport.export.OtlpTransports;
import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.testkit.OtlpReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link EndpointDiagnostics} against a real receiver.
 *
 * @author otel-export authors
 */
class EndpointDiagnosticsTests {

	private final OtlpReceiver receiver = OtlpReceiver.start();

	private final ExecutorService callers = Executors.newFixedThreadPool(2);

	private final EndpointDiagnostics diagnostics = new EndpointDiagnostics(
			new EndpointProber(Duration.ofSeconds(10), new ExportErrorClassifier()),
			List.of(new ProbeTarget(DestinationRole.PRIMARY, this.receiver.httpEndpoint(), null, true,
					() -> OtlpTransports.create(ExporterSettings.of(DestinationRole.PRIMARY, OtlpProtocol.HTTP_PROTOBUF,
							this.receiver.httpEndpoint())))));

	@AfterEach
	void close() throws InterruptedException {
		this.callers.shutdownNow();
		assertThat(this.callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		this.diagnostics.close();
		this.receiver.close();
	}

	@Test
	void aCallerDuringARunningDiagnosisGetsItsResultWithoutProbingAgain() {
		// The receiver holds the OTLP step's answer back, so the first run is still going
		// when the second caller arrives
		this.receiver.delayResponses(Duration.ofSeconds(2));
		CompletableFuture<List<EndpointDiagnosis>> first = CompletableFuture.supplyAsync(this.diagnostics::diagnose,
				this.callers);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.receiver.requestCount() == 1);
		CompletableFuture<List<EndpointDiagnosis>> second = CompletableFuture.supplyAsync(this.diagnostics::diagnose,
				this.callers);
		List<EndpointDiagnosis> firstResult = first.join();
		assertThat(second.join()).isSameAs(firstResult);
		assertThat(firstResult).singleElement().satisfies((diagnosis) -> assertThat(diagnosis.ok()).isTrue());
		assertThat(this.receiver.requestCount()).isOne();
		assertThat(this.diagnostics.last()).isSameAs(firstResult);
	}

	@Test
	void aCallerAfterADiagnosisEndedProbesAgain() {
		List<EndpointDiagnosis> first = this.diagnostics.diagnose();
		List<EndpointDiagnosis> second = this.diagnostics.diagnose();
		assertThat(second).isNotSameAs(first);
		assertThat(this.receiver.requestCount()).isEqualTo(2);
		assertThat(this.diagnostics.last()).isSameAs(second);
	}

	@ParameterizedTest
	@EnumSource(OtlpProtocol.class)
	void aHundredDiagnosesInARowReuseOneClient(OtlpProtocol protocol) {
		String endpoint = (protocol == OtlpProtocol.GRPC) ? this.receiver.grpcEndpoint() : this.receiver.httpEndpoint();
		ExporterSettings settings = ExporterSettings.of(DestinationRole.PRIMARY, protocol, endpoint);
		AtomicInteger built = new AtomicInteger();
		try (EndpointDiagnostics diagnostics = new EndpointDiagnostics(
				new EndpointProber(Duration.ofSeconds(10), new ExportErrorClassifier()),
				List.of(ProbeTarget.of(settings, () -> {
					built.incrementAndGet();
					return OtlpTransports.create(settings);
				})))) {
			// the transport's pool starts a thread for each of its first calls, up to its
			// bound: warm it up, then count
			diagnoseOk(diagnostics, 20);
			int threads = clientThreads();
			diagnoseOk(diagnostics, 100);
			assertThat(built).hasValue(1);
			// a little room for the HTTP/2 client's shared task threads, which come and
			// go
			assertThat(clientThreads()).isLessThanOrEqualTo(threads + 2);
		}
	}

	private static void diagnoseOk(EndpointDiagnostics diagnostics, int times) {
		for (int i = 0; i < times; i++) {
			assertThat(diagnostics.diagnose()).singleElement()
				.satisfies((diagnosis) -> assertThat(diagnosis.ok()).isTrue());
		}
	}

	/**
	 * Count the threads of HTTP clients: the transports' own, the JDK client's selector
	 * and OkHttp's task runner.
	 */
	private static int clientThreads() {
		return (int) Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter(Thread::isAlive)
			.map(Thread::getName)
			.filter((name) -> name.startsWith("otel-export-transport-") || name.contains("HttpClient")
					|| name.startsWith("OkHttp"))
			.count();
	}

}
