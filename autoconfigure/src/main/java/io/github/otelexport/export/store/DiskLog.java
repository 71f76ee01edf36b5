package io.github.otelexport.export.store;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An append-only, segmented log of encoded OTLP requests: the export buffer's store on
 * disk.
 * <p>
 * <b>Files.</b> The directory holds numbered segment files
 * ({@code 0000000000000000001.log}, ...), a {@code cursor} file and a {@code lock} file.
 * A segment is a sequence of records, each a {@link DiskRecordHeader} (magic value,
 * length, spans, the request's CRC32C, the header's own CRC32C) and the request. Appends
 * go to the newest segment; a record that would take it past the segment size
 * ({@link #segmentBytesFor(long)}) starts the next one. The {@code lock} file is locked
 * for as long as the log is open, so two processes never share a directory.
 * <p>
 * <b>Release and replay.</b> Senders release records in any order. Releasing a record
 * writes a mark over its magic value (4 bytes in place), so that no later open recovers
 * it. The {@code cursor} file holds where the oldest record not released starts; it is
 * rewritten when that record is released, so that an open reads from there on only. A
 * segment whose records are all released is deleted, except the one being written. An
 * open after a crash therefore {@link #recovered() recovers} exactly the records not
 * released: the duplicates a crash makes are the records in flight then (one per sender),
 * plus any whose mark could not be written. A cursor file that is missing, torn or
 * damaged only means reading from the start of the oldest segment, where the marks still
 * tell what was released: never a loss.
 * <p>
 * <b>Crashes.</b> Nothing is forced to the device (no fsync): what was written survives
 * the end of the process, {@code kill -9} included, as it is in the kernel's page cache,
 * but not a power loss or a crash of the operating system. A record being written when
 * the process died is a torn tail: the next open reports it in {@link #corrupted()} and
 * truncates it, so appends go on after the valid data. A damaged record elsewhere is
 * reported and skipped; the rest of its file is read. A damaged record between records
 * still unreleased is reported again by each open until those are released.
 * <p>
 * <b>Threads.</b> Appends and releases are serialised by the log's lock (their writes are
 * made under it); reads run outside it, with positional I/O on the shared channels. No
 * memory-mapped files: a write through a mapping that a crash cuts short is harder to
 * reason about than a torn {@code write}.
 * <p>
 * <b>Size.</b> {@link #bytes()} is what the segment files take on disk, released records
 * included until their segment is deleted; an append that would take it past
 * {@code maxBytes} is refused. Room therefore comes back a segment at a time.
 *
 * @author otel-export authors
 */
public final class DiskLog implements AutoCloseable {

	/**
	 * The highest kind a record may have: the top byte of a header field, kept below its
	 * sign bit.
	 */
	public static final int MAX_KIND = 127;

	static final long MIN_SEGMENT_BYTES = 64 * 1024;

	static final long MAX_SEGMENT_BYTES = 64 * 1024 * 1024;

	private static final Pattern SEGMENT_NAME = Pattern.compile("(\\d{19})\\.log");

	private final Path directory;

	private final long maxBytes;

	private final long segmentBytes;

	private final DiskDirectoryLock lock;

	private final DiskFile cursorFile;

	/** By number; each but the head holds a record not released. */
	private final TreeMap<Long, DiskSegment> segments = new TreeMap<>();

	private final List<DiskRecord> recovered;

	private final List<Corruption> corrupted;

	private DiskSegment head;

	private DiskCursor cursor;

	private long bytes;

	private boolean closed;

	private DiskLog(Path directory, long maxBytes, long segmentBytes, DiskDirectoryLock lock) throws IOException {
		this.directory = directory;
		this.maxBytes = maxBytes;
		this.segmentBytes = segmentBytes;
		this.lock = lock;
		this.cursorFile = new DiskFile(directory.resolve("cursor"), StandardOpenOption.CREATE);
		List<DiskRecord> found = new ArrayList<>();
		List<Corruption> damage = new ArrayList<>();
		try {
			recover(found, damage);
		}
		catch (IOException | RuntimeException ex) {
			close();
			throw ex;
		}
		this.recovered = List.copyOf(found);
		this.corrupted = List.copyOf(damage);
	}

	/**
	 * Open the log in a directory, creating it if needed, with segments of
	 * {@link #segmentBytesFor(long)}.
	 * @param directory the directory
	 * @param maxBytes the most bytes its segment files may take
	 * @return the log, holding the directory's lock until {@link #close()}
	 * @throws IOException with a message for the user when the directory is no directory,
	 * cannot be written or is used by another process, or when reading it fails
	 */
	public static DiskLog open(Path directory, long maxBytes) throws IOException {
		return open(directory, maxBytes, segmentBytesFor(maxBytes));
	}

	/**
	 * Open the log in a directory with segments of the given size (visible for testing).
	 * @param directory the directory
	 * @param maxBytes the most bytes its segment files may take
	 * @param segmentBytes the size past which a segment is not appended to
	 * @return the log
	 * @throws IOException as {@link #open(Path, long)}
	 */
	static DiskLog open(Path directory, long maxBytes, long segmentBytes) throws IOException {
		if (maxBytes <= 0 || segmentBytes <= 0) {
			throw new IllegalArgumentException("maxBytes and segmentBytes must be positive");
		}
		Path absolute = directory.toAbsolutePath();
		DiskDirectoryLock lock = DiskDirectoryLock.lock(absolute);
		try {
			return new DiskLog(absolute, maxBytes, segmentBytes, lock);
		}
		catch (IOException | RuntimeException ex) {
			lock.close();
			throw ex;
		}
	}

	/**
	 * Return the size of the segments for a limit: an eighth of it, so that room comes
	 * back in steps of an eighth, within 64 KiB (fewer, larger files) and 64 MiB (a
	 * segment that one record in flight keeps on disk holds little).
	 * @param maxBytes the limit
	 * @return the segment size
	 */
	static long segmentBytesFor(long maxBytes) {
		return Math.max(MIN_SEGMENT_BYTES, Math.min(MAX_SEGMENT_BYTES, maxBytes / 8));
	}

	/**
	 * Return the valid records found at open that were not released before, oldest first.
	 * They are unreleased now: {@link #release(DiskRecord) release} each once it is sent
	 * or dropped.
	 * @return the records
	 */
	public List<DiskRecord> recovered() {
		return this.recovered;
	}

	/**
	 * Return the damage found at open, in order: the torn tail a crash left, records
	 * whose checksum no longer matches, bytes that hold no record.
	 * @return the damage
	 */
	public List<Corruption> corrupted() {
		return this.corrupted;
	}

	/**
	 * Append a request of kind 0.
	 * @param request the encoded request
	 * @param spans its items
	 * @return where it was written, or {@code null} when the log is full
	 * @throws IOException if the write fails or the log is closed
	 * @see #append(byte[], int, int)
	 */
	public DiskRecord append(byte[] request, int spans) throws IOException {
		return append(request, spans, 0);
	}

	/**
	 * Append a request: one {@code write} call (and a new file when a segment is full),
	 * no fsync, under the log's lock.
	 * @param request the encoded request
	 * @param spans its items, at most {@value DiskRecordHeader#MAX_ITEMS}
	 * @param kind what it holds, from 0 to {@value #MAX_KIND}; kept in its header and
	 * given back with it
	 * @return where it was written, or {@code null} when the log's files would take more
	 * than {@code maxBytes} (nothing is written)
	 * @throws IOException if the write fails (disk full, for example) or the log is
	 * closed; nothing of the record is replayed later
	 */
	public synchronized DiskRecord append(byte[] request, int spans, int kind) throws IOException {
		if (spans < 0 || spans > DiskRecordHeader.MAX_ITEMS) {
			throw new IllegalArgumentException(
					"spans must be from 0 to " + DiskRecordHeader.MAX_ITEMS + " but was " + spans);
		}
		if (kind < 0 || kind > MAX_KIND) {
			throw new IllegalArgumentException("kind must be from 0 to " + MAX_KIND + " but was " + kind);
		}
		ensureOpen();
		long recordBytes = (long) DiskRecordHeader.BYTES + request.length;
		if (this.bytes + recordBytes > this.maxBytes) {
			return null;
		}
		if (this.head.size() > 0 && this.head.size() + recordBytes > this.segmentBytes) {
			roll();
		}
		DiskSegment segment = this.head;
		long offset = segment.size();
		ByteBuffer header = DiskRecordHeader.encode(request, spans, kind);
		try {
			segment.file().apply((channel) -> {
				ByteBuffer[] buffers = { header.duplicate(), ByteBuffer.wrap(request) };
				channel.position(offset);
				while (buffers[0].hasRemaining() || buffers[1].hasRemaining()) {
					channel.write(buffers);
				}
				return null;
			});
		}
		catch (IOException ex) {
			cut(segment, offset);
			throw new IOException("Could not write to " + segment.file().path() + ": " + reason(ex), ex);
		}
		segment.size(offset + recordBytes);
		segment.add(offset);
		this.bytes += recordBytes;
		return new DiskRecord(segment.number(), offset, request.length, spans, kind);
	}

	/**
	 * Read a record's request back, checking it against its checksums.
	 * @param record a record appended or recovered and not released
	 * @return the request
	 * @throws CorruptRecordException if its bytes no longer match their checksums
	 * @throws IOException if it cannot be read, is released, or the log is closed
	 */
	public byte[] read(DiskRecord record) throws IOException {
		DiskFile file;
		synchronized (this) {
			ensureOpen();
			DiskSegment segment = this.segments.get(record.segment());
			if (segment == null || !segment.holds(record.offset())) {
				throw new IOException(
						"No record " + record + " in " + this.directory + ": released already, or not from this log");
			}
			file = segment.file();
		}
		return file.apply((channel) -> read(channel, file.path(), record));
	}

	private static byte[] read(FileChannel channel, Path file, DiskRecord record) throws IOException {
		String where = "The record at offset " + record.offset() + " of " + file + " (" + record.spans() + " items)";
		ByteBuffer header = ByteBuffer.allocate(DiskRecordHeader.BYTES);
		ByteBuffer request = ByteBuffer.allocate(record.size());
		try {
			DiskFile.readFully(channel, header, record.offset());
			DiskFile.readFully(channel, request, record.offset() + DiskRecordHeader.BYTES);
		}
		catch (EOFException ex) {
			throw new CorruptRecordException(where + " is cut short: its file was truncated");
		}
		DiskRecordHeader read = DiskRecordHeader.decode(header.flip());
		if (read == null || read.released() || read.length() != record.size() || read.spans() != record.spans()
				|| read.kind() != record.kind()) {
			throw new CorruptRecordException(where + " has a header that no longer matches its checksum");
		}
		if (DiskRecordHeader.crc(request.array(), 0, record.size()) != read.requestCrc()) {
			throw new CorruptRecordException(where + " no longer matches its checksum");
		}
		return request.array();
	}

	/**
	 * Say that a record was sent or dropped: it is marked released in its file (a 4-byte
	 * write over its magic value), so no later open recovers it. When it was the oldest
	 * not released, the cursor moves on; when it was the last of its segment, the segment
	 * is deleted unless it is the one being written. Releasing twice, or after
	 * {@link #close()}, does nothing.
	 * @param record the record
	 */
	public synchronized void release(DiskRecord record) {
		if (this.closed) {
			return;
		}
		DiskSegment segment = this.segments.get(record.segment());
		if (segment == null || !segment.release(record.offset())) {
			return;
		}
		try {
			segment.file().apply((channel) -> {
				ByteBuffer mark = DiskRecordHeader.releasedMark();
				while (mark.hasRemaining()) {
					channel.write(mark, record.offset() + mark.position());
				}
				return null;
			});
		}
		catch (IOException ex) {
			// Not marked: a crash before the cursor passes it sends it again, never less.
		}
		try {
			moveCursor();
		}
		catch (IOException ex) {
			// The cursor on disk stays behind: the next open reads more, the marks still
			// hold.
		}
		if (segment.unreleased() == 0 && segment != this.head) {
			delete(segment);
		}
	}

	/**
	 * Return the bytes the segment files take on disk now.
	 * @return the bytes
	 */
	public synchronized long bytes() {
		return this.bytes;
	}

	/**
	 * Return the most bytes the segment files may take.
	 * @return the limit
	 */
	public long maxBytes() {
		return this.maxBytes;
	}

	/**
	 * Close the files and release the directory's lock; the files stay for the next open.
	 * Appends and reads fail from now on.
	 */
	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.segments.values().forEach((segment) -> segment.file().close());
		this.cursorFile.close();
		this.lock.close();
	}

	private void recover(List<DiskRecord> found, List<Corruption> damage) throws IOException {
		DiskCursor from = readCursor();
		long validEnd = 0;
		for (Path path : segmentFiles()) {
			long number = segmentNumber(path);
			if (from != null && number < from.segment()) {
				// Every record in it was released.
				Files.deleteIfExists(path);
				continue;
			}
			DiskFile file = new DiskFile(path);
			long offset = (from != null && number == from.segment()) ? from.offset() : 0;
			DiskSegmentScanner.Result result = file
				.apply((channel) -> DiskSegmentScanner.scan(channel, number, path.toString(), offset));
			DiskSegment segment = new DiskSegment(number, file, result.size());
			this.segments.put(number, segment);
			result.records().forEach((record) -> segment.add(record.offset()));
			found.addAll(result.records());
			damage.addAll(result.corruptions());
			validEnd = result.validEnd();
		}
		if (this.segments.isEmpty()) {
			this.head = createSegment((from != null) ? from.segment() + 1 : 1);
		}
		else {
			this.head = this.segments.lastEntry().getValue();
			cut(this.head, validEnd);
			this.head.size(validEnd);
		}
		this.bytes = this.segments.values().stream().mapToLong(DiskSegment::size).sum();
		// Now, so that a directory that cannot be written fails the open.
		moveCursor();
		for (DiskSegment segment : List.copyOf(this.segments.values())) {
			if (segment.unreleased() == 0 && segment != this.head) {
				delete(segment);
			}
		}
	}

	private DiskCursor readCursor() throws IOException {
		return this.cursorFile.apply((channel) -> {
			if (channel.size() < DiskCursor.BYTES) {
				return null;
			}
			ByteBuffer buffer = ByteBuffer.allocate(DiskCursor.BYTES);
			DiskFile.readFully(channel, buffer, 0);
			return DiskCursor.decode(buffer.flip());
		});
	}

	/**
	 * Write the cursor when the oldest record not released is not where it says.
	 */
	private void moveCursor() throws IOException {
		DiskCursor oldest = new DiskCursor(this.head.number(), this.head.size());
		for (DiskSegment segment : this.segments.values()) {
			if (segment.unreleased() > 0) {
				oldest = new DiskCursor(segment.number(), segment.oldestOffset());
				break;
			}
		}
		if (oldest.equals(this.cursor)) {
			return;
		}
		ByteBuffer bytes = oldest.encode();
		this.cursorFile.apply((channel) -> {
			ByteBuffer buffer = bytes.duplicate();
			while (buffer.hasRemaining()) {
				channel.write(buffer, buffer.position());
			}
			return null;
		});
		this.cursor = oldest;
	}

	private List<Path> segmentFiles() throws IOException {
		try (Stream<Path> files = Files.list(this.directory)) {
			return files.filter((path) -> segmentNumber(path) >= 0)
				.filter(Files::isRegularFile)
				.sorted(Comparator.comparingLong(DiskLog::segmentNumber))
				.toList();
		}
	}

	/**
	 * Return the number a segment file is named by, {@code -1} for another file.
	 */
	private static long segmentNumber(Path path) {
		Matcher matcher = SEGMENT_NAME.matcher(path.getFileName().toString());
		if (!matcher.matches()) {
			return -1;
		}
		try {
			return Long.parseLong(matcher.group(1));
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	private DiskSegment createSegment(long number) throws IOException {
		Path path = this.directory.resolve(String.format("%019d.log", number));
		DiskSegment segment = new DiskSegment(number,
				new DiskFile(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING), 0);
		this.segments.put(number, segment);
		return segment;
	}

	private void roll() throws IOException {
		DiskSegment previous = this.head;
		try {
			this.head = createSegment(previous.number() + 1);
		}
		catch (IOException ex) {
			throw new IOException("Could not start a new segment in " + this.directory + ": " + reason(ex), ex);
		}
		if (previous.unreleased() == 0) {
			delete(previous);
		}
	}

	private void delete(DiskSegment segment) {
		this.segments.remove(segment.number());
		segment.file().close();
		try {
			Files.deleteIfExists(segment.file().path());
			this.bytes -= segment.size();
		}
		catch (IOException ex) {
			// It stays on disk and counted; the next open steps over its released
			// records.
		}
	}

	/**
	 * Cut a segment back to the given size: what lies after is a torn or failed write
	 * that no later open may take for a record. A failure is left as it is: a record cut
	 * short never passes its checksum.
	 */
	private static void cut(DiskSegment segment, long size) {
		try {
			segment.file().apply((channel) -> (channel.size() > size) ? channel.truncate(size) : channel);
		}
		catch (IOException ex) {
			// See above.
		}
	}

	private static String reason(IOException ex) {
		return Objects.requireNonNullElse(ex.getMessage(), ex.getClass().getSimpleName());
	}

	private void ensureOpen() throws IOException {
		if (this.closed) {
			throw new IOException("The disk buffer in " + this.directory + " is closed");
		}
	}

}
