package io.github.otelexport.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.otelexport.actuate.ExportStateEvaluator;
import io.github.otelexport.export.BatchSettings;
import io.github.otelexport.export.ResilientSpanExporterBuilder;
import io.github.otelexport.export.RetryPolicy;

import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.unit.DataSize;

/**
 * The one step from {@link OtelExportProperties} to the {@link OtelExportSettings} in
 * effect: applies the {@code OTEL_EXPORTER_OTLP_*} environment variables and the
 * defaults, lets the fallback inherit from the primary, and checks every value once,
 * throwing {@link InvalidOtelExportConfigurationException} for the first that cannot
 * work. Destinations come first ({@link #destinations}), as an application may define its
 * own; the rest is checked whoever defined them ({@link #settings}).
 *
 * @author otel-export authors
 */
final class OtelExportSettingsResolver {

	/**
	 * The defaults only the auto-configuration applies, to suggest in messages.
	 */
	private static final OtelExportProperties.Debug DEBUG_DEFAULTS = new OtelExportProperties.Debug();

	private static final OtelExportProperties.Sending SENDING_DEFAULTS = new OtelExportProperties.Sending();

	private static final OtelExportProperties.Buffer.Memory MEMORY_DEFAULTS = new OtelExportProperties.Buffer.Memory();

	private static final OtelExportProperties.Buffer.Disk DISK_DEFAULTS = new OtelExportProperties.Buffer.Disk();

	private final DestinationResolver destinationResolver;

	/**
	 * Create a new instance.
	 * @param environment where the {@code OTEL_EXPORTER_OTLP_*} variables are read
	 * @param sslBundles the application's SSL bundles, or {@code null} when there are
	 * none
	 * @param resourceLoader loads the TLS files
	 */
	OtelExportSettingsResolver(Environment environment, SslBundles sslBundles, ResourceLoader resourceLoader) {
		this.destinationResolver = new DestinationResolver(new OtlpEnvironmentVariables(environment),
				new TlsSettingsResolver(sslBundles, resourceLoader));
	}

	/**
	 * Resolve the primary and fallback destinations.
	 * @param properties the properties
	 * @return the destinations
	 */
	OtelExportDestinations destinations(OtelExportProperties properties) {
		return this.destinationResolver.resolve(properties);
	}

	/**
	 * Resolve everything but the destinations, and combine it with them.
	 * @param properties the properties
	 * @param destinations the resolved destinations, or an application's own
	 * @return the settings in effect
	 */
	static OtelExportSettings settings(OtelExportProperties properties, OtelExportDestinations destinations) {
		InEffect values = new InEffect();
		// first: the retry budget's default depends on whether batches are buffered
		OtelExportSettings.Sending sending = sending(properties, values);
		RetryPolicy retry = retry(properties.getRetry(), sending.buffered(), values);
		OtelExportProperties.Fallback fallback = properties.getFallback();
		OtelExportSettings.Failover failover = new OtelExportSettings.Failover(
				values.number("fallback.failure-threshold", fallback.getFailureThreshold(),
						ResilientSpanExporterBuilder.DEFAULT_FAILURE_THRESHOLD),
				values.duration("fallback.probe-interval", fallback.getProbeInterval(),
						ResilientSpanExporterBuilder.DEFAULT_PROBE_INTERVAL),
				values.flag("fallback.inherit-headers", fallback.isInheritHeaders()));
		BatchSettings batch = batch(properties.getBatch(), values);
		if (!sending.buffered()) {
			checkRetryBudget(retry, batch.exportTimeout());
		}
		OtelExportSettings.Health health = new OtelExportSettings.Health(
				values.duration("health.grace-period", properties.getHealth().getGracePeriod(),
						ExportStateEvaluator.DEFAULT_GRACE_PERIOD),
				values.flag("health.report-down", properties.getHealth().isReportDown()));
		OtelExportProperties.Diagnostics diagnostics = properties.getDiagnostics();
		OtelExportSettings.Diagnostics checkedDiagnostics = new OtelExportSettings.Diagnostics(
				values.number("diagnostics.recent-errors", diagnostics.getRecentErrors(),
						ResilientSpanExporterBuilder.DEFAULT_RECENT_ERRORS),
				values.flag("diagnostics.startup-check", diagnostics.isStartupCheck()));
		OtelExportProperties.Debug debug = properties.getDebug();
		OtelExportSettings.Debug checkedDebug = new OtelExportSettings.Debug(
				values.flag("debug.enabled", debug.isEnabled()),
				values.number("debug.sampling-initial", debug.getSamplingInitial(),
						DEBUG_DEFAULTS.getSamplingInitial()),
				values.number("debug.sampling-thereafter", debug.getSamplingThereafter(),
						DEBUG_DEFAULTS.getSamplingThereafter()));
		// the logs auto-configuration reads the property itself (its default follows
		// a bean); shown when set
		if (properties.getLogs().getEnabled() != null) {
			values.flag("logs.enabled", properties.getLogs().getEnabled());
		}
		return new OtelExportSettings(destinations, retry, failover, batch, sending, health, checkedDiagnostics,
				checkedDebug, values.values);
	}

	private static RetryPolicy retry(OtelExportProperties.Retry retry, boolean buffered, InEffect values) {
		boolean enabled = values.flag("retry.enabled", retry.isEnabled());
		int maxAttempts = values.number("retry.max-attempts", retry.getMaxAttempts(), RetryPolicy.DEFAULT_MAX_ATTEMPTS);
		Duration initialBackoff = values.duration("retry.initial-backoff", retry.getInitialBackoff(),
				RetryPolicy.DEFAULT_INITIAL_BACKOFF);
		Duration maxBackoff = values.duration("retry.max-backoff", retry.getMaxBackoff(),
				RetryPolicy.DEFAULT_MAX_BACKOFF);
		if (maxBackoff.compareTo(initialBackoff) < 0) {
			throw new InvalidOtelExportConfigurationException("otel.export.retry.max-backoff",
					BootStyle.duration(maxBackoff),
					"it is shorter than otel.export.retry.initial-backoff (" + BootStyle.duration(initialBackoff) + ")",
					"Set otel.export.retry.max-backoff to at least " + BootStyle.duration(initialBackoff) + ".");
		}
		return RetryPolicy.builder()
			.enabled(enabled)
			.maxAttempts(maxAttempts)
			.initialBackoff(initialBackoff)
			.maxBackoff(maxBackoff)
			.multiplier(values.number("retry.multiplier", retry.getMultiplier(), RetryPolicy.DEFAULT_MULTIPLIER))
			.jitter(values.number("retry.jitter", retry.getJitter(), RetryPolicy.DEFAULT_JITTER))
			.maxElapsedTime(maxElapsedTime(retry, buffered, values))
			.build();
	}

	/**
	 * The retry budget, unset by default: with the buffer nothing waits for a batch, so
	 * it may ride out minutes of outage; without it the batch processor waits for each
	 * batch, and the budget must end before the processor gives up
	 * ({@link #checkRetryBudget}).
	 */
	private static Duration maxElapsedTime(OtelExportProperties.Retry retry, boolean buffered, InEffect values) {
		Duration byDefault = buffered ? RetryPolicy.DEFAULT_BUFFERED_MAX_ELAPSED_TIME
				: RetryPolicy.DEFAULT_MAX_ELAPSED_TIME;
		Duration configured = retry.getMaxElapsedTime();
		return values.duration("retry.max-elapsed-time", (configured != null) ? configured : byDefault, byDefault);
	}

	private static OtelExportSettings.Sending sending(OtelExportProperties properties, InEffect values) {
		DataSize bufferSize = values.dataSize("buffer.memory.max-size", properties.getBuffer().getMemory().getMaxSize(),
				MEMORY_DEFAULTS.getMaxSize());
		OtelExportProperties.Buffer.Disk disk = properties.getBuffer().getDisk();
		Path directory = disk.getDirectory();
		long diskBytes = values.dataSize("buffer.disk.max-size", disk.getMaxSize(), DISK_DEFAULTS.getMaxSize())
			.toBytes();
		if (directory != null) {
			if (bufferSize.toBytes() == 0) {
				throw new InvalidOtelExportConfigurationException("otel.export.buffer.disk.directory",
						directory.toString(), "the disk buffer needs the memory buffer, which is off",
						"Remove otel.export.buffer.memory.max-size=0, or remove otel.export.buffer.disk.directory.");
			}
			values.path("buffer.disk.directory", directory);
		}
		return new OtelExportSettings.Sending(bufferSize.toBytes(), values.number("sending.concurrency",
				properties.getSending().getConcurrency(), SENDING_DEFAULTS.getConcurrency()), directory, diskBytes);
	}

	/**
	 * Without the buffer, a batch is retried on the batch processor's thread, which gives
	 * up on it after {@code batch.export-timeout}: retries must end before that. With the
	 * buffer, {@code export} returns at once and a batch's retries run on a sender, so
	 * the two are independent and this check does not apply.
	 */
	private static void checkRetryBudget(RetryPolicy retry, Duration exportTimeout) {
		if (retry.enabled() && retry.maxElapsedTime().compareTo(exportTimeout) >= 0) {
			throw new InvalidOtelExportConfigurationException("otel.export.retry.max-elapsed-time",
					BootStyle.duration(retry.maxElapsedTime()),
					"retries of a batch must end before the batch processor gives up on it "
							+ "(otel.export.batch.export-timeout=" + BootStyle.duration(exportTimeout) + ")",
					"Set otel.export.retry.max-elapsed-time shorter than otel.export.batch.export-timeout (for example "
							+ BootStyle.duration(exportTimeout.multipliedBy(5).dividedBy(6))
							+ "), or raise otel.export.batch.export-timeout.");
		}
	}

	private static BatchSettings batch(OtelExportProperties.Batch batch, InEffect values) {
		int maxExportBatchSize = batch.getMaxExportBatchSize();
		int maxQueueSize = batch.getMaxQueueSize();
		if (maxExportBatchSize > maxQueueSize && maxQueueSize >= 1
				&& maxQueueSize <= ConfigurationChecks.MAX_QUEUE_SIZE) {
			throw new InvalidOtelExportConfigurationException("otel.export.batch.max-export-batch-size",
					String.valueOf(maxExportBatchSize),
					"a batch cannot be larger than the queue it is taken from (otel.export.batch.max-queue-size="
							+ maxQueueSize + ")",
					"Set otel.export.batch.max-export-batch-size to at most " + maxQueueSize
							+ ", or raise otel.export.batch.max-queue-size.");
		}
		maxQueueSize = values.number("batch.max-queue-size", maxQueueSize, BatchSettings.DEFAULT_MAX_QUEUE_SIZE);
		return new BatchSettings(
				values.number("batch.max-export-batch-size", maxExportBatchSize,
						Math.min(BatchSettings.DEFAULT_MAX_EXPORT_BATCH_SIZE, maxQueueSize)),
				maxQueueSize,
				values.duration("batch.schedule-delay", batch.getScheduleDelay(), BatchSettings.DEFAULT_SCHEDULE_DELAY),
				values.duration("batch.export-timeout", batch.getExportTimeout(),
						BatchSettings.DEFAULT_EXPORT_TIMEOUT));
	}

	/**
	 * Checks each setting ({@link ConfigurationChecks}) and keeps it by its property name
	 * under {@code otel.export.}, in the order checked, as
	 * {@link OtelExportSettings#inEffect()}.
	 */
	private static final class InEffect {

		private static final String PREFIX = "otel.export.";

		private final Map<String, Object> values = new LinkedHashMap<>();

		Duration duration(String key, Duration value, Duration example) {
			return keep(key, ConfigurationChecks.duration(PREFIX + key, value, example));
		}

		DataSize dataSize(String key, DataSize value, DataSize example) {
			return keep(key, ConfigurationChecks.dataSize(PREFIX + key, value, example));
		}

		int number(String key, int value, int example) {
			return keep(key, ConfigurationChecks.number(PREFIX + key, value, example));
		}

		double number(String key, double value, double example) {
			return keep(key, ConfigurationChecks.number(PREFIX + key, value, example));
		}

		boolean flag(String key, boolean value) {
			return keep(key, value);
		}

		Path path(String key, Path value) {
			return keep(key, value);
		}

		private <T> T keep(String key, T value) {
			this.values.put(key, value);
			return value;
		}

	}

}
