package io.github.otelexport.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

import io.github.otelexport.export.store.DiskLog;
import io.github.otelexport.export.transport.OtlpTransport;
import io.github.otelexport.stats.DropReason;
import io.github.otelexport.stats.ExportErrorCategory;
import io.github.otelexport.stats.ExportListener;
import io.github.otelexport.stats.ExporterDescription;

/**
 * Builds a {@link ResilientSpanExporter}.
 *
 * @author otel-export authors
 */
public final class ResilientSpanExporterBuilder {

	/**
	 * Batches in a row that must fail on the primary before batches go to the fallback,
	 * when nothing else is configured.
	 */
	public static final int DEFAULT_FAILURE_THRESHOLD = 5;

	/**
	 * How often the primary is tried again while batches go to the fallback, when nothing
	 * else is configured.
	 */
	public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(30);

	/**
	 * How many recent errors are kept when nothing else is configured.
	 */
	public static final int DEFAULT_RECENT_ERRORS = 50;

	/**
	 * How long a shutdown lets buffered batches go out, when nothing else is configured.
	 */
	public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);

	final OtlpTransport primary;

	final ExporterDescription primaryDescription;

	OtlpTransport fallback;

	ExporterDescription fallbackDescription;

	RetryPolicy retryPolicy = RetryPolicy.defaults();

	/**
	 * Whether {@link #retryPolicy} was set; if not, its time budget follows the buffer.
	 */
	private boolean retryPolicySet;

	int failureThreshold = DEFAULT_FAILURE_THRESHOLD;

	Duration probeInterval = DEFAULT_PROBE_INTERVAL;

	int recentErrors = DEFAULT_RECENT_ERRORS;

	Duration attemptTimeout = ExporterSettings.DEFAULT_TIMEOUT;

	long bufferBytes;

	int concurrency = 1;

	Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;

	Path diskDirectory;

	long diskBytes;

	final List<ExportListener> listeners = new ArrayList<>();

	final List<String> secrets = new ArrayList<>();

	Clock clock = SystemTime.CLOCK;

	LongSupplier ticker = SystemTime.TICKER;

	Sleeper sleeper;

	DoubleSupplier jitter = SystemTime.JITTER;

	ResilientSpanExporterBuilder(OtlpTransport primary, ExporterDescription description) {
		requireNonNull(primary, "primary transport");
		requireNonNull(description, "primary description");
		this.primary = primary;
		this.primaryDescription = description;
	}

	/**
	 * Set the destination that receives batches the primary could not deliver, and every
	 * batch while the circuit is open.
	 * @param fallback the fallback's transport (see {@link OtlpTransports})
	 * @param description what it is; its role must differ from the primary's
	 * @return this builder
	 */
	public ResilientSpanExporterBuilder fallback(OtlpTransport fallback, ExporterDescription description) {
		requireNonNull(fallback, "fallback transport");
		requireNonNull(description, "fallback description");
		if (description.role().equals(this.primaryDescription.role())) {
			throw new IllegalArgumentException(
					"The fallback's role must differ from the primary's '" + description.role() + "'");
		}
		this.fallback = fallback;
		this.fallbackDescription = description;
		return this;
	}

	/**
	 * Set how failed batches are retried. Default {@link RetryPolicy#defaults()}, with a
	 * {@link #buffer buffer} a time budget of
	 * {@link RetryPolicy#DEFAULT_BUFFERED_MAX_ELAPSED_TIME}.
	 * @param retryPolicy the retry policy
	 * @return this builder
	 */
	public ResilientSpanExporterBuilder retryPolicy(RetryPolicy retryPolicy) {
		requireNonNull(retryPolicy, "retryPolicy");
		this.retryPolicy = retryPolicy;
		this.retryPolicySet = true;
		return this;
	}

	/**
	 * Set how many batches in a row must fail on the primary before batches go to the
	 * fallback. Default {@value #DEFAULT_FAILURE_THRESHOLD}.
	 * @param failureThreshold at least 1
	 * @return this builder
	 */
	public ResilientSpanExporterBuilder failureThreshold(int failureThreshold) {
		if (failureThreshold < 1) {
			throw new IllegalArgumentException("failureThreshold must be at least 1 but was " + failureThreshold);
		}
		this.failureThreshold = failureThreshold;
		return this;
	}

	/**
	 * Set how often the primary is tried again while batches go to the fallback. Default
	 * {@link #DEFAULT_PROBE_INTERVAL}.
	 * @param probeInterval a positive duration
	 * @return this builder
	 */
	public ResilientSpanExporterBuilder probeInterval(Duration probeInterval) {
		requirePositive(probeInterval, "probeInterval");
		this.probeInterval = probeInterval;
		return this;
	}

	/**
	 * Set how many recent errors are kept. Default {@value #DEFAULT_RECENT_ERRORS}.
	 * @param recentErrors zero or more
	 * @return this builder
	 */
	public ResilientSpanExporterBuilder recentErrors(int recentErrors) {
		if (recentErrors < 0) {
			throw new IllegalArgumentException("recentErrors must not be negative but was " + recentErrors);
		}
		this.recentErrors = recentErrors;
		return this;
	}

	/**
	 * Set how long one attempt may take before it counts as
	 * {@link ExportErrorCategory#DEADLINE_EXCEEDED}; use the transports' longest timeout.
	 * Default {@link ExporterSettings#DEFAULT_TIMEOUT}.
	 * @param attemptTimeout a positive duration
	 * @return this builder
	 */
	public ResilientSpanExporterBuilder attemptTimeout(Duration attemptTimeout) {
		requirePositive(attemptTimeout, "attemptTimeout");
		this.attemptTimeout = attemptTimeout;
		return this;
	}

	/**
	 * Put a buffer between the batch processor and the destinations: each batch handed to
	 * {@link ResilientSpanExporter#export} is encoded and buffered at once, and
	 * {@code concurrency} sender threads deliver the buffered batches, so that a batch
	 * waiting out its backoff holds one sender and never the application's batching.
	 * Without a buffer, each batch is delivered on the thread that hands it over.
	 * @param maxBytes the most request bytes buffered; a batch that does not fit is
	 * dropped as {@link DropReason#BUFFER_FULL}
	 * @param concurrency the sender threads, at least 1
	 * @return this builder
	 */
	public ResilientSpanExporterBuilder buffer(long maxBytes, int concurrency) {
		if (maxBytes < 1) {
			throw new IllegalArgumentException("maxBytes must be positive but was " + maxBytes);
		}
		if (concurrency < 1) {
			throw new IllegalArgumentException("concurrency must be at least 1 but was " + concurrency);
		}
		this.bufferBytes = maxBytes;
		this.concurrency = concurrency;
		return this;
	}

	/**
	 * Keep every buffered batch on disk too, in an append-only log in the given directory
	 * (created if needed), so that what is buffered survives a restart, even a
	 * {@code kill -9}: an exporter built on the same directory sends it first. The memory
	 * buffer then holds the oldest batches' bytes as a cache; the disk bounds how much
	 * waits. Needs {@link #buffer(long, int)}. The directory belongs to one exporter at a
	 * time: {@link #build()} fails when another process uses it.
	 * @param directory the directory
	 * @param maxBytes the most bytes its files take
	 * @return this builder
	 */
	public ResilientSpanExporterBuilder diskBuffer(Path directory, long maxBytes) {
		requireNonNull(directory, "directory");
		if (maxBytes < 1) {
			throw new IllegalArgumentException("maxBytes must be positive but was " + maxBytes);
		}
		this.diskDirectory = directory;
		this.diskBytes = maxBytes;
		return this;
	}

	/**
	 * Set how long {@link ResilientSpanExporter#shutdown()} lets buffered batches go out
	 * before what is left is dropped as {@link DropReason#SHUTDOWN}. Default
	 * {@link #DEFAULT_DRAIN_TIMEOUT}.
	 * @param drainTimeout a positive duration
	 * @return this builder
	 */
	public ResilientSpanExporterBuilder drainTimeout(Duration drainTimeout) {
		requirePositive(drainTimeout, "drainTimeout");
		this.drainTimeout = drainTimeout;
		return this;
	}

	/**
	 * Add a listener told about every attempt and drop.
	 * @param listener the listener
	 * @return this builder
	 */
	public ResilientSpanExporterBuilder addListener(ExportListener listener) {
		requireNonNull(listener, "listener");
		this.listeners.add(listener);
		return this;
	}

	/**
	 * Add values that must never appear in the recent errors or the log, such as the
	 * destinations' header values (API keys, tokens), which a backend may echo in its
	 * error messages; they are replaced with {@code ******}.
	 * @param secrets the secret values; blank ones are ignored
	 * @return this builder
	 */
	public ResilientSpanExporterBuilder redactSecrets(Collection<String> secrets) {
		requireNonNull(secrets, "secrets");
		this.secrets.addAll(secrets);
		return this;
	}

	/**
	 * Set the clock for timestamps. Visible for testing.
	 * @param clock the clock
	 * @return this builder
	 */
	ResilientSpanExporterBuilder clock(Clock clock) {
		this.clock = clock;
		return this;
	}

	/**
	 * Set the monotonic nanosecond ticker for durations and deadlines. Visible for
	 * testing.
	 * @param ticker the ticker
	 * @return this builder
	 */
	ResilientSpanExporterBuilder ticker(LongSupplier ticker) {
		this.ticker = ticker;
		return this;
	}

	/**
	 * Set the sleeper that waits between attempts. Visible for testing.
	 * @param sleeper the sleeper
	 * @return this builder
	 */
	ResilientSpanExporterBuilder sleeper(Sleeper sleeper) {
		this.sleeper = sleeper;
		return this;
	}

	/**
	 * Set the random source of the jitter, values in {@code [0, 1)}. Visible for testing.
	 * @param jitter the random source
	 * @return this builder
	 */
	ResilientSpanExporterBuilder jitter(DoubleSupplier jitter) {
		this.jitter = jitter;
		return this;
	}

	/**
	 * Build the exporter.
	 * @return the exporter
	 * @throws UncheckedIOException when the disk buffer's directory cannot be used: not
	 * writable, or used by another process
	 */
	public ResilientSpanExporter build() {
		if (this.sleeper == null) {
			this.sleeper = Sleeper.wakeable();
		}
		if (!this.retryPolicySet) {
			this.retryPolicy = (this.bufferBytes > 0)
					? RetryPolicy.builder().maxElapsedTime(RetryPolicy.DEFAULT_BUFFERED_MAX_ELAPSED_TIME).build()
					: RetryPolicy.defaults();
		}
		if (this.diskDirectory == null) {
			return new ResilientSpanExporter(this, null);
		}
		if (this.bufferBytes < 1) {
			throw new IllegalStateException(
					"A disk buffer needs the memory buffer: call buffer(maxBytes, concurrency)");
		}
		DiskLog disk;
		try {
			disk = DiskLog.open(this.diskDirectory, this.diskBytes);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(
					"Cannot keep the export buffer in " + this.diskDirectory + ": " + ex.getMessage(), ex);
		}
		try {
			return new ResilientSpanExporter(this, disk);
		}
		catch (RuntimeException ex) {
			disk.close();
			throw ex;
		}
	}

	private static void requireNonNull(Object value, String name) {
		if (value == null) {
			throw new IllegalArgumentException(name + " must not be null");
		}
	}

	private static void requirePositive(Duration value, String name) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(name + " must be positive but was " + value);
		}
	}

}
