package io.github.otelexport.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.github.otelexport.export.transport.OtlpProtocol;
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
 * Builds {@link ExportSnapshot}s for tests, the way the statistics would record a
 * sequence of outcomes.
 *
 * @author otel-export authors
 */
final class SnapshotBuilder {

	static final String PRIMARY_ENDPOINT = "http://collector:4317";

	static final String FALLBACK_ENDPOINT = "http://backup:4318/v1/traces";

	private final List<MutableExporter> exporters = new ArrayList<>();

	private CircuitState circuitState = CircuitState.CLOSED;

	private int consecutiveFailures;

	private long retries;

	private final Map<ExportErrorCategory, Long> errors = new EnumMap<>(ExportErrorCategory.class);

	private final Map<DropReason, Long> dropped = new EnumMap<>(DropReason.class);

	private Instant lastSuccess;

	private Instant lastFailure;

	private Instant failingSince;

	private final List<RecentError> recentErrors = new ArrayList<>();

	private long queueSize;

	private long queueCapacity = 2048;

	private BufferSnapshot buffer = BufferSnapshot.NONE;

	private DiskSnapshot disk = DiskSnapshot.NONE;

	private long recovered;

	private long received;

	private SnapshotBuilder(boolean withFallback) {
		this.exporters.add(new MutableExporter(DestinationRole.PRIMARY, PRIMARY_ENDPOINT, OtlpProtocol.GRPC));
		if (withFallback) {
			this.exporters
				.add(new MutableExporter(DestinationRole.FALLBACK, FALLBACK_ENDPOINT, OtlpProtocol.HTTP_PROTOBUF));
		}
	}

	static SnapshotBuilder primaryOnly() {
		return new SnapshotBuilder(false);
	}

	static SnapshotBuilder withFallback() {
		return new SnapshotBuilder(true);
	}

	SnapshotBuilder success(DestinationRole role, Instant at, int spans) {
		MutableExporter exporter = exporter(role);
		exporter.exportedSpans += spans;
		exporter.successfulBatches++;
		exporter.lastSuccess = at;
		this.lastSuccess = at;
		this.failingSince = null;
		this.received += spans;
		if (role == DestinationRole.PRIMARY) {
			this.consecutiveFailures = 0;
		}
		return this;
	}

	SnapshotBuilder failure(DestinationRole role, Instant at, ExportErrorCategory category, String message) {
		MutableExporter exporter = exporter(role);
		exporter.failedAttempts++;
		exporter.lastFailure = at;
		this.lastFailure = at;
		if (this.failingSince == null) {
			this.failingSince = at;
		}
		this.errors.merge(category, 1L, Long::sum);
		if (role == DestinationRole.PRIMARY) {
			this.consecutiveFailures++;
		}
		this.recentErrors.add(0, new RecentError(at, category, role, exporter.endpoint, message,
				"java.net.ConnectException", 1, 10, category.hint(role, exporter.headersProperty)));
		return this;
	}

	/**
	 * Say where an exporter's headers are configured, as the hints of its errors name it.
	 */
	SnapshotBuilder headersProperty(DestinationRole role, String property) {
		exporter(role).headersProperty = property;
		return this;
	}

	SnapshotBuilder retry() {
		this.retries++;
		return this;
	}

	SnapshotBuilder circuit(CircuitState state) {
		this.circuitState = state;
		return this;
	}

	SnapshotBuilder dropped(DropReason reason, long spans) {
		this.dropped.merge(reason, spans, Long::sum);
		this.received += spans;
		return this;
	}

	SnapshotBuilder buffer(long bytes, long maxBytes, int batches, long spans) {
		return buffer(bytes, maxBytes, batches, spans, Duration.ZERO, 0);
	}

	SnapshotBuilder buffer(long bytes, long maxBytes, int batches, long spans, Duration oldestAge, double drainRate) {
		this.buffer = new BufferSnapshot(bytes, maxBytes, batches, spans, oldestAge, drainRate);
		return this;
	}

	SnapshotBuilder buffer(BufferSnapshot buffer) {
		this.buffer = buffer;
		return this;
	}

	SnapshotBuilder queue(long size, long capacity) {
		this.queueSize = size;
		this.queueCapacity = capacity;
		return this;
	}

	/**
	 * Keep only the newest {@code size} recent errors, like a full ring.
	 */
	SnapshotBuilder recentErrorCapacity(int size) {
		while (this.recentErrors.size() > size) {
			this.recentErrors.remove(this.recentErrors.size() - 1);
		}
		return this;
	}

	SnapshotBuilder disk(long bytes, long maxBytes) {
		this.disk = new DiskSnapshot(bytes, maxBytes);
		return this;
	}

	SnapshotBuilder recovered(long spans) {
		this.recovered = spans;
		return this;
	}

	ExportSnapshot build() {
		List<ExporterSnapshot> exporterSnapshots = this.exporters.stream()
			.map((e) -> new ExporterSnapshot(e.role, e.endpoint, e.protocol, e.exportedSpans, e.successfulBatches,
					e.failedAttempts, e.lastSuccess, e.lastFailure))
			.toList();
		RecentError lastError = this.recentErrors.isEmpty() ? null : this.recentErrors.get(0);
		return new ExportSnapshot(this.received, 0, exporterSnapshots, this.circuitState, this.consecutiveFailures,
				this.retries, new EnumMap<>(this.errors), new EnumMap<>(this.dropped), this.lastSuccess,
				this.lastFailure, this.failingSince, lastError, new QueueSnapshot(this.queueSize, this.queueCapacity),
				this.buffer, List.copyOf(this.recentErrors), 0, this.recovered, this.disk);
	}

	private MutableExporter exporter(DestinationRole role) {
		return this.exporters.stream()
			.filter((e) -> e.role == role)
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("No exporter " + role));
	}

	private static final class MutableExporter {

		private final DestinationRole role;

		private final String endpoint;

		private final OtlpProtocol protocol;

		private long exportedSpans;

		private long successfulBatches;

		private long failedAttempts;

		private Instant lastSuccess;

		private Instant lastFailure;

		private String headersProperty;

		MutableExporter(DestinationRole role, String endpoint, OtlpProtocol protocol) {
			this.role = role;
			this.endpoint = endpoint;
			this.protocol = protocol;
			this.headersProperty = role.property("headers");
		}

	}

}
