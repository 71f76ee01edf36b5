package io.github.otelexport.export.store;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Where a {@link DiskLog}'s oldest record not released yet starts, as its {@code cursor}
 * file holds it: 24 bytes, big-endian, a magic value, the segment, the offset and the
 * CRC32C of those 20 bytes. A cursor file that is torn or damaged reads as no cursor at
 * all.
 *
 * @param segment the segment's number
 * @param offset the offset in that segment
 * @author otel-export authors
 */
record DiskCursor(long segment, long offset) {

	static final int BYTES = 24;

	/** {@code OTLC}. */
	private static final int MAGIC = 0x4F544C43;

	private static final int CHECKED_BYTES = 20;

	/**
	 * Return this cursor's bytes.
	 * @return the bytes, ready to be written
	 */
	ByteBuffer encode() {
		ByteBuffer buffer = ByteBuffer.allocate(BYTES);
		buffer.putInt(MAGIC).putLong(this.segment).putLong(this.offset);
		buffer.putInt(DiskRecordHeader.crc(buffer.array(), 0, CHECKED_BYTES));
		return buffer.flip();
	}

	/**
	 * Read a cursor.
	 * @param buffer the bytes of the file
	 * @return the cursor, or {@code null} when the bytes are no valid cursor
	 */
	static DiskCursor decode(ByteBuffer buffer) {
		if (buffer.remaining() < BYTES || buffer.getInt(0) != MAGIC) {
			return null;
		}
		CRC32C crc = new CRC32C();
		crc.update(buffer.duplicate().position(0).limit(CHECKED_BYTES));
		long segment = buffer.getLong(4);
		long offset = buffer.getLong(12);
		if ((int) crc.getValue() != buffer.getInt(CHECKED_BYTES) || segment < 0 || offset < 0) {
			return null;
		}
		return new DiskCursor(segment, offset);
	}

}
