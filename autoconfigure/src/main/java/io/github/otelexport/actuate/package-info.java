/**
 * Actuator support for otel-export: the {@code otelExport} health indicator, the
 * {@code otelexport} endpoint, Micrometer meters and the startup diagnosis. Everything
 * here reads the export core's statistics snapshots and never the configuration
 * properties.
 */
package io.github.otelexport.actuate;
