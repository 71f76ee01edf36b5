package io.github.otelexport.export.store;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The header in front of each request in a {@link DiskLog} segment: 20 bytes, big-endian,
 * a magic value, the request's length, its kind (the top byte) and items (the other
 * three), the request's CRC32C, then the CRC32C of those 16 bytes. Records written before
 * kinds existed held the spans alone in that field, always below 2^24, so they read as
 * kind 0, which is still written with {@link #MAGIC}. A record of another kind is written
 * with {@link #KIND_MAGIC}, which an earlier reader does not know: it skips the record as
 * damage instead of reading the kind in the top byte as a huge span count. The header's
 * own checksum tells a real header from bytes that merely hold a magic value, so a scan
 * can find the next record after damage, and it guards the length that a scan trusts to
 * step over a record.
 * <p>
 * Releasing a record overwrites its magic value with {@link #RELEASED_MAGIC}, whatever
 * its kind; the checksum is always that of the header with {@link #MAGIC}, so a released
 * header is still recognised, and stepped over, by its checksum (an earlier reader
 * included).
 *
 * @param length the request's bytes
 * @param spans the request's items
 * @param kind the request's kind
 * @param requestCrc the CRC32C of the request
 * @param released whether the record was released
 * @author otel-export authors
 */
record DiskRecordHeader(int length, int spans, int kind, int requestCrc, boolean released) {

	static final int BYTES = 20;

	/** The most items of a record: what three bytes hold. */
	static final int MAX_ITEMS = 0xFFFFFF;

	private static final int KIND_SHIFT = 24;

	/** {@code OTLR}. */
	static final int MAGIC = 0x4F544C52;

	/** {@code OTLK}: a record of a kind other than 0. */
	static final int KIND_MAGIC = 0x4F544C4B;

	/** {@code otlr}. */
	static final int RELEASED_MAGIC = 0x6F746C72;

	private static final int CHECKED_BYTES = 16;

	/**
	 * Return the header of a request.
	 * @param request the request
	 * @param spans its items, at most {@link #MAX_ITEMS}
	 * @param kind its kind, at most {@link DiskLog#MAX_KIND}
	 * @return the header's bytes, ready to be written
	 */
	static ByteBuffer encode(byte[] request, int spans, int kind) {
		ByteBuffer buffer = ByteBuffer.allocate(BYTES);
		buffer.putInt(MAGIC)
			.putInt(request.length)
			.putInt((kind << KIND_SHIFT) | spans)
			.putInt(crc(request, 0, request.length));
		buffer.putInt(crc(buffer.array(), 0, CHECKED_BYTES));
		if (kind != 0) {
			buffer.putInt(0, KIND_MAGIC);
		}
		return buffer.flip();
	}

	/**
	 * Return the bytes that mark a record released, to be written over its magic value.
	 * @return the bytes
	 */
	static ByteBuffer releasedMark() {
		return ByteBuffer.allocate(Integer.BYTES).putInt(RELEASED_MAGIC).flip();
	}

	/**
	 * Return whether a value is one of the magic values.
	 * @param value the value
	 * @return whether it is
	 */
	static boolean isMagic(int value) {
		return value == MAGIC || value == KIND_MAGIC || value == RELEASED_MAGIC;
	}

	/**
	 * Read a header.
	 * @param buffer {@link #BYTES} bytes from its position on
	 * @return the header, or {@code null} when the bytes are no valid header
	 */
	static DiskRecordHeader decode(ByteBuffer buffer) {
		int start = buffer.position();
		if (buffer.remaining() < BYTES || !isMagic(buffer.getInt(start))) {
			return null;
		}
		CRC32C crc = new CRC32C();
		crc.update(ByteBuffer.allocate(Integer.BYTES).putInt(MAGIC).flip());
		crc.update(buffer.duplicate().position(start + Integer.BYTES).limit(start + CHECKED_BYTES));
		if ((int) crc.getValue() != buffer.getInt(start + CHECKED_BYTES)) {
			return null;
		}
		int length = buffer.getInt(start + 4);
		int kindAndItems = buffer.getInt(start + 8);
		if (length < 0 || kindAndItems < 0) {
			return null;
		}
		return new DiskRecordHeader(length, kindAndItems & MAX_ITEMS, kindAndItems >>> KIND_SHIFT,
				buffer.getInt(start + 12), buffer.getInt(start) == RELEASED_MAGIC);
	}

	/**
	 * Return the CRC32C of some bytes.
	 * @param bytes the bytes
	 * @param offset where to start
	 * @param length how many
	 * @return the checksum
	 */
	static int crc(byte[] bytes, int offset, int length) {
		CRC32C crc = new CRC32C();
		crc.update(bytes, offset, length);
		return (int) crc.getValue();
	}

}
