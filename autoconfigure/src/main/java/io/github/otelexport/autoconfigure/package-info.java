/**
 * Auto-configuration of resilient OpenTelemetry span export from {@code otel.export.*}:
 * turns properties into core objects and beans, and explains invalid settings at startup.
 */
package io.github.otelexport.autoconfigure;
