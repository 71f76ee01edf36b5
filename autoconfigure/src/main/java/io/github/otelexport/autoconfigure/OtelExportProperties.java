package io.github.otelexport.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;

import io.github.otelexport.actuate.ExportStateEvaluator;
import io.github.otelexport.export.BatchSettings;
import io.github.otelexport.export.ResilientSpanExporterBuilder;
import io.github.otelexport.export.RetryPolicy;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of resilient OpenTelemetry span export ({@code otel.export.*}).
 * <p>
 * The primary destination's settings sit directly under {@code otel.export}; the
 * fallback's under {@code otel.export.fallback} have the same shape and inherit every
 * setting they leave unset from the primary.
 * <p>
 * A default that the core applies is the core's constant (the configuration processor
 * cannot read those, so {@code additional-spring-configuration-metadata.json} documents
 * it, and a test holds the two together); a default that only the auto-configuration
 * applies is written here. The one default that depends on another property,
 * {@code retry.max-elapsed-time}'s on the buffer, stays unset here: the resolver applies
 * it.
 *
 * @author otel-export authors
 */
@ConfigurationProperties("otel.export")
public class OtelExportProperties extends DestinationProperties {

	/**
	 * Whether to export spans through otel-export. When not set, follows
	 * management.tracing.export.enabled, which is true unless set.
	 */
	private Boolean enabled;

	private final Fallback fallback = new Fallback();

	private final Retry retry = new Retry();

	private final Batch batch = new Batch();

	private final Sending sending = new Sending();

	private final Buffer buffer = new Buffer();

	private final Health health = new Health();

	private final Diagnostics diagnostics = new Diagnostics();

	private final Debug debug = new Debug();

	private final Logs logs = new Logs();

	public Boolean getEnabled() {
		return this.enabled;
	}

	public void setEnabled(Boolean enabled) {
		this.enabled = enabled;
	}

	public Fallback getFallback() {
		return this.fallback;
	}

	public Retry getRetry() {
		return this.retry;
	}

	public Batch getBatch() {
		return this.batch;
	}

	public Sending getSending() {
		return this.sending;
	}

	public Buffer getBuffer() {
		return this.buffer;
	}

	public Health getHealth() {
		return this.health;
	}

	public Diagnostics getDiagnostics() {
		return this.diagnostics;
	}

	public Logs getLogs() {
		return this.logs;
	}

	public Debug getDebug() {
		return this.debug;
	}

	/**
	 * A second destination that receives batches while the primary keeps failing.
	 */
	public static class Fallback extends DestinationProperties {

		/**
		 * Consecutive failed batches on the primary before batches go to the fallback.
		 */
		private int failureThreshold = ResilientSpanExporterBuilder.DEFAULT_FAILURE_THRESHOLD;

		/**
		 * How often the primary is tried again (with live data) while on the fallback.
		 */
		private Duration probeInterval = ResilientSpanExporterBuilder.DEFAULT_PROBE_INTERVAL;

		/**
		 * Whether the fallback sends the primary's headers when it has none of its own.
		 * Set to false when the fallback is another backend that must not see the
		 * primary's credentials.
		 */
		private boolean inheritHeaders = true;

		public int getFailureThreshold() {
			return this.failureThreshold;
		}

		public void setFailureThreshold(int failureThreshold) {
			this.failureThreshold = failureThreshold;
		}

		public Duration getProbeInterval() {
			return this.probeInterval;
		}

		public void setProbeInterval(Duration probeInterval) {
			this.probeInterval = probeInterval;
		}

		public boolean isInheritHeaders() {
			return this.inheritHeaders;
		}

		public void setInheritHeaders(boolean inheritHeaders) {
			this.inheritHeaders = inheritHeaders;
		}

	}

	/**
	 * Retries of a failed batch, owned by otel-export (the SDK exporters' own retry is
	 * disabled so that every attempt is observed).
	 */
	public static class Retry {

		/**
		 * Whether failed batches are retried when the error is retryable.
		 */
		private boolean enabled = RetryPolicy.DEFAULT_ENABLED;

		/**
		 * Attempts per batch and destination, the first one included. With the buffer, a
		 * batch that used them on every destination starts again, the backoff going on,
		 * until otel.export.retry.max-elapsed-time is spent.
		 */
		private int maxAttempts = RetryPolicy.DEFAULT_MAX_ATTEMPTS;

		/**
		 * Wait before the first retry.
		 */
		private Duration initialBackoff = RetryPolicy.DEFAULT_INITIAL_BACKOFF;

		/**
		 * Longest wait between two attempts.
		 */
		private Duration maxBackoff = RetryPolicy.DEFAULT_MAX_BACKOFF;

		/**
		 * Factor by which the wait grows after each retry.
		 */
		private double multiplier = RetryPolicy.DEFAULT_MULTIPLIER;

		/**
		 * Random spread of each wait, as a fraction of it (0 to 1).
		 */
		private double jitter = RetryPolicy.DEFAULT_JITTER;

		/**
		 * Total time one batch may spend in the buffer, attempts and waits. When unset,
		 * 5m, or 25s without the buffer (otel.export.buffer.memory.max-size=0), where it
		 * must be shorter than otel.export.batch.export-timeout.
		 */
		private Duration maxElapsedTime;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getInitialBackoff() {
			return this.initialBackoff;
		}

		public void setInitialBackoff(Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
		}

		public Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

		public double getJitter() {
			return this.jitter;
		}

		public void setJitter(double jitter) {
			this.jitter = jitter;
		}

		public Duration getMaxElapsedTime() {
			return this.maxElapsedTime;
		}

		public void setMaxElapsedTime(Duration maxElapsedTime) {
			this.maxElapsedTime = maxElapsedTime;
		}

	}

	/**
	 * The batch span processor in front of the exporter.
	 */
	public static class Batch {

		/**
		 * Most spans sent in one export request.
		 */
		private int maxExportBatchSize = BatchSettings.DEFAULT_MAX_EXPORT_BATCH_SIZE;

		/**
		 * Most spans waiting for export; spans that end while it is full are dropped (and
		 * counted as queue_full).
		 */
		private int maxQueueSize = BatchSettings.DEFAULT_MAX_QUEUE_SIZE;

		/**
		 * Longest wait between two exports.
		 */
		private Duration scheduleDelay = BatchSettings.DEFAULT_SCHEDULE_DELAY;

		/**
		 * Longest time the batch processor waits for the export of one batch, its retries
		 * included when there is no buffer; with the buffer, how long a shutdown lets
		 * buffered batches go out (at most 5s).
		 */
		private Duration exportTimeout = BatchSettings.DEFAULT_EXPORT_TIMEOUT;

		public int getMaxExportBatchSize() {
			return this.maxExportBatchSize;
		}

		public void setMaxExportBatchSize(int maxExportBatchSize) {
			this.maxExportBatchSize = maxExportBatchSize;
		}

		public int getMaxQueueSize() {
			return this.maxQueueSize;
		}

		public void setMaxQueueSize(int maxQueueSize) {
			this.maxQueueSize = maxQueueSize;
		}

		public Duration getScheduleDelay() {
			return this.scheduleDelay;
		}

		public void setScheduleDelay(Duration scheduleDelay) {
			this.scheduleDelay = scheduleDelay;
		}

		public Duration getExportTimeout() {
			return this.exportTimeout;
		}

		public void setExportTimeout(Duration exportTimeout) {
			this.exportTimeout = exportTimeout;
		}

	}

	/**
	 * The sender threads that deliver the buffered batches.
	 */
	public static class Sending {

		/**
		 * Sender threads that deliver buffered batches, each one batch at a time; used
		 * when the buffer is on.
		 */
		private int concurrency = 4;

		public int getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(int concurrency) {
			this.concurrency = concurrency;
		}

	}

	/**
	 * The buffer of encoded batches between the batch processor and the senders.
	 */
	public static class Buffer {

		private final Memory memory = new Memory();

		private final Disk disk = new Disk();

		public Memory getMemory() {
			return this.memory;
		}

		public Disk getDisk() {
			return this.disk;
		}

		/**
		 * The buffer kept on disk, off unless a directory is set.
		 */
		public static class Disk {

			/**
			 * Directory of the disk buffer, one for each instance of the application.
			 * When set, every buffered batch is also written there, so that what is
			 * buffered survives a restart or a crash and is sent at the next start; the
			 * memory buffer then caches the oldest batches.
			 */
			private Path directory;

			/**
			 * Most bytes the disk buffer's files take; a batch that does not fit is
			 * dropped (and counted as buffer_full).
			 */
			private DataSize maxSize = DataSize.ofGigabytes(1);

			public Path getDirectory() {
				return this.directory;
			}

			public void setDirectory(Path directory) {
				this.directory = directory;
			}

			public DataSize getMaxSize() {
				return this.maxSize;
			}

			public void setMaxSize(DataSize maxSize) {
				this.maxSize = maxSize;
			}

		}

		/**
		 * The buffer held in memory.
		 */
		public static class Memory {

			/**
			 * Most OTLP request bytes buffered in memory; without a disk buffer, a batch
			 * that does not fit is dropped (and counted as buffer_full), with one it
			 * waits on disk only. 0 turns the buffer off: each batch is then sent on the
			 * batch processor's thread.
			 */
			private DataSize maxSize = DataSize.ofMegabytes(64);

			public DataSize getMaxSize() {
				return this.maxSize;
			}

			public void setMaxSize(DataSize maxSize) {
				this.maxSize = maxSize;
			}

		}

	}

	/**
	 * The otelExport health indicator.
	 */
	public static class Health {

		/**
		 * How long failures report DEGRADED before the export state turns DOWN.
		 */
		private Duration gracePeriod = ExportStateEvaluator.DEFAULT_GRACE_PERIOD;

		/**
		 * Whether the indicator reports DOWN (HTTP 503, which fails the application's
		 * whole health) instead of DEGRADED (HTTP 200) once exports have failed for the
		 * grace period.
		 */
		private boolean reportDown;

		public Duration getGracePeriod() {
			return this.gracePeriod;
		}

		public void setGracePeriod(Duration gracePeriod) {
			this.gracePeriod = gracePeriod;
		}

		public boolean isReportDown() {
			return this.reportDown;
		}

		public void setReportDown(boolean reportDown) {
			this.reportDown = reportDown;
		}

	}

	/**
	 * What is kept and checked to explain failures.
	 */
	public static class Diagnostics {

		/**
		 * How many recent errors are kept for /actuator/otelexport.
		 */
		private int recentErrors = ResilientSpanExporterBuilder.DEFAULT_RECENT_ERRORS;

		/**
		 * Whether each endpoint is checked off the main thread once the application is
		 * ready: DNS, TCP, TLS, then an empty OTLP export request, with one log line per
		 * endpoint.
		 */
		private boolean startupCheck = true;

		public int getRecentErrors() {
			return this.recentErrors;
		}

		public void setRecentErrors(int recentErrors) {
			this.recentErrors = recentErrors;
		}

		public boolean isStartupCheck() {
			return this.startupCheck;
		}

		public void setStartupCheck(boolean startupCheck) {
			this.startupCheck = startupCheck;
		}

	}

	/**
	 * Logging of exported spans, like the OpenTelemetry Collector's debug exporter.
	 */
	public static class Debug {

		/**
		 * Whether exported spans are logged.
		 */
		private boolean enabled;

		/**
		 * Spans logged each second before sampling starts.
		 */
		private int samplingInitial = 5;

		/**
		 * After the initial spans of a second, one span in this many is logged.
		 */
		private int samplingThereafter = 200;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getSamplingInitial() {
			return this.samplingInitial;
		}

		public void setSamplingInitial(int samplingInitial) {
			this.samplingInitial = samplingInitial;
		}

		public int getSamplingThereafter() {
			return this.samplingThereafter;
		}

		public void setSamplingThereafter(int samplingThereafter) {
			this.samplingThereafter = samplingThereafter;
		}

	}

	/**
	 * Export of log records through the same pipeline as spans.
	 */
	public static class Logs {

		/**
		 * Whether log records from the OpenTelemetry SDK's logger provider are exported
		 * through otel-export, to the same destinations and with the same settings as
		 * spans, instead of Spring Boot's own OTLP log exporter. When not set, true when
		 * the application has an SdkLoggerProvider bean (Spring Boot's OpenTelemetry
		 * logging or its own), else false.
		 */
		private Boolean enabled;

		/**
		 * Full OTLP/HTTP URL of log records, such as http://host:4318/v1/logs (a base URL
		 * without path gets /v1/logs appended); http/protobuf only, as a gRPC endpoint
		 * serves both signals. When unset, OTEL_EXPORTER_OTLP_LOGS_ENDPOINT, else the
		 * endpoint with its /v1/traces replaced by /v1/logs.
		 */
		private String endpoint;

		/**
		 * Full OTLP/HTTP URL of the fallback's log records, as otel.export.logs.endpoint
		 * is for the primary. When unset, the fallback endpoint with its /v1/traces
		 * replaced by /v1/logs.
		 */
		private String fallbackEndpoint;

		public Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(Boolean enabled) {
			this.enabled = enabled;
		}

		public String getEndpoint() {
			return this.endpoint;
		}

		public void setEndpoint(String endpoint) {
			this.endpoint = endpoint;
		}

		public String getFallbackEndpoint() {
			return this.fallbackEndpoint;
		}

		public void setFallbackEndpoint(String fallbackEndpoint) {
			this.fallbackEndpoint = fallbackEndpoint;
		}

	}

}
