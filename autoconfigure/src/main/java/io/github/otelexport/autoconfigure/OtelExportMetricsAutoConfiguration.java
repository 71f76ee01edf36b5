package io.github.otelexport.autoconfigure;

import io.github.otelexport.actuate.OtelExportMeterBinder;
import io.github.otelexport.stats.ExportStatistics;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code otel.export.*} Micrometer meters: those of log records
 * too when they are exported ({@link OtelExportLogsAutoConfiguration}).
 *
 * @author otel-export authors
 */
@AutoConfiguration(after = OtelExportAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, ExportStatistics.class })
public final class OtelExportMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	OtelExportMeterBinder otelExportMeterBinder(ExportStatistics statistics,
			ObjectProvider<OtelExportLogRecordProcessor> logs) {
		OtelExportLogRecordProcessor logPipeline = logs.getIfAvailable();
		return new OtelExportMeterBinder(statistics, (logPipeline != null) ? logPipeline.statistics() : null);
	}

}
