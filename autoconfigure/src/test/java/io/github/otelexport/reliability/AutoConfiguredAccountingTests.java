package io.github.otelexport.reliability;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import io.github.otelexport.autoconfigure.OtelExportAutoConfiguration;
import io.github.otelexport.autoconfigure.OtelExportSdkAutoConfiguration;
import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportSnapshot;
import io.github.otelexport.stats.ExportStatistics;
import io.github.otelexport.testkit.OtlpReceiver;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the accounting identity holds through the auto-configured pipeline when its
 * queue overflows: spans the batch processor drops are counted too.
 *
 * @author otel-export authors
 */
class AutoConfiguredAccountingTests {

	private static final int SPANS = 2_000;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(OtelExportAutoConfiguration.class, OtelExportSdkAutoConfiguration.class))
		.withPropertyValues("otel.export.timeout=300ms", "otel.export.retry.enabled=false",
				"otel.export.retry.max-elapsed-time=5s", "otel.export.batch.max-queue-size=16",
				"otel.export.batch.max-export-batch-size=8", "otel.export.batch.schedule-delay=20ms",
				"otel.export.batch.export-timeout=10s", "otel.export.diagnostics.startup-check=false");

	@Test
	void spansDroppedByAFullQueueAreCounted() {
		AtomicReference<ExportStatistics> statistics = new AtomicReference<>();
		try (OtlpReceiver receiver = OtlpReceiver.start()) {
			// Every batch takes the whole timeout: the queue overflows
			receiver.delayResponses(Duration.ofSeconds(1));
			this.runner.withPropertyValues("otel.export.endpoint=" + receiver.grpcEndpoint()).run((context) -> {
				assertThat(context).hasNotFailed();
				statistics.set(context.getBean(ExportStatistics.class));
				Tracer tracer = context.getBean(OpenTelemetry.class).getTracer("accounting");
				for (int i = 0; i < SPANS; i++) {
					tracer.spanBuilder("span").startSpan().end();
				}
			});
		}
		ExportSnapshot snapshot = statistics.get().snapshot();
		assertThat(snapshot.droppedByReason()).containsKey(DropReason.QUEUE_FULL);
		Accounting.assertBalanced(snapshot, SPANS);
	}

}
