/**
 * The export engine: a resilient {@code SpanExporter} with a bounded buffer, concurrent
 * senders, retries, failover and error classification, and the pipeline's own batching
 * span processor in front of it. It records into {@code io.github.otelexport.stats},
 * keeps its disk buffer in {@code export.store} and sends through
 * {@code export.transport}. Depends only on the JDK and OpenTelemetry, never on Spring.
 */
package io.github.otelexport.export;
