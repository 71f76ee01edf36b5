package io.github.otelexport.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import io.github.otelexport.export.ExportPipeline;
import io.github.otelexport.export.ExporterSettings;
import io.github.otelexport.export.ResilientSpanExporter;
import io.github.otelexport.export.transport.Endpoints;
import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.export.transport.Signal;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the export of log records through the span pipeline's engine
 * ({@code otel.export.logs.enabled}): an {@link OtelExportLogRecordProcessor} that Spring
 * Boot's {@code SdkLoggerProvider} (or ours, {@link OtelExportSdkAutoConfiguration})
 * collects. Boot's own batch log record processor is removed
 * ({@link BootBatchProcessorRemover}) and its OTLP log record exporter left out, so every
 * record is exported once; other {@link LogRecordExporter} beans still receive the
 * records. An application's own {@link BatchLogRecordProcessor} bean makes ours back off.
 *
 * @author otel-export authors
 */
@AutoConfiguration(after = OtelExportAutoConfiguration.class,
		beforeName = BootBatchProcessorRemover.BOOT_LOGGING_AUTO_CONFIGURATION)
@ConditionalOnClass(SdkLoggerProvider.class)
@ConditionalOnEnabledOtelExport
@ConditionalOnBooleanProperty("otel.export.logs.enabled")
@ConditionalOnBean(ResilientSpanExporter.class)
public final class OtelExportLogsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean({ BatchLogRecordProcessor.class, OtelExportLogRecordProcessor.class })
	OtelExportLogRecordProcessor otelExportLogRecordProcessor(OtelExportSettings settings,
			ResilientSpanExporter otelExportSpanExporter, ObjectProvider<OtelExportTransportCustomizer> customizers,
			ObjectProvider<LogRecordExporter> logRecordExporters, ConfigurableListableBeanFactory beanFactory,
			Environment environment) {
		checkLogsEndpoints(settings, new DestinationTransports(customizers));
		List<LogRecordExporter> others = ExporterBeans.logRecords(beanFactory)
			.others(logRecordExporters, () -> BootOtlpExporterNotice.forLogRecords()
				.report(environment, Endpoints.sanitize(settings.destinations().primary().endpoint())));
		return new OtelExportLogRecordProcessor(
				ExportPipeline.createForLogs(otelExportSpanExporter, others, settings.batch()),
				otelExportSpanExporter.statistics(Signal.LOGS));
	}

	/**
	 * Fail the startup, naming the property, when the URL of log records cannot be
	 * derived from a destination's http/protobuf endpoint.
	 */
	private static void checkLogsEndpoints(OtelExportSettings settings, DestinationTransports transports) {
		List<ExporterSettings> destinations = new ArrayList<>();
		destinations.add(settings.destinations().primary());
		settings.destinations().fallback().ifPresent(destinations::add);
		for (ExporterSettings destination : destinations) {
			if (destination.protocol() != OtlpProtocol.HTTP_PROTOBUF) {
				continue;
			}
			try {
				transports.settings(destination).httpEndpoint(Signal.LOGS);
			}
			catch (IllegalStateException ex) {
				String property = destination.role().property("endpoint");
				throw new InvalidOtelExportConfigurationException(property, Endpoints.sanitize(destination.endpoint()),
						"otel.export.logs.enabled=true sends log records to the endpoint with its "
								+ Signal.TRACES.httpPath() + " replaced by " + Signal.LOGS.httpPath()
								+ ", and this http/protobuf endpoint does not end in " + Signal.TRACES.httpPath(),
						"Set " + property + " to the backend's OTLP/HTTP traces URL, ending in "
								+ Signal.TRACES.httpPath() + " (log records then go to the same URL with "
								+ Signal.LOGS.httpPath() + "), or to its base URL without a path, or set "
								+ "otel.export.logs.enabled=false.");
			}
		}
	}

}
