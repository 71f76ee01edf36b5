/**
 * What the export engine counts, for readers: thread-safe counters
 * ({@link io.github.otelexport.stats.ExportStatistics}), the immutable snapshots the
 * health indicator, the endpoint and the meters read
 * ({@link io.github.otelexport.stats.ExportSnapshot}), live listeners, and the words they
 * speak: destinations, circuit states, error categories with their hints, drop reasons.
 * Depends on the JDK and on {@code export.transport} (protocols, endpoints shown), never
 * on Spring.
 */
package io.github.otelexport.stats;
