package io.github.otelexport.export;

import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;

import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.export.transport.Signal;
import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportErrorCategory;
import io.github.otelexport.stats.ExportFailure;
import io.github.otelexport.stats.ExporterDescription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link FailureEpisodeLog}: how many lines a destination's failures make, and
 * what each says, with time the test moves.
 *
 * @author otel-export authors
 */
class FailureEpisodeLogTests {

	private static final String LOGGER = FailureEpisodeLogTests.class.getName();

	private static final String ENDPOINT = "http://collector:4317";

	private static final ExportFailure REFUSED = failure(ExportErrorCategory.CONNECTION_REFUSED,
			"Failed to connect to collector/10.0.0.7:4317");

	private static final ExportFailure UNAVAILABLE = failure(ExportErrorCategory.UNAVAILABLE, "HTTP 503");

	private final TestTime time = new TestTime();

	private final LogCapture log = LogCapture.of(List.of(LOGGER));

	private final FailureEpisodeLog primary = episodes(ExporterDescription.primary(ENDPOINT, OtlpProtocol.GRPC));

	@AfterEach
	void closeLog() {
		this.log.close();
	}

	@Test
	void oneLineWhenADestinationStartsFailingAndOneWhenItRecovers() {
		for (int second = 0; second < 240; second++) {
			this.primary.attemptFailed(REFUSED);
			if (second % 10 == 9) {
				this.primary.dropped(DropReason.RETRIES_EXHAUSTED, 100);
			}
			this.time.advance(Duration.ofSeconds(1));
		}
		this.primary.dropped(DropReason.PERMANENT_ERROR, 5);
		this.primary.attemptSucceeded();
		this.primary.attemptSucceeded();
		assertThat(this.log.lines()).containsExactly(
				"WARNING Span export to the primary grpc exporter http://collector:4317 (otel.export.endpoint) is failing: "
						+ "CONNECTION_REFUSED (Failed to connect to collector/10.0.0.7:4317). "
						+ ExportErrorCategory.CONNECTION_REFUSED.hint(DestinationRole.PRIMARY)
						+ " Logged again when it recovers.",
				"INFO Span export to the primary grpc exporter http://collector:4317 (otel.export.endpoint) works again "
						+ "after 4m of failures; dropped meanwhile: 2405 spans (retries_exhausted 2400, "
						+ "permanent_error 5).");
	}

	@Test
	void theLinesAboutLogRecordsSpeakOfLogRecords() {
		FailureEpisodeLog logs = new FailureEpisodeLog(ExporterDescription.primary(ENDPOINT, OtlpProtocol.GRPC),
				Signal.LOGS, Logger.getLogger(LOGGER), this.time, SecretRedactor.urlCredentialsOnly());
		ExportFailure unimplemented = new ExportFailure(ExportErrorCategory.INVALID_ENDPOINT, false,
				"gRPC UNIMPLEMENTED", null, null);
		logs.attemptFailed(unimplemented);
		logs.dropped(DropReason.BUFFER_FULL, 7);
		logs.dropped(DropReason.PERMANENT_ERROR, 3);
		this.time.advance(Duration.ofSeconds(30));
		logs.attemptSucceeded();
		logs.attemptFailed(REFUSED);
		logs.attemptSucceeded();
		logs.rejected(failure(ExportErrorCategory.REJECTED, "too old"), 2);
		assertThat(this.log.lines()).containsExactly(
				"WARNING Log record export to the primary grpc exporter http://collector:4317 (otel.export.endpoint) "
						+ "is failing: INVALID_ENDPOINT (gRPC UNIMPLEMENTED). If spans get through, the backend does "
						+ "not take OTLP logs (a traces-only backend, such as Jaeger's OTLP receiver, answers HTTP 404 "
						+ "on /v1/logs or gRPC UNIMPLEMENTED): send logs through a Collector that takes them, or set "
						+ "otel.export.logs.enabled=false. Else: "
						+ ExportErrorCategory.INVALID_ENDPOINT.hint(DestinationRole.PRIMARY)
						+ " Logged again when it recovers.",
				"INFO Log record export to the primary grpc exporter http://collector:4317 (otel.export.endpoint) "
						+ "works again after 30s of failures; dropped meanwhile: 10 log records (permanent_error 3, "
						+ "buffer_full 7).",
				"WARNING Log record export to the primary grpc exporter http://collector:4317 (otel.export.endpoint) "
						+ "is failing: CONNECTION_REFUSED (Failed to connect to collector/10.0.0.7:4317). "
						+ ExportErrorCategory.CONNECTION_REFUSED.hint(DestinationRole.PRIMARY)
						+ " Logged again when it recovers.",
				"INFO Log record export to the primary grpc exporter http://collector:4317 (otel.export.endpoint) "
						+ "works again after 0s of failures; no log record dropped meanwhile.",
				"WARNING Log record export to the primary grpc exporter http://collector:4317 (otel.export.endpoint) "
						+ "rejected 2 log records of batches it accepted (dropped as permanent_error, not retried): "
						+ "REJECTED (too old). " + ExportErrorCategory.REJECTED.hint(DestinationRole.PRIMARY));
	}

	@Test
	void aNewCategoryWithinTheFailureLogsOneMoreLine() {
		for (int i = 0; i < 10; i++) {
			this.primary.attemptFailed((i % 2 == 0) ? REFUSED : UNAVAILABLE);
			this.time.advance(Duration.ofSeconds(2));
		}
		this.primary.attemptSucceeded();
		assertThat(this.log.lines()).hasSize(3)
			.satisfiesExactly(
					(line) -> assertThat(line).startsWith("WARNING ").contains("is failing: CONNECTION_REFUSED"),
					(line) -> assertThat(line).startsWith("WARNING ")
						.contains("(otel.export.endpoint) now fails with UNAVAILABLE (HTTP 503). "
								+ ExportErrorCategory.UNAVAILABLE.hint(DestinationRole.PRIMARY)),
					(line) -> assertThat(line).startsWith("INFO ")
						.contains("works again after 20s of failures; no span dropped meanwhile."));
	}

	@Test
	void aLastingFailureIsRemindedEveryFiveMinutes() {
		for (int seconds = 0; seconds < 12 * 60; seconds += 10) {
			this.primary.attemptFailed(REFUSED);
			this.primary.dropped(DropReason.RETRIES_EXHAUSTED, 1);
			this.time.advance(Duration.ofSeconds(10));
		}
		assertThat(this.log.lines()).hasSize(3)
			.satisfiesExactly((line) -> assertThat(line).contains("is failing: CONNECTION_REFUSED"),
					(line) -> assertThat(line).startsWith("WARNING ")
						.contains("(otel.export.endpoint) is still failing, for 5m: CONNECTION_REFUSED")
						.contains(ExportErrorCategory.CONNECTION_REFUSED.hint(DestinationRole.PRIMARY))
						.endsWith(" Dropped so far: 30 spans (retries_exhausted 30)."),
					(line) -> assertThat(line).contains("is still failing, for 10m: CONNECTION_REFUSED")
						.endsWith(" Dropped so far: 30 spans (retries_exhausted 30)."));
	}

	@Test
	void aDestinationThatKeepsFailingAndRecoveringIsSummarised() {
		for (int episode = 0; episode < 10; episode++) {
			this.primary.attemptFailed(REFUSED);
			this.primary.dropped(DropReason.RETRIES_EXHAUSTED, 1);
			this.time.advance(Duration.ofSeconds(5));
			this.primary.attemptSucceeded();
			this.time.advance(Duration.ofSeconds(15));
		}
		List<String> lines = this.log.lines();
		assertThat(lines).hasSize(7);
		assertThat(lines.subList(0, 6)).allSatisfy((line) -> assertThat(line).matches("(WARNING|INFO) .*"));
		assertThat(lines.get(6)).startsWith("WARNING ")
			.contains("is failing again: CONNECTION_REFUSED")
			.contains("It failed and recovered 3 times within 5m; from now on that is summarised at most every 5m.");
		this.time.advance(Duration.ofMinutes(5));
		this.primary.attemptSucceeded();
		assertThat(this.log.lines()).hasSize(8);
		assertThat(this.log.lines().get(7)).startsWith("INFO ")
			.contains("(otel.export.endpoint) works now; the last failure: CONNECTION_REFUSED")
			.endsWith("It failed and recovered 7 more times; dropped meanwhile: 7 spans (retries_exhausted 7).");
	}

	@Test
	void rejectionLinesDoNotPostponeTheSummaryOfFailures() {
		ExportFailure rejection = failure(ExportErrorCategory.REJECTED, "1 span rejected: span too old");
		// failing and recovering every 20s, each recovery a partial success: three
		// failures are announced, the fourth (at 1m) begins summarising them
		for (int episode = 0; episode < 10; episode++) {
			this.primary.attemptFailed(REFUSED);
			this.time.advance(Duration.ofSeconds(5));
			this.primary.attemptSucceeded();
			this.primary.rejected(rejection, 1);
			this.time.advance(Duration.ofSeconds(15));
		}
		// then partial successes only, every 20s from 3m20s to 6m20s: a rejection line at
		// 5m20s, the first 5m after the one at 5s
		while (this.time.elapsed().compareTo(Duration.ofSeconds(380)) <= 0) {
			this.primary.attemptSucceeded();
			this.primary.rejected(rejection, 1);
			this.time.advance(Duration.ofSeconds(20));
		}
		List<String> lines = this.log.lines();
		assertThat(lines).filteredOn((line) -> line.contains("is failing again: CONNECTION_REFUSED")).hasSize(1);
		assertThat(lines).filteredOn((line) -> line.contains(" rejected ")).hasSize(2);
		// the failures' summary is due 5m after the line at 1m (at 6m), whatever the
		// rejection lines said meanwhile
		assertThat(lines.get(lines.size() - 1)).startsWith("INFO ")
			.contains("(otel.export.endpoint) works now; the last failure: CONNECTION_REFUSED")
			.endsWith("It failed and recovered 7 more times; no span dropped meanwhile.");
	}

	@Test
	void rejectedSpansAreSummarised() {
		ExportFailure rejection = failure(ExportErrorCategory.REJECTED, "2 spans rejected: span too old");
		for (int i = 0; i < 10; i++) {
			this.primary.attemptSucceeded();
			this.primary.rejected(rejection, 2);
			this.time.advance(Duration.ofMinutes(1));
		}
		assertThat(this.log.lines()).hasSize(2)
			.satisfiesExactly(
					(line) -> assertThat(line).startsWith("WARNING ")
						.contains("(otel.export.endpoint) rejected 2 spans of batches it accepted (dropped as "
								+ "permanent_error, not retried): REJECTED (2 spans rejected: span too old). "
								+ ExportErrorCategory.REJECTED.hint(DestinationRole.PRIMARY)),
					(line) -> assertThat(line).contains("rejected 10 spans of batches it accepted")
						.contains("since the last such line 5m ago"));
		this.primary.shutdown();
		assertThat(this.log.lines()).hasSize(3);
		assertThat(this.log.lines().get(2)).contains("rejected 8 spans of batches it accepted");
	}

	@Test
	void shutdownReportsAFailureStillGoingOn() {
		this.primary.attemptFailed(REFUSED);
		this.primary.dropped(DropReason.RETRIES_EXHAUSTED, 12);
		this.time.advance(Duration.ofSeconds(42));
		this.primary.shutdown();
		assertThat(this.log.lines()).hasSize(2);
		assertThat(this.log.lines().get(1)).startsWith("WARNING ")
			.contains("(otel.export.endpoint) was still failing at shutdown, for 42s: CONNECTION_REFUSED")
			.endsWith("Dropped meanwhile: 12 spans (retries_exhausted 12).");
	}

	@Test
	void shutdownSaysNothingMoreWhenEverythingWasReported() {
		this.primary.attemptFailed(REFUSED);
		this.primary.attemptSucceeded();
		this.primary.shutdown();
		assertThat(this.log.lines()).hasSize(2);
	}

	@Test
	void linesAboutTheFallbackNameTheFallbacksProperties() {
		FailureEpisodeLog fallback = episodes(
				ExporterDescription.fallback("http://backup.invalid:4318/v1/traces", OtlpProtocol.HTTP_PROTOBUF));
		fallback.attemptFailed(failure(ExportErrorCategory.UNKNOWN_HOST, "backup.invalid"));
		assertThat(this.log.lines()).singleElement()
			.isEqualTo(
					"WARNING Span export to the fallback http/protobuf exporter http://backup.invalid:4318/v1/traces "
							+ "(otel.export.fallback.endpoint) is failing: UNKNOWN_HOST (backup.invalid). The host name does "
							+ "not resolve: check the spelling of otel.export.fallback.endpoint and the DNS or service name. "
							+ "Logged again when it recovers.");
	}

	private FailureEpisodeLog episodes(ExporterDescription description) {
		return new FailureEpisodeLog(description, Signal.TRACES, Logger.getLogger(LOGGER), this.time,
				SecretRedactor.urlCredentialsOnly());
	}

	private static ExportFailure failure(ExportErrorCategory category, String message) {
		return new ExportFailure(category, true, message, null, null);
	}

}
