package io.github.otelexport.autoconfigure;

import io.github.otelexport.actuate.DestinationDescriptor;
import io.github.otelexport.actuate.EndpointDiagnostics;
import io.github.otelexport.actuate.ExportConfigurationDescriptor;
import io.github.otelexport.actuate.OtelExportEndpoint;
import io.github.otelexport.actuate.OtelExportEndpointWebExtension;
import io.github.otelexport.actuate.StartupDiagnosis;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OtelExportEndpointAutoConfiguration}.
 *
 * @author otel-export authors
 */
class OtelExportEndpointAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(OtelExportAutoConfiguration.class, OtelExportEndpointAutoConfiguration.class))
		.withPropertyValues("otel.export.endpoint=http://user:pa55@127.0.0.1:4317",
				"otel.export.headers.x-api-key=top-secret", "otel.export.fallback.endpoint=http://127.0.0.1:4318");

	@Test
	void endpointIsNotAvailableUntilExposed() {
		this.runner.run((context) -> {
			assertThat(context).doesNotHaveBean(OtelExportEndpoint.class)
				.doesNotHaveBean(OtelExportEndpointWebExtension.class);
			assertThat(context).hasSingleBean(EndpointDiagnostics.class).hasSingleBean(StartupDiagnosis.class);
		});
	}

	@Test
	void exposedEndpointShowsTheConfigurationWithoutSecrets() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=otelexport").run((context) -> {
			assertThat(context).hasSingleBean(OtelExportEndpoint.class)
				.hasSingleBean(OtelExportEndpointWebExtension.class);
			OtelExportEndpoint endpoint = context.getBean(OtelExportEndpoint.class);
			assertThat(endpoint.export().configuration().destinations()).extracting(DestinationDescriptor::role)
				.containsExactly("primary", "fallback");
			DestinationDescriptor primary = endpoint.export().configuration().destinations().get(0);
			assertThat(primary.endpoint()).isEqualTo("http://127.0.0.1:4317");
			assertThat(primary.headers()).containsEntry("x-api-key", "******");
			assertThat(endpoint.export().configuration().settings()).containsEntry("health.grace-period", "1m");
			assertThat(endpoint.export().toString()).doesNotContain("top-secret", "pa55");
		});
	}

	@Test
	void showsLogRecordsBesideTheSpansOnlyWhenLogExportIsOn() {
		ApplicationContextRunner exposed = this.runner
			.withConfiguration(AutoConfigurations.of(OtelExportLogsAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=otelexport");
		exposed.run((context) -> {
			OtelExportEndpoint endpoint = context.getBean(OtelExportEndpoint.class);
			assertThat(endpoint.export().logs()).isNull();
			assertThat(endpoint.category("tls").logs()).isNull();
		});
		exposed.withPropertyValues("otel.export.logs.enabled=true").run((context) -> {
			OtelExportEndpoint endpoint = context.getBean(OtelExportEndpoint.class);
			assertThat(endpoint.export().logs()).isNotNull().satisfies((logs) -> {
				assertThat(logs.logRecords().received()).isZero();
				assertThat(logs.queue().capacity()).isEqualTo(2048);
				assertThat(logs.exporters()).extracting("role").containsExactly("primary", "fallback");
			});
			assertThat(endpoint.category("tls").logs().count()).isZero();
		});
	}

	@Test
	void showsTheValuesInEffectAsUsersWriteThem() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=otelexport", "otel.export.timeout=2s",
					"OTEL_EXPORTER_OTLP_COMPRESSION=gzip", "otel.export.fallback.connect-timeout=1500ms",
					"otel.export.retry.max-elapsed-time=90s", "otel.export.batch.export-timeout=120s",
					"otel.export.batch.schedule-delay=500ms", "otel.export.health.grace-period=0s")
			.run((context) -> {
				ExportConfigurationDescriptor shown = context.getBean(OtelExportEndpoint.class)
					.export()
					.configuration();
				DestinationDescriptor primary = shown.destinations().get(0);
				assertThat(primary.timeout()).isEqualTo("2s");
				assertThat(primary.connectTimeout()).isEqualTo("10s");
				assertThat(primary.compression()).isEqualTo("gzip");
				assertThat(primary.protocol()).isEqualTo("grpc");
				// the fallback's own value, and the primary's where it has none
				DestinationDescriptor fallback = shown.destinations().get(1);
				assertThat(fallback.connectTimeout()).isEqualTo("1500ms");
				assertThat(fallback.timeout()).isEqualTo("2s");
				assertThat(fallback.compression()).isEqualTo("gzip");
				assertThat(fallback.headers()).containsOnlyKeys("x-api-key");
				assertThat(shown.settings()).containsEntry("retry.max-elapsed-time", "90s")
					.containsEntry("retry.initial-backoff", "1s")
					.containsEntry("retry.multiplier", 2.0)
					.containsEntry("batch.schedule-delay", "500ms")
					.containsEntry("batch.export-timeout", "2m")
					.containsEntry("health.grace-period", "0s")
					.containsEntry("fallback.inherit-headers", true);
			});
	}

	@Test
	void endpointBacksOffWhenAccessIsNone() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=otelexport",
					"management.endpoint.otelexport.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(OtelExportEndpoint.class));
	}

	@Test
	void endpointBacksOffWithoutTheActuator() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=otelexport")
			.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> {
				assertThat(context).doesNotHaveBean(OtelExportEndpoint.class);
				assertThat(context).hasSingleBean(EndpointDiagnostics.class);
			});
	}

	@Test
	void startupCheckCanBeSwitchedOff() {
		this.runner.withPropertyValues("otel.export.diagnostics.startup-check=false")
			.run((context) -> assertThat(context).doesNotHaveBean(StartupDiagnosis.class));
	}

	@Test
	void nothingWhenExportIsDisabled() {
		this.runner.withPropertyValues("otel.export.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(EndpointDiagnostics.class)
				.doesNotHaveBean(StartupDiagnosis.class));
	}

}
