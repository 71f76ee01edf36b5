/**
 * The export buffer's storage on disk: an append-only, segmented log of encoded OTLP
 * requests ({@link io.github.otelexport.export.store.DiskLog}) with a checksum per
 * record, released out of order by the senders and replayed after a restart, even after
 * {@code kill -9}. Depends on the JDK alone.
 */
package io.github.otelexport.export.store;
