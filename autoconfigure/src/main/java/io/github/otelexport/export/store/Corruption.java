package io.github.otelexport.export.store;

/**
 * Bytes of a {@link DiskLog} segment that hold no readable record: the torn tail a crash
 * left, or a record whose checksum no longer matches.
 *
 * @param file the segment file
 * @param offset where the damaged bytes start in it
 * @param spans the spans of the record lost, {@code -1} when its header is unreadable too
 * @param bytes how many bytes were skipped
 * @author otel-export authors
 */
public record Corruption(String file, long offset, int spans, long bytes) {

}
