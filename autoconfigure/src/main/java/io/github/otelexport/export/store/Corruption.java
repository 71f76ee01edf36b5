package io.github.otelexport.export.store;

/**
 * Bytes of a {@link DiskLog} segment that hold no readable record: the torn tail a crash
 * left, or a record whose checksum no longer matches.
 *
 * @param file the segment file
 * @param offset where the damaged bytes start in it
 * @param spans the items of the record lost, {@code -1} when its header is unreadable too
 * @param bytes how many bytes were skipped
 * @param kind the kind of the record lost (see {@link DiskRecord#kind()}), 0 when its
 * header is unreadable
 * @author otel-export authors
 */
public record Corruption(String file, long offset, int spans, long bytes, int kind) {

	/**
	 * Create damage of kind 0.
	 * @param file the segment file
	 * @param offset where the damaged bytes start in it
	 * @param spans the items of the record lost, {@code -1} when unknown
	 * @param bytes how many bytes were skipped
	 */
	public Corruption(String file, long offset, int spans, long bytes) {
		this(file, offset, spans, bytes, 0);
	}

}
