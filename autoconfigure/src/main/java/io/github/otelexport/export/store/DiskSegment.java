package io.github.otelexport.export.store;

import java.util.Arrays;
import java.util.BitSet;

/**
 * One segment file of a {@link DiskLog} and which of its records are not released yet.
 * The records are kept as their offsets in log order and one bit each once released:
 * about eight bytes of heap a record, however many small requests an outage leaves on
 * disk.
 *
 * @author otel-export authors
 */
final class DiskSegment {

	private final long number;

	private final DiskFile file;

	private long size;

	private long[] offsets = new long[16];

	private int records;

	private final BitSet released = new BitSet();

	/** The index of its oldest record not released, when it has one. */
	private int oldest;

	private int unreleased;

	DiskSegment(long number, DiskFile file, long size) {
		this.number = number;
		this.file = file;
		this.size = size;
	}

	long number() {
		return this.number;
	}

	DiskFile file() {
		return this.file;
	}

	/**
	 * Return its bytes on disk: where the next record goes.
	 * @return the size
	 */
	long size() {
		return this.size;
	}

	/**
	 * Set its size, after a record was written or the file was cut.
	 * @param size the size
	 */
	void size(long size) {
		this.size = size;
	}

	/**
	 * Add a record, after the ones it holds.
	 * @param offset where it starts
	 */
	void add(long offset) {
		if (this.records == this.offsets.length) {
			this.offsets = Arrays.copyOf(this.offsets, this.records * 2);
		}
		this.offsets[this.records++] = offset;
		this.unreleased++;
	}

	/**
	 * Release a record.
	 * @param offset where it starts
	 * @return {@code false} when it holds no such record, or it was released already
	 */
	boolean release(long offset) {
		int index = Arrays.binarySearch(this.offsets, 0, this.records, offset);
		if (index < 0 || this.released.get(index)) {
			return false;
		}
		this.released.set(index);
		this.unreleased--;
		if (index == this.oldest) {
			this.oldest = this.released.nextClearBit(index);
		}
		return true;
	}

	/**
	 * Return whether a record starts at the given offset and is not released.
	 * @param offset the offset
	 * @return whether it does
	 */
	boolean holds(long offset) {
		int index = Arrays.binarySearch(this.offsets, 0, this.records, offset);
		return index >= 0 && !this.released.get(index);
	}

	/**
	 * Return how many of its records are not released.
	 * @return the count
	 */
	int unreleased() {
		return this.unreleased;
	}

	/**
	 * Return where its oldest record not released starts.
	 * @return the offset, meaningful when {@link #unreleased()} is not zero
	 */
	long oldestOffset() {
		return this.offsets[this.oldest];
	}

}
