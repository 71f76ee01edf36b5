package io.github.otelexport.export.store;

/**
 * Where one request lies in a {@link DiskLog}.
 *
 * @param segment the number of the segment file that holds it
 * @param offset where its header starts in that file
 * @param size the request's bytes (the header not included)
 * @param spans the spans in the request
 * @author otel-export authors
 */
public record DiskRecord(long segment, long offset, int size, int spans) {

}
