package io.github.otelexport.actuate;

import io.github.otelexport.export.OtlpProtocol;
import io.github.otelexport.export.ExporterSettings;
import io.github.otelexport.export.OtlpTransports;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.github.otelexport.export.DestinationRole;
import io.github.otelexport.export.EndpointDiagnosis;
import io.github.otelexport.export.EndpointProber;
import io.github.otelexport.export.ExportErrorClassifier;
import io.github.otelexport.export.ProbeTarget;
import io.github.otelexport.testkit.OtlpReceiver;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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

}
