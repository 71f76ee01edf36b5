package io.github.otelexport.actuate;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import io.github.otelexport.actuate.OtelExportDescriptors.CategoryDescriptor;
import io.github.otelexport.actuate.OtelExportDescriptors.DiagnosisDescriptor;
import io.github.otelexport.actuate.OtelExportDescriptors.ExportDescriptor;
import io.github.otelexport.actuate.OtelExportDescriptors.LogsDescriptor;
import io.github.otelexport.stats.ExportErrorCategory;
import io.github.otelexport.stats.ExportSnapshot;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code otelexport} actuator endpoint: the export statistics, errors by category
 * with their hints, the effective configuration without secrets, and an on-demand
 * diagnosis of each endpoint. When log records are exported through the same engine, a
 * {@code logs} section shows them beside the spans, and a category's read counts both.
 * <p>
 * Read-only by default; the diagnosis (a write operation, because it opens connections)
 * needs {@code management.endpoint.otelexport.access=unrestricted}.
 *
 * @author otel-export authors
 */
@Endpoint(id = "otelexport", defaultAccess = Access.READ_ONLY)
public final class OtelExportEndpoint {

	/**
	 * The category names a selector accepts, in lower case.
	 */
	static final List<String> VALID_CATEGORIES = Arrays.stream(ExportErrorCategory.values())
		.map((category) -> category.name().toLowerCase(Locale.ROOT))
		.toList();

	private final Supplier<ExportSnapshot> snapshots;

	private final Supplier<ExportSnapshot> logSnapshots;

	private final ExportStateEvaluator evaluator;

	private final ExportConfigurationDescriptor configuration;

	private final EndpointDiagnostics diagnostics;

	/**
	 * Create the endpoint.
	 * @param snapshots supplies the current statistics snapshot
	 * @param evaluator decides the overall state, as the health indicator does
	 * @param configuration the effective configuration, already free of secrets
	 * @param diagnostics probes the endpoints on demand
	 */
	public OtelExportEndpoint(Supplier<ExportSnapshot> snapshots, ExportStateEvaluator evaluator,
			ExportConfigurationDescriptor configuration, EndpointDiagnostics diagnostics) {
		this(snapshots, null, evaluator, configuration, diagnostics);
	}

	/**
	 * Create the endpoint for spans and log records.
	 * @param snapshots supplies the current statistics snapshot of spans
	 * @param logSnapshotsOrNull supplies the current statistics snapshot of log records,
	 * or {@code null} when log export is off
	 * @param evaluator decides the overall state, as the health indicator does
	 * @param configuration the effective configuration, already free of secrets
	 * @param diagnostics probes the endpoints on demand
	 */
	public OtelExportEndpoint(Supplier<ExportSnapshot> snapshots, Supplier<ExportSnapshot> logSnapshotsOrNull,
			ExportStateEvaluator evaluator, ExportConfigurationDescriptor configuration,
			EndpointDiagnostics diagnostics) {
		this.snapshots = snapshots;
		this.logSnapshots = logSnapshotsOrNull;
		this.evaluator = evaluator;
		this.configuration = configuration;
		this.diagnostics = diagnostics;
	}

	/**
	 * Return the whole export state.
	 * @return the descriptor
	 */
	@ReadOperation
	public ExportDescriptor export() {
		ExportSnapshot snapshot = this.snapshots.get();
		ExportSnapshot logs = logSnapshot();
		return ExportDescriptor.of(snapshot, this.evaluator.evaluate(snapshot), this.configuration,
				this.diagnostics.last(),
				(logs != null) ? LogsDescriptor.of(logs, this.evaluator.evaluate(logs)) : null);
	}

	/**
	 * Return one error category: its cause, hint, count and recent errors, those of log
	 * records apart when they are exported.
	 * @param category the category, case-insensitive, for example
	 * {@code connection_refused}
	 * @return the descriptor
	 */
	@ReadOperation
	public CategoryDescriptor category(@Selector String category) {
		return CategoryDescriptor.of(parse(category), this.snapshots.get(), logSnapshot());
	}

	private ExportSnapshot logSnapshot() {
		return (this.logSnapshots != null) ? this.logSnapshots.get() : null;
	}

	/**
	 * Probe every endpoint now (DNS, TCP, TLS, an empty OTLP request) and return each
	 * step's result. A request that arrives while a diagnosis runs gets that one's
	 * result.
	 * @return one diagnosis per endpoint, primary first
	 */
	@WriteOperation
	public List<DiagnosisDescriptor> diagnose() {
		return this.diagnostics.diagnose().stream().map(DiagnosisDescriptor::of).toList();
	}

	private static ExportErrorCategory parse(String category) {
		String name = category.trim().replace('-', '_').toUpperCase(Locale.ROOT);
		for (ExportErrorCategory candidate : ExportErrorCategory.values()) {
			if (candidate.name().equals(name)) {
				return candidate;
			}
		}
		String message = "Unknown error category '" + category + "'; valid categories are "
				+ String.join(", ", VALID_CATEGORIES);
		throw new InvalidEndpointRequestException(message, message);
	}

}
