package io.github.otelexport.export.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads one segment of a {@link DiskLog} when it opens, verifying every header and every
 * request against its checksum. Damage is reported and skipped, never the end of the
 * scan: after bytes that hold no valid header it looks for the next offset where the
 * magic value starts a header whose checksum matches. A valid header is trusted for its
 * length, so a record whose request is damaged is stepped over whole, and bytes inside a
 * request are never taken for a header.
 *
 * @author otel-export authors
 */
final class DiskSegmentScanner {

	private static final int CHUNK_BYTES = 64 * 1024;

	private static final int MAGIC_BYTES = 4;

	private final FileChannel channel;

	private final long segment;

	private final String file;

	private final long size;

	private final ByteBuffer chunk;

	private final List<DiskRecord> records = new ArrayList<>();

	private final List<Corruption> corruptions = new ArrayList<>();

	private DiskSegmentScanner(FileChannel channel, long segment, String file) throws IOException {
		this.channel = channel;
		this.segment = segment;
		this.file = file;
		this.size = channel.size();
		this.chunk = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, Math.max(this.size, MAGIC_BYTES)));
	}

	/**
	 * Scan a segment.
	 * @param channel the segment's file
	 * @param segment its number
	 * @param file its name, for the corruptions reported
	 * @param from the offset of its first record to read
	 * @return what it holds from that offset on
	 * @throws IOException if it cannot be read
	 */
	static Result scan(FileChannel channel, long segment, String file, long from) throws IOException {
		return new DiskSegmentScanner(channel, segment, file).scan(Math.min(from, channel.size()));
	}

	private Result scan(long from) throws IOException {
		long position = from;
		long damagedFrom = -1;
		while (position < this.size) {
			DiskRecordHeader header = headerAt(position);
			if (header == null) {
				damagedFrom = (damagedFrom < 0) ? position : damagedFrom;
				position = nextMagic(position + 1);
				continue;
			}
			if (damagedFrom >= 0) {
				this.corruptions.add(new Corruption(this.file, damagedFrom, -1, position - damagedFrom));
				damagedFrom = -1;
			}
			long end = position + DiskRecordHeader.BYTES + header.length();
			if (end > this.size) {
				// A torn tail: the process ended while it wrote this record. (Released,
				// it was
				// cut afterwards: no span is lost, but the bytes are cut all the same, or
				// a
				// later open would step over the records appended after them.)
				this.corruptions.add(new Corruption(this.file, position, header.released() ? 0 : header.spans(),
						this.size - position, header.kind()));
				position = this.size;
			}
			else if (header.released()) {
				position = end;
			}
			else if (requestCrc(position + DiskRecordHeader.BYTES, header.length()) != header.requestCrc()) {
				this.corruptions
					.add(new Corruption(this.file, position, header.spans(), end - position, header.kind()));
				position = end;
			}
			else {
				this.records
					.add(new DiskRecord(this.segment, position, header.length(), header.spans(), header.kind()));
				position = end;
			}
		}
		if (damagedFrom >= 0) {
			this.corruptions.add(new Corruption(this.file, damagedFrom, -1, this.size - damagedFrom));
		}
		return new Result(List.copyOf(this.records), List.copyOf(this.corruptions), this.size, validEnd());
	}

	/**
	 * Where the damage that runs to the end of the file starts, else the file's size.
	 */
	private long validEnd() {
		if (this.corruptions.isEmpty()) {
			return this.size;
		}
		Corruption last = this.corruptions.get(this.corruptions.size() - 1);
		return (last.offset() + last.bytes() == this.size) ? last.offset() : this.size;
	}

	private DiskRecordHeader headerAt(long position) throws IOException {
		if (this.size - position < DiskRecordHeader.BYTES) {
			return null;
		}
		ByteBuffer buffer = ByteBuffer.allocate(DiskRecordHeader.BYTES);
		DiskFile.readFully(this.channel, buffer, position);
		return DiskRecordHeader.decode(buffer.flip());
	}

	/**
	 * Return the first offset from the given one where a magic value starts, else the
	 * file's size.
	 */
	private long nextMagic(long from) throws IOException {
		long position = from;
		while (position + MAGIC_BYTES <= this.size) {
			int length = (int) Math.min(this.chunk.capacity(), this.size - position);
			this.chunk.clear().limit(length);
			DiskFile.readFully(this.channel, this.chunk, position);
			for (int i = 0; i + MAGIC_BYTES <= length; i++) {
				if (DiskRecordHeader.isMagic(this.chunk.getInt(i))) {
					return position + i;
				}
			}
			// The next chunk overlaps this one by the bytes of a magic value cut at its
			// end.
			position += length - (MAGIC_BYTES - 1);
		}
		return this.size;
	}

	private int requestCrc(long position, int length) throws IOException {
		CRC32C crc = new CRC32C();
		long at = position;
		long end = position + length;
		while (at < end) {
			int read = (int) Math.min(this.chunk.capacity(), end - at);
			this.chunk.clear().limit(read);
			DiskFile.readFully(this.channel, this.chunk, at);
			crc.update(this.chunk.flip());
			at += read;
		}
		return (int) crc.getValue();
	}

	/**
	 * What a segment holds from the offset scanned on.
	 *
	 * @param records its valid records, in order
	 * @param corruptions the damage found, in order
	 * @param size the file's size
	 * @param validEnd where the damage that runs to the end of the file starts (a torn
	 * tail), else its size
	 */
	record Result(List<DiskRecord> records, List<Corruption> corruptions, long size, long validEnd) {

	}

}
