package io.github.otelexport.export;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportErrorCategory;
import io.github.otelexport.testkit.OtlpReceiver;
import io.github.otelexport.testkit.OtlpReceiverExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator reads in the log during a Collector outage: real refused connections
 * and a real unresolvable host, the retries' waits and the batches' pace driven by test
 * time. The lines at INFO and above are a handful, each naming the category, the
 * destination's property and the hint, none with a stack trace; the SDK's exporter lines
 * and the exceptions are there at DEBUG.
 *
 * @author otel-export authors
 */
class OutageLogTests {

	private static final Duration OUTAGE = Duration.ofSeconds(30);

	/**
	 * How often the batch processor hands over a batch, by default.
	 */
	private static final Duration SCHEDULE_DELAY = Duration.ofSeconds(5);

	private static final int BATCH = 10;

	@RegisterExtension
	static final OtlpReceiverExtension receiverExtension = new OtlpReceiverExtension();

	private final TestTime time = new TestTime();

	@ParameterizedTest(name = "{0}")
	@EnumSource(OtlpProtocol.class)
	void aThirtySecondOutageLogsOneLineWhenItStartsAndOneWhenItEnds(OtlpProtocol protocol) {
		OtlpReceiver receiver = receiverExtension.get();
		String endpoint = (protocol == OtlpProtocol.GRPC) ? receiver.grpcEndpoint() : receiver.httpEndpoint();
		ExporterSettings settings = ExporterSettings.of(DestinationRole.PRIMARY, protocol, endpoint)
			.withTimeout(Duration.ofSeconds(3));
		ResilientSpanExporter exporter = builder(settings).build();
		List<String> lines;
		try (LogCapture log = capture()) {
			receiver.refuseConnections();
			int batches = outage(exporter);
			receiver.accept();
			assertThat(exporter.export(TestSpans.batch(BATCH)).isSuccess()).isTrue();
			assertThat(receiver.spanCount()).isEqualTo(BATCH);
			lines = log.lines();
			long dropped = exporter.statistics().snapshot().droppedByReason().get(DropReason.RETRIES_EXHAUSTED);
			assertThat(dropped).isEqualTo((long) batches * BATCH);

			assertThat(visible(lines)).hasSize(2)
				.satisfiesExactly(
						(line) -> assertThat(line)
							.startsWith("WARNING Span export to the primary " + protocol + " exporter " + endpoint
									+ " (otel.export.endpoint) is failing: CONNECTION_REFUSED (")
							.endsWith(ExportErrorCategory.CONNECTION_REFUSED.hint(DestinationRole.PRIMARY)
									+ " Logged again when it recovers."),
						(line) -> assertThat(line)
							.startsWith("INFO Span export to the primary " + protocol + " exporter " + endpoint
									+ " (otel.export.endpoint) works again after ")
							.endsWith(" of failures; dropped meanwhile: " + dropped + " spans (retries_exhausted "
									+ dropped + ")."));
			assertOnlyAtDebug(lines);
		}
		finally {
			exporter.shutdown();
		}
	}

	@Test
	void linesAboutAnUnknownFallbackHostNameTheFallbacksProperties() {
		OtlpReceiver receiver = receiverExtension.get();
		ExporterSettings primary = ExporterSettings
			.of(DestinationRole.PRIMARY, OtlpProtocol.GRPC, receiver.grpcEndpoint())
			.withTimeout(Duration.ofSeconds(3));
		String fallbackEndpoint = "http://nonexistent.invalid:4318/v1/traces";
		ExporterSettings fallback = ExporterSettings
			.of(DestinationRole.FALLBACK, OtlpProtocol.HTTP_PROTOBUF, fallbackEndpoint)
			.withTimeout(Duration.ofSeconds(3));
		ResilientSpanExporter exporter = builder(primary)
			.fallback(OtlpTransports.create(fallback), fallback.description())
			.failureThreshold(2)
			.build();
		List<String> lines;
		try (LogCapture log = capture()) {
			receiver.refuseConnections();
			outage(exporter);
			// the summary comes once the delegates are shut down
			assertThat(exporter.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
			lines = log.lines();
		}
		finally {
			exporter.shutdown();
		}
		String fallbackExporter = "fallback http/protobuf exporter " + fallbackEndpoint
				+ " (otel.export.fallback.endpoint)";
		String primaryExporter = "primary grpc exporter " + receiver.grpcEndpoint() + " (otel.export.endpoint)";
		assertThat(visible(lines)).hasSize(5)
			.satisfiesExactly(
					(line) -> assertThat(line).startsWith("WARNING Span export to the " + primaryExporter)
						.contains("is failing: CONNECTION_REFUSED"),
					(line) -> assertThat(line).startsWith("WARNING Span export to the " + fallbackExporter)
						.contains("is failing: UNKNOWN_HOST (")
						.endsWith(ExportErrorCategory.UNKNOWN_HOST.hint(DestinationRole.FALLBACK)
								+ " Logged again when it recovers."),
					(line) -> assertThat(line).isEqualTo("WARNING Sending spans to the " + fallbackExporter
							+ " after 2 failed batches in a row on the " + primaryExporter
							+ "; the primary is probed every 30s"),
					(line) -> assertThat(line).startsWith("WARNING Span export to the " + primaryExporter)
						.contains("was still failing at shutdown, for ")
						.contains("CONNECTION_REFUSED"),
					(line) -> assertThat(line).startsWith("WARNING Span export to the " + fallbackExporter)
						.contains("was still failing at shutdown, for ")
						.contains("UNKNOWN_HOST")
						.contains("check the spelling of otel.export.fallback.endpoint")
						.contains("Dropped meanwhile: "));
		assertThat(visible(lines)).noneMatch((line) -> line.contains("spelling of otel.export.endpoint"));
		assertOnlyAtDebug(lines);
	}

	/**
	 * Hand over a batch every schedule delay until the outage has lasted its time.
	 * @return how many batches were handed over
	 */
	private int outage(ResilientSpanExporter exporter) {
		Duration end = this.time.elapsed().plus(OUTAGE);
		int batches = 0;
		while (this.time.elapsed().compareTo(end) < 0) {
			assertThat(exporter.export(TestSpans.batch(BATCH)).isSuccess()).isFalse();
			batches++;
			this.time.advance(SCHEDULE_DELAY);
		}
		// the retries' waits made the batches take most of the outage's time
		assertThat(batches).isGreaterThan(1).isLessThan((int) (OUTAGE.toSeconds() / SCHEDULE_DELAY.toSeconds()));
		return batches;
	}

	private ResilientSpanExporterBuilder builder(ExporterSettings primary) {
		return ResilientSpanExporter.builder(OtlpTransports.create(primary), primary.description())
			// the defaults but the jitter: five attempts, 1s, 2s, 4s and 8s apart
			.retryPolicy(RetryPolicy.builder().jitter(0).build())
			.attemptTimeout(Duration.ofSeconds(3))
			.clock(this.time)
			.ticker(this.time)
			.sleeper(new TestSleeper(this.time));
	}

	private static LogCapture capture() {
		List<String> names = new ArrayList<>();
		names.add(ResilientSpanExporter.class.getName());
		names.add(FailoverCircuit.class.getName());
		return LogCapture.of(names);
	}

	/**
	 * The lines an application shows by default: INFO and above.
	 */
	private static List<String> visible(List<String> lines) {
		return lines.stream().filter((line) -> level(line).intValue() >= Level.INFO.intValue()).toList();
	}

	/**
	 * None of the lines an operator sees has a stack trace; the SDK's failed span exports
	 * and the exceptions are kept for DEBUG.
	 */
	private static void assertOnlyAtDebug(List<String> lines) {
		assertThat(visible(lines))
			.allSatisfy((line) -> assertThat(line).doesNotContain(System.lineSeparator()).doesNotContain("\tat "));
		List<String> debug = lines.stream().filter((line) -> level(line) == Level.FINE).toList();
		assertThat(debug)
			.anyMatch((line) -> line.contains(" attempt(s) to ") && line.contains(System.lineSeparator() + "\tat "));
	}

	private static Level level(String line) {
		return Level.parse(line.substring(0, line.indexOf(' ')));
	}

}
