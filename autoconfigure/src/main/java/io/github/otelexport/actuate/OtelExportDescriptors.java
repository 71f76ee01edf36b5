package io.github.otelexport.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.otelexport.diagnose.EndpointDiagnosis;
import io.github.otelexport.diagnose.ProbeStep;
import io.github.otelexport.stats.CircuitState;
import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportErrorCategory;
import io.github.otelexport.stats.ExportSnapshot.BufferSnapshot;
import io.github.otelexport.stats.ExportSnapshot.DiskSnapshot;
import io.github.otelexport.stats.ExportSnapshot.ExporterSnapshot;
import io.github.otelexport.stats.ExportSnapshot.QueueSnapshot;
import io.github.otelexport.stats.ExportSnapshot.RecentError;
import io.github.otelexport.stats.ExportSnapshot;

/**
 * The JSON shapes of the {@code otelexport} endpoint.
 *
 * @author otel-export authors
 */
public final class OtelExportDescriptors {

	private OtelExportDescriptors() {
	}

	/**
	 * Return a category's hint as recorded with its newest error, the primary's when none
	 * is left: a count mixes both destinations, while the hint names one destination's
	 * properties.
	 * @param category the category
	 * @param recentErrors recent errors, newest first
	 * @return the hint
	 */
	static String hint(ExportErrorCategory category, List<RecentError> recentErrors) {
		return recentErrors.stream()
			.filter((error) -> error.category() == category)
			.map(RecentError::hint)
			.findFirst()
			.orElseGet(() -> category.hint(DestinationRole.PRIMARY));
	}

	/**
	 * The whole state of span export.
	 *
	 * @param state UP, DEGRADED or DOWN, as the health indicator reports it
	 * @param reason why
	 * @param failingSince when the current run of failures started, or {@code null}
	 * @param circuitState which exporter receives batches
	 * @param consecutiveFailures batches that failed in a row on the primary
	 * @param spans span totals
	 * @param exporters per-exporter totals and outcomes
	 * @param retries attempts that were retries
	 * @param lastSuccess when a batch was last exported
	 * @param lastFailure when an attempt last failed
	 * @param errors failed attempts by category, with cause and hint
	 * @param dropped dropped spans by reason
	 * @param queue the batch processor's queue use
	 * @param buffer the buffer between batching and sending
	 * @param recentErrors recent errors, newest first
	 * @param configuration the effective configuration, without secrets
	 * @param lastDiagnosis the latest endpoint diagnosis, empty when none ran
	 * @param logs the export of log records, {@code null} when log export is off
	 */
	public record ExportDescriptor(ExportStatus state, String reason, Instant failingSince, CircuitState circuitState,
			int consecutiveFailures, SpansDescriptor spans, List<ExporterDescriptor> exporters, long retries,
			Instant lastSuccess, Instant lastFailure, Map<String, CategoryCountDescriptor> errors,
			Map<String, Long> dropped, QueueSnapshot queue, BufferDescriptor buffer,
			List<RecentErrorDescriptor> recentErrors, ExportConfigurationDescriptor configuration,
			List<DiagnosisDescriptor> lastDiagnosis, LogsDescriptor logs) {

		static ExportDescriptor of(ExportSnapshot snapshot, ExportState state,
				ExportConfigurationDescriptor configuration, List<EndpointDiagnosis> lastDiagnosis,
				LogsDescriptor logs) {
			return new ExportDescriptor(state.status(), state.reason(), state.failingSince(), snapshot.circuitState(),
					snapshot.consecutiveFailures(), SpansDescriptor.of(snapshot),
					snapshot.exporters().stream().map(ExporterDescriptor::of).toList(), snapshot.retries(),
					snapshot.lastSuccess(), snapshot.lastFailure(), OtelExportDescriptors.errors(snapshot),
					OtelExportDescriptors.dropped(snapshot), snapshot.queue(),
					BufferDescriptor.of(snapshot.buffer(), snapshot.disk()),
					RecentErrorDescriptor.of(snapshot.recentErrors()), configuration,
					lastDiagnosis.stream().map(DiagnosisDescriptor::of).toList(), logs);
		}

	}

	/**
	 * The export of log records, beside the spans': what is the signal's own, its
	 * failover circuit included. The buffer is shared by both signals and shown once,
	 * with the spans. The fields named after spans ({@code exportedSpans}, a recent
	 * error's {@code spans}) count log records here.
	 *
	 * @param state UP, DEGRADED or DOWN, as the health indicator reports log export
	 * @param reason why
	 * @param failingSince when the current run of failures started, or {@code null}
	 * @param circuitState which exporter receives batches of log records
	 * @param consecutiveFailures batches of log records that failed in a row on the
	 * primary
	 * @param logRecords log record totals
	 * @param exporters per-exporter totals and outcomes of log records
	 * @param retries attempts that were retries
	 * @param lastSuccess when a batch of log records was last exported
	 * @param lastFailure when an attempt last failed
	 * @param errors failed attempts by category, with cause and hint
	 * @param dropped dropped log records by reason
	 * @param queue the log batch processor's queue use
	 * @param drainRate log records a second exported over the last 10 seconds, to a tenth
	 * @param recentErrors recent errors, newest first
	 */
	public record LogsDescriptor(ExportStatus state, String reason, Instant failingSince, CircuitState circuitState,
			int consecutiveFailures, SpansDescriptor logRecords, List<ExporterDescriptor> exporters, long retries,
			Instant lastSuccess, Instant lastFailure, Map<String, CategoryCountDescriptor> errors,
			Map<String, Long> dropped, QueueSnapshot queue, double drainRate,
			List<RecentErrorDescriptor> recentErrors) {

		static LogsDescriptor of(ExportSnapshot snapshot, ExportState state) {
			return new LogsDescriptor(state.status(), state.reason(), state.failingSince(), snapshot.circuitState(),
					snapshot.consecutiveFailures(), SpansDescriptor.of(snapshot),
					snapshot.exporters().stream().map(ExporterDescriptor::of).toList(), snapshot.retries(),
					snapshot.lastSuccess(), snapshot.lastFailure(), OtelExportDescriptors.errors(snapshot),
					OtelExportDescriptors.dropped(snapshot), snapshot.queue(),
					Math.round(snapshot.buffer().drainRate() * 10) / 10.0,
					RecentErrorDescriptor.of(snapshot.recentErrors()));
		}

	}

	private static Map<String, CategoryCountDescriptor> errors(ExportSnapshot snapshot) {
		Map<String, CategoryCountDescriptor> errors = new LinkedHashMap<>();
		snapshot.errorsByCategory()
			.forEach((category, count) -> errors.put(category.name(),
					new CategoryCountDescriptor(count, category.cause(), hint(category, snapshot.recentErrors()))));
		return errors;
	}

	private static Map<String, Long> dropped(ExportSnapshot snapshot) {
		Map<String, Long> dropped = new LinkedHashMap<>();
		for (Map.Entry<DropReason, Long> entry : snapshot.droppedByReason().entrySet()) {
			dropped.put(entry.getKey().tagValue(), entry.getValue());
		}
		return dropped;
	}

	/**
	 * The buffer between batching and sending, in the health details and the endpoint
	 * alike.
	 *
	 * @param bytes request bytes waiting in it
	 * @param maxBytes its limit in bytes, {@code 0} when there is no buffer
	 * @param batches batches waiting in it
	 * @param spans spans of those batches
	 * @param oldestAgeMillis how long the oldest waiting batch has waited, in
	 * milliseconds, {@code 0} when nothing waits
	 * @param drainRate items a second exported from the buffer over the last 10 seconds,
	 * of every signal (as {@code spans} counts them), to a tenth
	 * @param timeToDrainMillis how long the spans waiting take to go out at that rate, in
	 * milliseconds: {@code 0} when nothing waits, {@code null} while nothing goes out
	 * @param diskBytes bytes of the disk buffer's files, {@code null} without a disk
	 * buffer; with one, {@code bytes} is what memory caches of it
	 * @param diskMaxBytes the disk buffer's limit in bytes, {@code null} without one
	 */
	public record BufferDescriptor(long bytes, long maxBytes, int batches, long spans, long oldestAgeMillis,
			double drainRate, Long timeToDrainMillis, Long diskBytes, Long diskMaxBytes) {

		static BufferDescriptor of(BufferSnapshot buffer, DiskSnapshot disk) {
			Duration timeToDrain = buffer.timeToDrain();
			boolean onDisk = disk.maxBytes() > 0;
			return new BufferDescriptor(buffer.bytes(), buffer.maxBytes(), buffer.batches(), buffer.spans(),
					buffer.oldestAge().toMillis(), Math.round(buffer.totalDrainRate() * 10) / 10.0,
					(timeToDrain != null) ? timeToDrain.toMillis() : null, onDisk ? disk.bytes() : null,
					onDisk ? disk.maxBytes() : null);
		}

	}

	/**
	 * Span totals: {@code received + recovered == exported + dropped + inFlight}.
	 *
	 * @param received spans handed to the pipeline
	 * @param exported spans delivered by any exporter
	 * @param dropped spans dropped for any reason
	 * @param inFlight spans queued or being exported
	 * @param possiblyDuplicated copies of exported spans the backends may hold besides
	 * the one counted: one for each attempt abandoned without an answer
	 * @param recovered spans the disk buffer kept from before the restart, counted in
	 * {@code exported}, {@code dropped} or {@code inFlight} like the ones received
	 */
	public record SpansDescriptor(long received, long exported, long dropped, long inFlight, long possiblyDuplicated,
			long recovered) {

		static SpansDescriptor of(ExportSnapshot snapshot) {
			return new SpansDescriptor(snapshot.spansReceived(), snapshot.spansExported(), snapshot.spansDropped(),
					snapshot.spansInFlight(), snapshot.spansPossiblyDuplicated(), snapshot.spansRecovered());
		}

	}

	/**
	 * The totals of one exporter.
	 *
	 * @param role {@code primary} or {@code fallback}
	 * @param endpoint the endpoint without credentials
	 * @param protocol {@code grpc} or {@code http/protobuf}
	 * @param exportedSpans spans this exporter delivered
	 * @param successfulBatches batches this exporter delivered
	 * @param failedAttempts attempts on this exporter that failed
	 * @param lastSuccess when this exporter last delivered a batch, or {@code null}
	 * @param lastFailure when an attempt on this exporter last failed, or {@code null}
	 */
	public record ExporterDescriptor(String role, String endpoint, String protocol, long exportedSpans,
			long successfulBatches, long failedAttempts, Instant lastSuccess, Instant lastFailure) {

		static ExporterDescriptor of(ExporterSnapshot exporter) {
			return new ExporterDescriptor(exporter.role().value(), exporter.endpoint(), exporter.protocol().value(),
					exporter.exportedSpans(), exporter.successfulBatches(), exporter.failedAttempts(),
					exporter.lastSuccess(), exporter.lastFailure());
		}

	}

	/**
	 * One failed export attempt.
	 *
	 * @param timestamp when the attempt failed
	 * @param category what went wrong
	 * @param exporter {@code primary} or {@code fallback}
	 * @param endpoint the endpoint without credentials
	 * @param message a one-line description free of credentials
	 * @param exceptionType the underlying exception's class name, or {@code null}
	 * @param attempt the attempt number within its batch, starting at 1
	 * @param spans the number of spans in the batch
	 */
	public record RecentErrorDescriptor(Instant timestamp, ExportErrorCategory category, String exporter,
			String endpoint, String message, String exceptionType, int attempt, int spans) {

		static List<RecentErrorDescriptor> of(List<RecentError> errors) {
			return errors.stream()
				.map((error) -> new RecentErrorDescriptor(error.timestamp(), error.category(), error.exporter().value(),
						error.endpoint(), error.message(), error.exceptionType(), error.attempt(), error.spans()))
				.toList();
		}

	}

	/**
	 * Failed attempts of one category.
	 *
	 * @param count how many attempts failed this way
	 * @param cause what the category means
	 * @param hint what to do about it, naming the properties of the destination with the
	 * newest error of the category
	 */
	public record CategoryCountDescriptor(long count, String cause, String hint) {

	}

	/**
	 * One category in detail, for the selector read.
	 *
	 * @param category the category
	 * @param cause what the category means
	 * @param hint what to do about it, naming the properties of the destination with the
	 * newest error of the category
	 * @param count how many attempts failed this way
	 * @param recentErrors the recent errors of this category, newest first
	 * @param logs the same for log records, {@code null} when log export is off
	 */
	public record CategoryDescriptor(ExportErrorCategory category, String cause, String hint, long count,
			List<RecentErrorDescriptor> recentErrors, CategoryCountsDescriptor logs) {

		static CategoryDescriptor of(ExportErrorCategory category, ExportSnapshot spans, ExportSnapshot logsOrNull) {
			List<RecentError> spanErrors = recentErrors(spans, category);
			List<RecentError> logErrors = (logsOrNull != null) ? recentErrors(logsOrNull, category) : List.of();
			List<RecentError> both = new ArrayList<>(spanErrors);
			both.addAll(logErrors);
			// the hint of the newest error, whichever signal met it
			both.sort((a, b) -> b.timestamp().compareTo(a.timestamp()));
			CategoryCountsDescriptor logs = (logsOrNull != null)
					? new CategoryCountsDescriptor(logsOrNull.errorsByCategory().getOrDefault(category, 0L),
							RecentErrorDescriptor.of(logErrors))
					: null;
			return new CategoryDescriptor(category, category.cause(), OtelExportDescriptors.hint(category, both),
					spans.errorsByCategory().getOrDefault(category, 0L), RecentErrorDescriptor.of(spanErrors), logs);
		}

		private static List<RecentError> recentErrors(ExportSnapshot snapshot, ExportErrorCategory category) {
			return snapshot.recentErrors().stream().filter((error) -> error.category() == category).toList();
		}

	}

	/**
	 * One category's failed attempts of one signal.
	 *
	 * @param count how many attempts failed this way
	 * @param recentErrors the recent errors of this category, newest first
	 */
	public record CategoryCountsDescriptor(long count, List<RecentErrorDescriptor> recentErrors) {

	}

	/**
	 * The diagnosis of one endpoint.
	 *
	 * @param role {@code primary} or {@code fallback}
	 * @param endpoint the endpoint without credentials
	 * @param timestamp when the diagnosis started
	 * @param ok whether every step passed
	 * @param category the failed step's category, or {@code null}
	 * @param hint the failed step's hint, or {@code null}
	 * @param summary one line: OK or what failed and the fix
	 * @param steps each step in order
	 */
	public record DiagnosisDescriptor(String role, String endpoint, Instant timestamp, boolean ok,
			ExportErrorCategory category, String hint, String summary, List<StepDescriptor> steps) {

		static DiagnosisDescriptor of(EndpointDiagnosis diagnosis) {
			ProbeStep failed = diagnosis.failedStep().orElse(null);
			return new DiagnosisDescriptor(diagnosis.role().value(), diagnosis.endpoint(), diagnosis.timestamp(),
					diagnosis.ok(), (failed != null) ? failed.category() : null,
					(failed != null) ? failed.hint() : null, diagnosis.summary(),
					diagnosis.steps().stream().map(StepDescriptor::of).toList());
		}

	}

	/**
	 * One diagnosis step.
	 *
	 * @param name {@code dns}, {@code tcp}, {@code tls} or {@code otlp}
	 * @param outcome OK, FAILED or SKIPPED
	 * @param durationMillis how long it took, in milliseconds
	 * @param category what went wrong, or {@code null}
	 * @param hint what to do about it, or {@code null}
	 * @param detail what the step found
	 */
	public record StepDescriptor(String name, ProbeStep.Outcome outcome, long durationMillis,
			ExportErrorCategory category, String hint, String detail) {

		static StepDescriptor of(ProbeStep step) {
			return new StepDescriptor(step.name(), step.outcome(), step.duration().toMillis(), step.category(),
					step.hint(), step.detail());
		}

	}

}
