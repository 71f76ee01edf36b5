package io.github.otelexport.export;

import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleCounterBuilder;
import io.opentelemetry.api.metrics.DoubleGaugeBuilder;
import io.opentelemetry.api.metrics.DoubleHistogramBuilder;
import io.opentelemetry.api.metrics.DoubleUpDownCounterBuilder;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongCounterBuilder;
import io.opentelemetry.api.metrics.LongUpDownCounter;
import io.opentelemetry.api.metrics.LongUpDownCounterBuilder;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterBuilder;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.metrics.ObservableLongCounter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import io.opentelemetry.api.metrics.ObservableLongUpDownCounter;
import io.opentelemetry.context.Context;

/**
 * A {@link MeterProvider} handed to the SDK's batch span processor to observe what it
 * reports about itself through the semantic-convention instruments: spans dropped because
 * the queue was full ({@code otel.sdk.processor.span.processed} with
 * {@code error.type=queue_full}) and the queue size
 * ({@code otel.sdk.processor.span.queue.size}). Every other instrument is a no-op.
 *
 * @author otel-export authors
 */
final class BatchProcessorMeterProvider implements MeterProvider {

	static final String PROCESSED = "otel.sdk.processor.span.processed";

	static final String QUEUE_SIZE = "otel.sdk.processor.span.queue.size";

	private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

	private static final String QUEUE_FULL = "queue_full";

	private final Meter noop = MeterProvider.noop().get("noop");

	private final LongConsumer onQueueFull;

	private volatile Consumer<ObservableLongMeasurement> queueSizeCallback;

	BatchProcessorMeterProvider(LongConsumer onQueueFull) {
		this.onQueueFull = onQueueFull;
	}

	/**
	 * Return the processor's queue size, 0 until the processor has registered its gauge
	 * (when the first span arrives).
	 * @return the queue size supplier
	 */
	LongSupplier queueSize() {
		return () -> {
			Consumer<ObservableLongMeasurement> callback = this.queueSizeCallback;
			if (callback == null) {
				return 0;
			}
			LongMeasurement measurement = new LongMeasurement();
			callback.accept(measurement);
			return measurement.value;
		};
	}

	@Override
	public MeterBuilder meterBuilder(String instrumentationScopeName) {
		return new CapturingMeterBuilder();
	}

	private final class CapturingMeterBuilder implements MeterBuilder {

		@Override
		public MeterBuilder setSchemaUrl(String schemaUrl) {
			return this;
		}

		@Override
		public MeterBuilder setInstrumentationVersion(String instrumentationScopeVersion) {
			return this;
		}

		@Override
		public Meter build() {
			return new CapturingMeter();
		}

	}

	private final class CapturingMeter implements Meter {

		@Override
		public LongCounterBuilder counterBuilder(String name) {
			LongCounterBuilder noopBuilder = BatchProcessorMeterProvider.this.noop.counterBuilder(name);
			return PROCESSED.equals(name) ? new ProcessedCounterBuilder(noopBuilder) : noopBuilder;
		}

		@Override
		public LongUpDownCounterBuilder upDownCounterBuilder(String name) {
			LongUpDownCounterBuilder noopBuilder = BatchProcessorMeterProvider.this.noop.upDownCounterBuilder(name);
			return QUEUE_SIZE.equals(name) ? new QueueSizeBuilder(noopBuilder) : noopBuilder;
		}

		@Override
		public DoubleHistogramBuilder histogramBuilder(String name) {
			return BatchProcessorMeterProvider.this.noop.histogramBuilder(name);
		}

		@Override
		public DoubleGaugeBuilder gaugeBuilder(String name) {
			return BatchProcessorMeterProvider.this.noop.gaugeBuilder(name);
		}

	}

	private final class ProcessedCounterBuilder implements LongCounterBuilder {

		private final LongCounterBuilder noopBuilder;

		ProcessedCounterBuilder(LongCounterBuilder noopBuilder) {
			this.noopBuilder = noopBuilder;
		}

		@Override
		public LongCounterBuilder setDescription(String description) {
			return this;
		}

		@Override
		public LongCounterBuilder setUnit(String unit) {
			return this;
		}

		@Override
		public DoubleCounterBuilder ofDoubles() {
			return this.noopBuilder.ofDoubles();
		}

		@Override
		public LongCounter build() {
			return new ProcessedCounter();
		}

		@Override
		public ObservableLongCounter buildWithCallback(Consumer<ObservableLongMeasurement> callback) {
			return this.noopBuilder.buildWithCallback(callback);
		}

	}

	private final class ProcessedCounter implements LongCounter {

		@Override
		public void add(long value) {
		}

		@Override
		public void add(long value, Attributes attributes) {
			if (QUEUE_FULL.equals(attributes.get(ERROR_TYPE))) {
				BatchProcessorMeterProvider.this.onQueueFull.accept(value);
			}
		}

		@Override
		public void add(long value, Attributes attributes, Context context) {
			add(value, attributes);
		}

	}

	private final class QueueSizeBuilder implements LongUpDownCounterBuilder {

		private final LongUpDownCounterBuilder noopBuilder;

		QueueSizeBuilder(LongUpDownCounterBuilder noopBuilder) {
			this.noopBuilder = noopBuilder;
		}

		@Override
		public LongUpDownCounterBuilder setDescription(String description) {
			return this;
		}

		@Override
		public LongUpDownCounterBuilder setUnit(String unit) {
			return this;
		}

		@Override
		public DoubleUpDownCounterBuilder ofDoubles() {
			return this.noopBuilder.ofDoubles();
		}

		@Override
		public LongUpDownCounter build() {
			return this.noopBuilder.build();
		}

		@Override
		public ObservableLongUpDownCounter buildWithCallback(Consumer<ObservableLongMeasurement> callback) {
			BatchProcessorMeterProvider.this.queueSizeCallback = callback;
			return this.noopBuilder.buildWithCallback((measurement) -> {
			});
		}

	}

	private static final class LongMeasurement implements ObservableLongMeasurement {

		private long value;

		@Override
		public void record(long value) {
			this.value = value;
		}

		@Override
		public void record(long value, Attributes attributes) {
			this.value = value;
		}

	}

}
