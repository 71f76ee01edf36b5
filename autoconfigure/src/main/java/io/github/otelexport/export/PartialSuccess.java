package io.github.otelexport.export;

import java.nio.charset.StandardCharsets;

/**
 * The {@code partial_success} of an OTLP {@code ExportTraceServiceResponse}: how many
 * spans of an accepted request the backend rejected, and why.
 * <p>
 * The starter does not ship protobuf-java for these two fields, so {@link #parse(byte[])}
 * reads the protobuf wire format itself. It is lenient: a body that is empty, is not
 * protobuf or is cut short reads as {@link #NONE}, because a bad response must never fail
 * an export that the backend acknowledged.
 *
 * @param rejectedSpans the number of spans the backend rejected
 * @param errorMessage the backend's explanation, may be empty
 * @author otel-export authors
 */
record PartialSuccess(long rejectedSpans, String errorMessage) {

	/** A response without rejected spans. */
	static final PartialSuccess NONE = new PartialSuccess(0, "");

	private static final int PARTIAL_SUCCESS_FIELD = 1;

	private static final int REJECTED_SPANS_FIELD = 1;

	private static final int ERROR_MESSAGE_FIELD = 2;

	private static final int VARINT = 0;

	private static final int FIXED64 = 1;

	private static final int LENGTH_DELIMITED = 2;

	private static final int FIXED32 = 5;

	/**
	 * The longest error message read, in bytes. Well past the few hundred characters that
	 * logs and the endpoint show, so that a secret the backend echoes is masked whole
	 * before the message is cut, never cut first and then left half visible.
	 */
	static final int MAX_ERROR_MESSAGE_BYTES = 64 * 1024;

	/**
	 * Whether the backend rejected any span.
	 * @return {@code true} if at least one span was rejected
	 */
	boolean hasRejectedSpans() {
		return this.rejectedSpans > 0;
	}

	/**
	 * Read the partial success of an encoded {@code ExportTraceServiceResponse}.
	 * @param response the response message, may be {@code null}
	 * @return what it says, or {@link #NONE} when it says nothing readable
	 */
	static PartialSuccess parse(byte[] response) {
		if (response == null || response.length == 0) {
			return NONE;
		}
		try {
			Reader message = new Reader(response, 0, response.length);
			PartialSuccess result = NONE;
			while (message.hasMore()) {
				int tag = message.varintAsInt();
				if ((tag >>> 3) == PARTIAL_SUCCESS_FIELD && (tag & 7) == LENGTH_DELIMITED) {
					// a message field seen twice is merged, as protobuf parsers do
					result = partialSuccess(message.embedded(), result);
				}
				else {
					message.skip(tag & 7);
				}
			}
			return result;
		}
		catch (MalformedException ex) {
			return NONE;
		}
	}

	private static PartialSuccess partialSuccess(Reader message, PartialSuccess previous) {
		long rejected = previous.rejectedSpans();
		String error = previous.errorMessage();
		while (message.hasMore()) {
			int tag = message.varintAsInt();
			int field = tag >>> 3;
			if (field == REJECTED_SPANS_FIELD && (tag & 7) == VARINT) {
				rejected = message.varint();
			}
			else if (field == ERROR_MESSAGE_FIELD && (tag & 7) == LENGTH_DELIMITED) {
				error = message.string();
			}
			else {
				message.skip(tag & 7);
			}
		}
		return new PartialSuccess(Math.max(0, rejected), error);
	}

	/**
	 * Reads protobuf wire-format values from a slice of a byte array.
	 */
	private static final class Reader {

		private final byte[] bytes;

		private final int end;

		private int position;

		Reader(byte[] bytes, int position, int end) {
			this.bytes = bytes;
			this.position = position;
			this.end = end;
		}

		boolean hasMore() {
			return this.position < this.end;
		}

		long varint() {
			long value = 0;
			for (int shift = 0; shift < 64; shift += 7) {
				if (this.position >= this.end) {
					throw new MalformedException();
				}
				byte next = this.bytes[this.position++];
				value |= (long) (next & 0x7F) << shift;
				if (next >= 0) {
					return value;
				}
			}
			throw new MalformedException();
		}

		int varintAsInt() {
			return (int) varint();
		}

		Reader embedded() {
			int length = length();
			Reader embedded = new Reader(this.bytes, this.position, this.position + length);
			this.position += length;
			return embedded;
		}

		String string() {
			int length = length();
			String value = new String(this.bytes, this.position, Math.min(length, MAX_ERROR_MESSAGE_BYTES),
					StandardCharsets.UTF_8);
			this.position += length;
			return value;
		}

		void skip(int wireType) {
			switch (wireType) {
				case VARINT -> varint();
				case FIXED64 -> advance(8);
				case LENGTH_DELIMITED -> advance(length());
				case FIXED32 -> advance(4);
				default -> throw new MalformedException();
			}
		}

		private int length() {
			long length = varint();
			if (length < 0 || length > this.end - this.position) {
				throw new MalformedException();
			}
			return (int) length;
		}

		private void advance(int count) {
			if (count > this.end - this.position) {
				throw new MalformedException();
			}
			this.position += count;
		}

	}

	private static final class MalformedException extends RuntimeException {

		MalformedException() {
			super(null, null, false, false);
		}

	}

}
