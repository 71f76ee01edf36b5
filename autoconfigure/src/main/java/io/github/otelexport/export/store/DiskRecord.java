package io.github.otelexport.export.store;

/**
 * Where one request lies in a {@link DiskLog}.
 *
 * @param segment the number of the segment file that holds it
 * @param offset where its header starts in that file
 * @param size the request's bytes (the header not included)
 * @param spans the items (spans, log records) in the request
 * @param kind what the request holds, a number from 0 to {@value DiskLog#MAX_KIND} the
 * caller chose (the engine: its signal); 0 for records written before kinds existed
 * @author otel-export authors
 */
public record DiskRecord(long segment, long offset, int size, int spans, int kind) {

	/**
	 * Create the place of a request of kind 0.
	 * @param segment the number of the segment file that holds it
	 * @param offset where its header starts in that file
	 * @param size the request's bytes
	 * @param spans the items in the request
	 */
	public DiskRecord(long segment, long offset, int size, int spans) {
		this(segment, offset, size, spans, 0);
	}

}
