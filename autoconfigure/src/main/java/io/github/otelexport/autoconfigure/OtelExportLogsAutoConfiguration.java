package io.github.otelexport.autoconfigure;

import java.util.List;

import io.github.otelexport.export.ExportPipeline;
import io.github.otelexport.export.ExporterSettings;
import io.github.otelexport.export.ResilientSpanExporter;
import io.github.otelexport.export.transport.Endpoints;
import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.export.transport.Signal;
import io.github.otelexport.stats.DestinationRole;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the export of log records through the span pipeline's engine
 * ({@code otel.export.logs.enabled}, by default on when the application has an
 * {@link SdkLoggerProvider}, see {@link OnLogExportCondition}): an
 * {@link OtelExportLogRecordProcessor} that Spring Boot's {@code SdkLoggerProvider} (or
 * ours, {@link OtelExportSdkAutoConfiguration}) collects. Boot's own batch log record
 * processor is removed ({@link BootBatchProcessorRemover}) and its OTLP log record
 * exporter left out, so every record is exported once; other {@link LogRecordExporter}
 * beans still receive the records. An application's own {@link BatchLogRecordProcessor}
 * bean makes ours back off.
 *
 * @author otel-export authors
 */
@AutoConfiguration(after = OtelExportAutoConfiguration.class,
		afterName = BootBatchProcessorRemover.BOOT_LOGGING_AUTO_CONFIGURATION)
@ConditionalOnClass(SdkLoggerProvider.class)
@ConditionalOnEnabledOtelExport
@Conditional(OnLogExportCondition.class)
@ConditionalOnBean(ResilientSpanExporter.class)
public final class OtelExportLogsAutoConfiguration {

	@Bean
	@Conditional(OnNoOtherLogRecordProcessorCondition.class)
	OtelExportLogRecordProcessor otelExportLogRecordProcessor(OtelExportSettings settings,
			ResilientSpanExporter otelExportSpanExporter, ObjectProvider<OtelExportTransportCustomizer> customizers,
			ObjectProvider<LogRecordExporter> logRecordExporters, ConfigurableListableBeanFactory beanFactory,
			Environment environment) {
		DestinationTransports transports = new DestinationTransports(settings.destinations(), customizers);
		String logsUrl = checkLogsEndpoints(settings, transports);
		List<LogRecordExporter> others = ExporterBeans.logRecords(beanFactory)
			.others(logRecordExporters, () -> BootOtlpExporterNotice.forLogRecords().report(environment, logsUrl));
		return new OtelExportLogRecordProcessor(
				ExportPipeline.createForLogs(otelExportSpanExporter, others, settings.batch()),
				otelExportSpanExporter.statistics(Signal.LOGS));
	}

	/**
	 * Fail the startup, naming the properties, when the URL of log records cannot be
	 * derived from a destination's http/protobuf endpoint.
	 * @return where the primary's log records go, without credentials
	 */
	private static String checkLogsEndpoints(OtelExportSettings settings, DestinationTransports transports) {
		String primary = logsUrl(settings.destinations().primary(), transports);
		settings.destinations().fallback().ifPresent((fallback) -> logsUrl(fallback, transports));
		return primary;
	}

	private static String logsUrl(ExporterSettings destination, DestinationTransports transports) {
		if (destination.protocol() != OtlpProtocol.HTTP_PROTOBUF) {
			return Endpoints.sanitize(destination.endpoint());
		}
		try {
			return Endpoints.sanitize(transports.settings(destination).httpEndpoint(Signal.LOGS).toString());
		}
		catch (IllegalStateException ex) {
			throw underivable(destination);
		}
	}

	private static InvalidOtelExportConfigurationException underivable(ExporterSettings destination) {
		String property = destination.role().property("endpoint");
		String logsProperty = (destination.role() == DestinationRole.PRIMARY) ? LogsEndpointResolver.LOGS_ENDPOINT
				: LogsEndpointResolver.FALLBACK_LOGS_ENDPOINT;
		return new InvalidOtelExportConfigurationException(property, Endpoints.sanitize(destination.endpoint()),
				"log export sends log records to the endpoint with its " + Signal.TRACES.httpPath() + " replaced by "
						+ Signal.LOGS.httpPath() + ", and this http/protobuf endpoint does not end in "
						+ Signal.TRACES.httpPath(),
				"Set " + logsProperty + " to the backend's OTLP/HTTP URL of log records (such as "
						+ "http://collector:4318" + Signal.LOGS.httpPath() + "), or set " + property
						+ " to its traces URL, ending in " + Signal.TRACES.httpPath() + " (log records then go to "
						+ "the same URL with " + Signal.LOGS.httpPath() + "), or set otel.export.logs.enabled=false.");
	}

}
