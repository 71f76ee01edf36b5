package io.github.otelexport.export.transport;

import java.nio.charset.StandardCharsets;

/**
 * Reads protobuf wire-format values from a slice of a byte array, for the few small
 * messages the transport reads from responses: the starter does not ship protobuf-java.
 * Malformed input throws {@link MalformedException}; callers read leniently.
 *
 * @author otel-export authors
 */
final class WireReader {

	static final int VARINT = 0;

	static final int FIXED64 = 1;

	static final int LENGTH_DELIMITED = 2;

	static final int FIXED32 = 5;

	private final byte[] bytes;

	private final int end;

	private int position;

	WireReader(byte[] bytes) {
		this(bytes, 0, bytes.length);
	}

	private WireReader(byte[] bytes, int position, int end) {
		this.bytes = bytes;
		this.position = position;
		this.end = end;
	}

	boolean hasMore() {
		return this.position < this.end;
	}

	/**
	 * Read the next field's tag.
	 * @return the tag: field number and wire type
	 */
	int tag() {
		return (int) varint();
	}

	static int fieldNumber(int tag) {
		return tag >>> 3;
	}

	static int wireType(int tag) {
		return tag & 7;
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

	/**
	 * Read a length-delimited field as a message of its own.
	 * @return a reader over the embedded message
	 */
	WireReader embedded() {
		int length = length();
		WireReader embedded = new WireReader(this.bytes, this.position, this.position + length);
		this.position += length;
		return embedded;
	}

	String string() {
		int length = length();
		String value = new String(this.bytes, this.position, length, StandardCharsets.UTF_8);
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

	/**
	 * Thrown for bytes that are not the wire format; carries no stack trace, as it is
	 * expected from hostile or broken backends.
	 */
	static final class MalformedException extends RuntimeException {

		MalformedException() {
			super("Not protobuf wire format", null, false, false);
		}

	}

}
