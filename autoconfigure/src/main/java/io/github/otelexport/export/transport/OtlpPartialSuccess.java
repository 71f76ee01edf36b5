package io.github.otelexport.export.transport;

/**
 * The {@code partial_success} of an OTLP export response: how many items (spans, log
 * records) of an accepted request the backend rejected, and why.
 *
 * @param rejected the number of rejected items
 * @param message the backend's explanation (at most 64 Ki characters, marked when cut),
 * may be empty
 * @author otel-export authors
 */
public record OtlpPartialSuccess(long rejected, String message) {

	/** Nothing rejected. */
	public static final OtlpPartialSuccess NONE = new OtlpPartialSuccess(0, "");

	private static final int PARTIAL_SUCCESS_FIELD = 1;

	private static final int REJECTED_FIELD = 1;

	private static final int ERROR_MESSAGE_FIELD = 2;

	/**
	 * Whether the backend rejected anything.
	 * @return {@code true} if at least one item was rejected
	 */
	public boolean hasRejected() {
		return this.rejected > 0;
	}

	/**
	 * Read the partial success of an encoded export response (traces and logs number
	 * their fields alike). Lenient: a body that is empty, not protobuf or cut short reads
	 * as {@link #NONE}, because a bad response must never fail an export the backend
	 * acknowledged.
	 * @param response the response message
	 * @return what it says
	 */
	static OtlpPartialSuccess parse(byte[] response) {
		if (response == null) {
			return NONE;
		}
		try {
			WireReader message = new WireReader(response);
			long rejected = 0;
			String error = "";
			while (message.hasMore()) {
				int tag = message.tag();
				if (WireReader.fieldNumber(tag) == PARTIAL_SUCCESS_FIELD
						&& WireReader.wireType(tag) == WireReader.LENGTH_DELIMITED) {
					// a message field seen twice is merged, as protobuf parsers do
					WireReader partial = message.embedded();
					while (partial.hasMore()) {
						int inner = partial.tag();
						if (WireReader.fieldNumber(inner) == REJECTED_FIELD
								&& WireReader.wireType(inner) == WireReader.VARINT) {
							rejected = partial.varint();
						}
						else if (WireReader.fieldNumber(inner) == ERROR_MESSAGE_FIELD
								&& WireReader.wireType(inner) == WireReader.LENGTH_DELIMITED) {
							error = partial.string();
						}
						else {
							partial.skip(WireReader.wireType(inner));
						}
					}
				}
				else {
					message.skip(WireReader.wireType(tag));
				}
			}
			return (rejected == 0 && error.isEmpty()) ? NONE
					: new OtlpPartialSuccess(Math.max(0, rejected), BackendText.cap(error));
		}
		catch (WireReader.MalformedException ex) {
			return NONE;
		}
	}

}
