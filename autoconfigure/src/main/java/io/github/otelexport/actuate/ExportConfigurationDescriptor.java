package io.github.otelexport.actuate;

import java.util.List;
import java.util.Map;

/**
 * The effective otel-export configuration as shown by the {@code otelexport} endpoint.
 *
 * @param destinations the primary destination, then the fallback when configured
 * @param settings the pipeline's other settings (retry, failover, batch, health,
 * diagnostics) by property name; never secrets
 * @author otel-export authors
 */
public record ExportConfigurationDescriptor(List<DestinationDescriptor> destinations, Map<String, Object> settings) {

}
