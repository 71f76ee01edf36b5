package io.github.otelexport.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import io.github.otelexport.actuate.DestinationDescriptor;
import io.github.otelexport.actuate.ExportConfigurationDescriptor;
import io.github.otelexport.actuate.OtelExportHealthIndicator;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Holds the defaults that the configuration metadata documents (the IDE shows them, and
 * the property table of docs/configuration.md repeats them) to the defaults in effect:
 * with nothing configured, every documented default is the value the resolved settings
 * apply, as the endpoint shows it, and every value the endpoint shows has a documented
 * default.
 *
 * @author otel-export authors
 */
class ConfigurationMetadataDefaultsTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		// the machine's own OTEL_EXPORTER_OTLP_* variables must not change the defaults
		.withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME))
		.withConfiguration(
				AutoConfigurations.of(OtelExportAutoConfiguration.class, OtelExportHealthAutoConfiguration.class));

	@Test
	void everyDocumentedDefaultIsTheDefaultInEffect() throws IOException {
		Map<String, Object> documented = documentedDefaults("otel.export.");
		assertThat(documented).containsKeys("otel.export.timeout", "otel.export.retry.max-attempts",
				"otel.export.batch.max-queue-size", "otel.export.debug.sampling-initial");
		this.runner.run((context) -> {
			Map<String, Object> inEffect = inEffect(
					ExportConfigurationView.of(context.getBean(OtelExportSettings.class)));
			assertThat(inEffect.keySet()).as("properties with a default in effect")
				.containsExactlyInAnyOrderElementsOf(documented.keySet());
			documented.forEach((name, value) -> assertThat(comparable(inEffect.get(name))).as("default of %s", name)
				.isEqualTo(comparable(value)));
		});
	}

	@Test
	void healthIndicatorSwitchIsDocumentedWithTheDefaultInEffect() throws IOException {
		assertThat(documentedDefaults("management.health.otelexport."))
			.containsExactly(Map.entry("management.health.otelexport.enabled", true));
		this.runner.run((context) -> assertThat(context).hasSingleBean(OtelExportHealthIndicator.class));
	}

	/**
	 * Log export's default follows the application (an SdkLoggerProvider bean or none),
	 * so no single value is documented as its default: the description says the rule,
	 * which {@code OtelExportLogsAutoConfigurationTests} checks both ways.
	 */
	@Test
	void logExportDocumentsItsRuleInsteadOfADefault() throws IOException {
		assertThat(documentedDefaults("otel.export.logs.")).isEmpty();
		try (InputStream in = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
			List<String> description = JsonPath.parse(in)
				.read("$.properties[?(@.name == 'otel.export.logs.enabled')].description");
			assertThat(description).singleElement()
				.asString()
				.contains("When not set, true when the application has an SdkLoggerProvider bean");
		}
		this.runner.run((context) -> assertThat(context.getBean(OtelExportSettings.class).inEffect())
			.doesNotContainKey("logs.enabled"));
	}

	/**
	 * The settings in effect by property name: the primary destination's, and the
	 * pipeline's. The fallback has no defaults of its own: it inherits the primary's.
	 */
	private static Map<String, Object> inEffect(ExportConfigurationDescriptor view) {
		Map<String, Object> values = new LinkedHashMap<>();
		DestinationDescriptor primary = view.destinations().get(0);
		assertThat(primary.role()).isEqualTo("primary");
		values.put("otel.export.protocol", primary.protocol());
		values.put("otel.export.endpoint", primary.endpoint());
		values.put("otel.export.timeout", primary.timeout());
		values.put("otel.export.connect-timeout", primary.connectTimeout());
		values.put("otel.export.compression", primary.compression());
		values.put("otel.export.tls.insecure-skip-verify", primary.insecureSkipVerify());
		view.settings().forEach((key, value) -> values.put("otel.export." + key, value));
		return values;
	}

	private static Map<String, Object> documentedDefaults(String prefix) throws IOException {
		try (InputStream in = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
			List<Map<String, Object>> properties = JsonPath.parse(in).read("$.properties[*]");
			Map<String, Object> defaults = new LinkedHashMap<>();
			for (Map<String, Object> property : properties) {
				String name = (String) property.get("name");
				if (name.startsWith(prefix) && property.get("defaultValue") != null) {
					defaults.put(name, property.get("defaultValue"));
				}
			}
			return defaults;
		}
	}

	/**
	 * Numbers compare by value: the metadata writes 2.0 as 2.
	 */
	private static Object comparable(Object value) {
		if (value instanceof Number number) {
			return new BigDecimal(number.toString()).stripTrailingZeros();
		}
		return value;
	}

}
