/**
 * The export core: a resilient {@code SpanExporter} with retries, failover and error
 * classification, and the statistics it keeps. Depends only on the JDK and OpenTelemetry,
 * never on Spring.
 */
package io.github.otelexport.export;
