package io.github.otelexport.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.otelexport.actuate.DestinationDescriptor;
import io.github.otelexport.actuate.ExportConfigurationDescriptor;
import io.github.otelexport.export.ExporterSettings;

/**
 * Builds the configuration part of the {@code otelexport} endpoint from the settings in
 * effect: environment defaults, inherited fallback values and defaults shown as they
 * apply, each value as users write it ({@link BootStyle}), header values masked and URL
 * credentials removed.
 *
 * @author otel-export authors
 */
final class ExportConfigurationView {

	private ExportConfigurationView() {
	}

	/**
	 * Describe the settings.
	 * @param settings the settings in effect
	 * @return the configuration view
	 */
	static ExportConfigurationDescriptor of(OtelExportSettings settings) {
		List<DestinationDescriptor> destinations = new ArrayList<>();
		destinations.add(destination(settings.destinations().primary()));
		settings.destinations().fallback().map(ExportConfigurationView::destination).ifPresent(destinations::add);
		Map<String, Object> shown = new LinkedHashMap<>();
		settings.inEffect().forEach((key, value) -> shown.put(key, BootStyle.value(value)));
		return new ExportConfigurationDescriptor(destinations, shown);
	}

	private static DestinationDescriptor destination(ExporterSettings settings) {
		return DestinationDescriptor.of(settings.role().value(), settings.protocol().value(), settings.endpoint(),
				settings.headers(), BootStyle.duration(settings.timeout()),
				BootStyle.duration(settings.connectTimeout()), settings.compression().value(),
				TlsSettingsResolver.isConfigured(settings.tls()), TlsSettingsResolver.isInsecure(settings.tls()));
	}

}
