package io.github.otelexport.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.github.otelexport.export.BatchSettings;
import io.github.otelexport.export.ExportPipeline;
import io.github.otelexport.export.ExporterSettings;
import io.github.otelexport.export.OtlpTransports;
import io.github.otelexport.export.ResilientSpanExporter;
import io.github.otelexport.export.RetryPolicy;
import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportSnapshot;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * An application in a JVM of its own, for the crash tests: it ends the spans
 * {@code span-<first>} to {@code span-<last - 1>} through a pipeline with a disk buffer
 * and says on standard output how far they are safe on disk ({@code DURABLE n}: every
 * span before {@code span-n}), then waits to be killed. Arguments: protocol, endpoint,
 * directory, first, last.
 *
 * @author otel-export authors
 */
public final class DiskBufferedApplication {

	static final int CHUNK = 1_000;

	private DiskBufferedApplication() {
	}

	/**
	 * Counts the spans the resilient exporter has taken: with a disk buffer, written.
	 */
	private static final class OnDisk {

		private long spans;

		SpanExporter around(SpanExporter exporter) {
			return new SpanExporter() {

				@Override
				public CompletableResultCode export(Collection<SpanData> batch) {
					CompletableResultCode result = exporter.export(batch);
					written(batch.size());
					return result;
				}

				@Override
				public CompletableResultCode flush() {
					return exporter.flush();
				}

				@Override
				public CompletableResultCode shutdown() {
					return exporter.shutdown();
				}

			};
		}

		private synchronized void written(int count) {
			this.spans += count;
			notifyAll();
		}

		synchronized void await(long count) throws InterruptedException {
			while (this.spans < count) {
				wait();
			}
		}

	}

	public static void main(String[] args) throws IOException, InterruptedException {
		OtlpProtocol protocol = OtlpProtocol.valueOf(args[0]);
		String endpoint = args[1];
		Path directory = Path.of(args[2]);
		int first = Integer.parseInt(args[3]);
		int last = Integer.parseInt(args[4]);
		ExporterSettings settings = ExporterSettings.of(DestinationRole.PRIMARY, protocol, endpoint)
			.withTimeout(Duration.ofSeconds(10));
		ResilientSpanExporter exporter = ResilientSpanExporter
			.builder(OtlpTransports.create(settings), settings.description())
			.retryPolicy(RetryPolicy.builder()
				.maxAttempts(100_000)
				.initialBackoff(Duration.ofMillis(20))
				.maxBackoff(Duration.ofMillis(200))
				.maxElapsedTime(Duration.ofMinutes(5))
				.build())
			.buffer(8L * 1024 * 1024, 4)
			.diskBuffer(directory, 512L * 1024 * 1024)
			.build();
		OnDisk onDisk = new OnDisk();
		SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
			.addSpanProcessor(ExportPipeline.create(exporter, (resilient) -> onDisk.around(resilient),
					new BatchSettings(512, 2 * CHUNK, Duration.ofMillis(20), Duration.ofSeconds(30))))
			.build();
		Tracer tracer = tracerProvider.get("crash");
		ExportSnapshot start = exporter.statistics().snapshot();
		System.out.println("RECOVERED " + start.spansRecovered() + " CORRUPT "
				+ start.droppedByReason().getOrDefault(DropReason.CORRUPT, 0L));
		for (int next = first; next < last;) {
			int end = Math.min(last, next + CHUNK);
			for (; next < end; next++) {
				tracer.spanBuilder("span-" + next).startSpan().end();
			}
			// the exporter returns once the disk has the batch: what it returned is on
			// disk
			tracerProvider.forceFlush();
			onDisk.await(next - first);
			ExportSnapshot snapshot = exporter.statistics().snapshot();
			System.out
				.println("DURABLE " + next + " dropped=" + snapshot.spansDropped() + " " + snapshot.droppedByReason());
		}
		System.out.println("DONE");
		// what happens next, for a failing test to show
		ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "status");
			thread.setDaemon(true);
			return thread;
		});
		reporter.scheduleAtFixedRate(() -> {
			ExportSnapshot snapshot = exporter.statistics().snapshot();
			System.out.println("STATUS inFlight=" + snapshot.spansInFlight() + " exported=" + snapshot.spansExported()
					+ " dropped=" + snapshot.droppedByReason() + " buffer=" + snapshot.buffer() + " errors="
					+ snapshot.errorsByCategory());
		}, 0, 2, TimeUnit.SECONDS);
		// wait for the test to kill this JVM (or to close standard input)
		new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
	}

}
