package io.github.otelexport.export.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests for {@link DiskLog}, on real files: crashes are played by cutting and damaging
 * the files the way a killed process or a bad disk leaves them.
 *
 * @author otel-export authors
 */
class DiskLogTests {

	private static final int HEADER = DiskRecordHeader.BYTES;

	private static final DiskRecord END = new DiskRecord(-1, -1, 0, 0);

	@TempDir
	Path directory;

	@Test
	void appendsAndReadsBack() throws IOException {
		try (DiskLog log = DiskLog.open(this.directory, 1 << 20)) {
			assertThat(log.recovered()).isEmpty();
			assertThat(log.corrupted()).isEmpty();
			assertThat(log.bytes()).isZero();
			assertThat(log.maxBytes()).isEqualTo(1 << 20);
			DiskRecord first = log.append(text("first"), 3);
			DiskRecord empty = log.append(new byte[0], 0);
			assertThat(first).isEqualTo(new DiskRecord(1, 0, 5, 3));
			assertThat(empty).isEqualTo(new DiskRecord(1, HEADER + 5, 0, 0));
			assertThat(log.read(first)).isEqualTo(text("first"));
			assertThat(log.read(empty)).isEmpty();
			assertThat(log.bytes()).isEqualTo(2 * HEADER + 5).isEqualTo(sizeOfSegments());
		}
	}

	@Test
	void kindOfEachRecordSurvivesAReopenAndDamage() throws IOException {
		DiskRecord logs;
		try (DiskLog log = DiskLog.open(this.directory, 1 << 20)) {
			DiskRecord spans = log.append(text("spans"), 3, 0);
			logs = log.append(text("logs"), 4, 1);
			DiskRecord damaged = log.append(text("damaged logs"), 5, 1);
			assertThat(spans.kind()).isZero();
			assertThat(logs).isEqualTo(new DiskRecord(1, HEADER + 5, 4, 4, 1));
			assertThat(log.read(logs)).isEqualTo(text("logs"));
			flipByte(segmentFiles().get(0), damaged.offset() + HEADER + 1);
		}
		try (DiskLog log = DiskLog.open(this.directory, 1 << 20)) {
			assertThat(log.recovered()).extracting(DiskRecord::spans, DiskRecord::kind)
				.containsExactly(tuple(3, 0), tuple(4, 1));
			assertThat(log.corrupted()).singleElement().satisfies((corruption) -> {
				assertThat(corruption.spans()).isEqualTo(5);
				assertThat(corruption.kind()).isEqualTo(1);
			});
			assertThat(log.read(log.recovered().get(1))).isEqualTo(text("logs"));
			// a record read back with another kind than its header's is not the one asked
			// for
			DiskRecord otherKind = new DiskRecord(logs.segment(), logs.offset(), logs.size(), logs.spans(), 0);
			assertThatExceptionOfType(CorruptRecordException.class).isThrownBy(() -> log.read(otherKind));
		}
	}

	@Test
	void aRecordOfAnotherKindHasAMagicValueThatAnEarlierReaderRejects() throws IOException {
		DiskRecord logs;
		DiskRecord spans;
		try (DiskLog log = DiskLog.open(this.directory, 1 << 20)) {
			spans = log.append(text("spans"), 3, 0);
			logs = log.append(text("logs"), 4, 1);
		}
		ByteBuffer segment = ByteBuffer.wrap(Files.readAllBytes(segmentFiles().get(0)));
		assertThat(segment.getInt((int) spans.offset())).as("kind 0 as before kinds").isEqualTo(DiskRecordHeader.MAGIC);
		// an earlier reader took MAGIC and RELEASED_MAGIC only, and read the kind as part
		// of the span count
		assertThat(segment.getInt((int) logs.offset())).isNotIn(DiskRecordHeader.MAGIC, DiskRecordHeader.RELEASED_MAGIC)
			.isEqualTo(DiskRecordHeader.KIND_MAGIC);
		try (DiskLog log = DiskLog.open(this.directory, 1 << 20)) {
			assertThat(log.corrupted()).isEmpty();
			assertThat(log.recovered()).containsExactly(spans, logs);
			assertThat(log.read(logs)).isEqualTo(text("logs"));
			log.release(logs);
		}
		segment = ByteBuffer.wrap(Files.readAllBytes(segmentFiles().get(0)));
		assertThat(segment.getInt((int) logs.offset())).as("released as any record")
			.isEqualTo(DiskRecordHeader.RELEASED_MAGIC);
		try (DiskLog log = DiskLog.open(this.directory, 1 << 20)) {
			assertThat(log.corrupted()).isEmpty();
			assertThat(log.recovered()).containsExactly(spans);
		}
	}

	@Test
	void recordsOfTheEarlierHeaderReadAsKindZero() throws IOException {
		// the header as written before kinds: magic, length, spans, request CRC, header
		// CRC
		byte[] request = text("written by the earlier version");
		ByteBuffer header = ByteBuffer.allocate(HEADER);
		header.putInt(DiskRecordHeader.MAGIC)
			.putInt(request.length)
			.putInt(7)
			.putInt(DiskRecordHeader.crc(request, 0, request.length));
		header.putInt(DiskRecordHeader.crc(header.array(), 0, 16));
		Path segment = this.directory.resolve(segmentName(1));
		Files.write(segment, header.array());
		Files.write(segment, request, StandardOpenOption.APPEND);
		try (DiskLog log = DiskLog.open(this.directory, 1 << 20)) {
			assertThat(log.corrupted()).isEmpty();
			assertThat(log.recovered()).containsExactly(new DiskRecord(1, 0, request.length, 7, 0));
			assertThat(log.read(log.recovered().get(0))).isEqualTo(request);
		}
	}

	@Test
	void appendRefusesAKindOrItemCountTheHeaderCannotHold() throws IOException {
		try (DiskLog log = DiskLog.open(this.directory, 1 << 20)) {
			assertThatExceptionOfType(IllegalArgumentException.class)
				.isThrownBy(() -> log.append(text("x"), 1, DiskLog.MAX_KIND + 1))
				.withMessage("kind must be from 0 to 127 but was 128");
			assertThatExceptionOfType(IllegalArgumentException.class)
				.isThrownBy(() -> log.append(text("x"), 1 << 24, 0))
				.withMessage("spans must be from 0 to 16777215 but was 16777216");
			assertThat(log.bytes()).isZero();
		}
	}

	@Test
	void segmentsAreAnEighthOfTheLimitWithinBounds() {
		assertThat(DiskLog.segmentBytesFor(1L << 30)).isEqualTo(64L << 20);
		assertThat(DiskLog.segmentBytesFor(64L << 20)).isEqualTo(8L << 20);
		assertThat(DiskLog.segmentBytesFor(100_000)).isEqualTo(64 << 10);
		assertThat(DiskLog.segmentBytesFor(1L << 40)).isEqualTo(64L << 20);
	}

	@Test
	void keepsOrderAcrossSegmentsAndReopens() throws IOException {
		Random random = new Random(1);
		List<DiskRecord> appended = new ArrayList<>();
		Map<DiskRecord, byte[]> requests = new HashMap<>();
		try (DiskLog log = DiskLog.open(this.directory, 1 << 20, 1024)) {
			for (int i = 0; i < 40; i++) {
				byte[] request = random(random, random.nextInt(600));
				DiskRecord record = log.append(request, i);
				appended.add(record);
				requests.put(record, request);
			}
			assertThat(segmentFiles()).hasSizeGreaterThan(10);
			assertThat(log.bytes()).isEqualTo(sizeOfSegments());
		}
		try (DiskLog log = DiskLog.open(this.directory, 1 << 20, 1024)) {
			assertThat(log.recovered()).isEqualTo(appended);
			assertThat(log.corrupted()).isEmpty();
			for (DiskRecord record : log.recovered()) {
				assertThat(log.read(record)).isEqualTo(requests.get(record));
			}
		}
	}

	@Test
	void reopenRecoversExactlyTheRecordsNotReleased() throws IOException {
		List<DiskRecord> records = new ArrayList<>();
		try (DiskLog log = DiskLog.open(this.directory, 1 << 20)) {
			for (int i = 0; i < 10; i++) {
				records.add(log.append(text("request " + i), i));
			}
			// Four senders finish out of order; record 1 is still in flight.
			List.of(3, 0, 7, 2).forEach((i) -> log.release(records.get(i)));
			log.release(records.get(3));
		}
		try (DiskLog log = DiskLog.open(this.directory, 1 << 20)) {
			assertThat(log.recovered()).containsExactly(records.get(1), records.get(4), records.get(5), records.get(6),
					records.get(8), records.get(9));
			assertThat(log.read(records.get(8))).isEqualTo(text("request 8"));
			assertThatIOException().isThrownBy(() -> log.read(records.get(7))).withMessageContaining("released");
			List.of(4, 1).forEach((i) -> log.release(records.get(i)));
		}
		try (DiskLog log = DiskLog.open(this.directory, 1 << 20)) {
			assertThat(log.recovered()).containsExactly(records.get(5), records.get(6), records.get(8), records.get(9));
			log.recovered().forEach(log::release);
		}
		try (DiskLog log = DiskLog.open(this.directory, 1 << 20)) {
			assertThat(log.recovered()).isEmpty();
			DiskRecord next = log.append(text("next"), 1);
			assertThat(next.offset()).as("appended after the released records").isEqualTo(log.bytes() - HEADER - 4);
		}
		try (DiskLog log = DiskLog.open(this.directory, 1 << 20)) {
			assertThat(log.recovered()).extracting(DiskRecord::spans).containsExactly(1);
		}
	}

	@Test
	void segmentsWithEveryRecordReleasedAreDeletedButNotTheOneBeingWritten() throws IOException {
		// 50-byte records, two to a 100-byte segment.
		try (DiskLog log = DiskLog.open(this.directory, 1 << 20, 100)) {
			List<DiskRecord> records = new ArrayList<>();
			for (int i = 0; i < 6; i++) {
				records.add(log.append(new byte[50 - HEADER], 1));
			}
			assertThat(records).extracting(DiskRecord::segment).containsExactly(1L, 1L, 2L, 2L, 3L, 3L);
			assertThat(segmentNumbers()).containsExactly(1L, 2L, 3L);
			log.release(records.get(3));
			log.release(records.get(2));
			assertThat(segmentNumbers()).as("released out of order, before segment 1").containsExactly(1L, 3L);
			assertThat(log.bytes()).isEqualTo(200).isEqualTo(sizeOfSegments());
			log.release(records.get(0));
			log.release(records.get(1));
			log.release(records.get(1));
			log.release(records.get(4));
			log.release(records.get(5));
			assertThat(segmentNumbers()).as("the one being written stays").containsExactly(3L);
			assertThat(log.bytes()).isEqualTo(100);
			DiskRecord next = log.append(new byte[50 - HEADER], 2);
			assertThat(segmentNumbers()).as("left once the next one starts").containsExactly(4L);
			assertThat(log.bytes()).isEqualTo(50).isEqualTo(sizeOfSegments());
			assertThatIOException().isThrownBy(() -> log.read(records.get(0))).withMessageContaining("released");
			assertThat(log.read(next)).hasSize(50 - HEADER);
		}
		try (DiskLog log = DiskLog.open(this.directory, 1 << 20, 100)) {
			assertThat(log.recovered()).extracting(DiskRecord::spans).containsExactly(2);
		}
	}

	@Test
	void refusesWhatWouldPassTheLimitUntilASegmentIsReleased() throws IOException {
		try (DiskLog log = DiskLog.open(this.directory, 400, 100)) {
			List<DiskRecord> records = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				records.add(log.append(new byte[50 - HEADER], 1));
			}
			assertThat(log.bytes()).isEqualTo(400);
			assertThat(log.append(new byte[0], 1)).isNull();
			assertThat(log.bytes()).isEqualTo(400).isEqualTo(sizeOfSegments());
			assertThat(segmentNumbers()).containsExactly(1L, 2L, 3L, 4L);
			log.release(records.get(1));
			assertThat(log.append(new byte[0], 1)).as("segment 1 still holds record 0").isNull();
			log.release(records.get(0));
			assertThat(log.bytes()).isEqualTo(300);
			assertThat(log.append(new byte[50 - HEADER], 1)).isNotNull();
			assertThat(log.append(new byte[50 - HEADER], 1)).isNotNull();
			assertThat(log.append(new byte[0], 1)).isNull();
			assertThat(log.bytes()).isEqualTo(400).isEqualTo(sizeOfSegments());
		}
	}

	@Test
	void aRecordLargerThanASegmentHasOneToItselfAndOneLargerThanTheLimitIsRefused() throws IOException {
		try (DiskLog log = DiskLog.open(this.directory, 1000, 100)) {
			DiskRecord small = log.append(new byte[10], 1);
			DiskRecord large = log.append(new byte[300], 1);
			DiskRecord after = log.append(new byte[10], 1);
			assertThat(List.of(small, large, after)).extracting(DiskRecord::segment).containsExactly(1L, 2L, 3L);
			assertThat(log.append(new byte[1000], 1)).isNull();
			assertThat(log.bytes()).isEqualTo(3 * HEADER + 320).isEqualTo(sizeOfSegments());
		}
	}

	@Test
	void aTornTailIsReportedAndCutWhereverTheCrashHappened() throws IOException {
		Path pristine = this.directory.resolve("pristine");
		List<DiskRecord> records = new ArrayList<>();
		try (DiskLog log = DiskLog.open(pristine, 1 << 20)) {
			records.add(log.append(text("a"), 1));
			records.add(log.append(random(new Random(2), 30), 2));
			records.add(log.append(random(new Random(3), 40), 3));
		}
		byte[] segment = Files.readAllBytes(pristine.resolve(segmentName(1)));
		byte[] cursor = Files.readAllBytes(pristine.resolve("cursor"));
		int torn = (int) records.get(2).offset();
		for (int cut = torn; cut < segment.length; cut++) {
			Path crashed = this.directory.resolve("cut-" + cut);
			Files.createDirectories(crashed);
			Files.write(crashed.resolve(segmentName(1)), Arrays.copyOf(segment, cut));
			Files.write(crashed.resolve("cursor"), cursor);
			int left = cut - torn;
			try (DiskLog log = DiskLog.open(crashed, 1 << 20)) {
				assertThat(log.recovered()).as("cut at %d", cut).isEqualTo(records.subList(0, 2));
				assertThat(log.read(records.get(1))).isEqualTo(random(new Random(2), 30));
				assertThat(log.corrupted()).as("cut at %d", cut)
					.isEqualTo(
							(left == 0) ? List.of() : List.of(new Corruption(crashed.resolve(segmentName(1)).toString(),
									torn, (left >= HEADER) ? 3 : -1, left)));
				assertThat(Files.size(crashed.resolve(segmentName(1)))).isEqualTo(torn).isEqualTo(log.bytes());
				assertThat(log.append(text("after"), 4)).isEqualTo(new DiskRecord(1, torn, 5, 4));
			}
			try (DiskLog log = DiskLog.open(crashed, 1 << 20)) {
				assertThat(log.corrupted()).isEmpty();
				assertThat(log.recovered()).extracting(DiskRecord::spans).containsExactly(1, 2, 4);
				assertThat(log.read(log.recovered().get(2))).isEqualTo(text("after"));
			}
		}
	}

	@Test
	void aDamagedRequestIsReportedWithItsSpansAndTheRecordsAfterItAreKept() throws IOException {
		DiskRecord first;
		DiskRecord damaged;
		DiskRecord last;
		try (DiskLog log = DiskLog.open(this.directory, 1 << 20)) {
			first = log.append(text("first"), 1);
			damaged = log.append(text("second request"), 5);
			last = log.append(text("third"), 1);
			flipByte(this.directory.resolve(segmentName(1)), damaged.offset() + HEADER + 3);
			assertThatExceptionOfType(CorruptRecordException.class).isThrownBy(() -> log.read(damaged))
				.withMessageContaining("offset " + damaged.offset())
				.withMessageContaining("5 items")
				.withMessageContaining("no longer matches its checksum");
			assertThat(log.read(last)).isEqualTo(text("third"));
		}
		try (DiskLog log = DiskLog.open(this.directory, 1 << 20)) {
			assertThat(log.corrupted()).containsExactly(new Corruption(
					this.directory.resolve(segmentName(1)).toString(), damaged.offset(), 5, HEADER + damaged.size()));
			assertThat(log.recovered()).containsExactly(first, last);
			assertThat(log.read(first)).isEqualTo(text("first"));
			assertThat(log.read(last)).isEqualTo(text("third"));
			log.release(first);
		}
		try (DiskLog log = DiskLog.open(this.directory, 1 << 20)) {
			assertThat(log.corrupted()).as("the cursor moved past it").isEmpty();
			assertThat(log.recovered()).containsExactly(last);
		}
	}

	@Test
	void aDamagedHeaderIsSkippedByFindingTheNextOneWhicheverByteIsHit() throws IOException {
		Path pristine = this.directory.resolve("pristine");
		List<DiskRecord> records = new ArrayList<>();
		try (DiskLog log = DiskLog.open(pristine, 1 << 20)) {
			records.add(log.append(text("first"), 1));
			records.add(log.append(random(new Random(4), 100), 2));
			records.add(log.append(text("third"), 3));
			flipByte(pristine.resolve(segmentName(1)), records.get(1).offset() + 9);
			assertThatExceptionOfType(CorruptRecordException.class).isThrownBy(() -> log.read(records.get(1)))
				.withMessageContaining("header");
			flipByte(pristine.resolve(segmentName(1)), records.get(1).offset() + 9);
		}
		DiskRecord damaged = records.get(1);
		for (int i = 0; i < HEADER; i++) {
			Path copy = copyOf(pristine, "flip-" + i);
			flipByte(copy.resolve(segmentName(1)), damaged.offset() + i);
			try (DiskLog log = DiskLog.open(copy, 1 << 20)) {
				assertThat(log.corrupted()).as("byte %d", i)
					.containsExactly(new Corruption(copy.resolve(segmentName(1)).toString(), damaged.offset(), -1,
							HEADER + damaged.size()));
				assertThat(log.recovered()).containsExactly(records.get(0), records.get(2));
				assertThat(log.read(records.get(2))).isEqualTo(text("third"));
			}
		}
	}

	@Test
	void theSearchForTheNextHeaderCrossesTheBoundariesOfItsReads() throws IOException {
		// The search reads 64 KiB at a time from the byte after the damaged header; these
		// lengths put the next header across the end of its first read, and far beyond.
		for (int length : new int[] { 65513, 65514, 65515, 65516, 65517, 200_000 }) {
			Path directory = this.directory.resolve("length-" + length);
			DiskRecord next;
			try (DiskLog log = DiskLog.open(directory, 1 << 20)) {
				DiskRecord damaged = log.append(new byte[length], 1);
				next = log.append(text("next"), 2);
				flipByte(directory.resolve(segmentName(1)), damaged.offset() + 5);
			}
			try (DiskLog log = DiskLog.open(directory, 1 << 20)) {
				assertThat(log.corrupted()).as("length %d", length)
					.containsExactly(
							new Corruption(directory.resolve(segmentName(1)).toString(), 0, -1, HEADER + length));
				assertThat(log.recovered()).containsExactly(next);
			}
		}
	}

	@Test
	void aDamagedCursorOnlyMeansReadingFromTheOldestSegment() throws IOException {
		Path pristine = this.directory.resolve("pristine");
		List<DiskRecord> records = new ArrayList<>();
		try (DiskLog log = DiskLog.open(pristine, 1 << 20, 100)) {
			for (int i = 0; i < 6; i++) {
				records.add(log.append(new byte[50 - HEADER], i));
			}
			List.of(0, 1, 2).forEach((i) -> log.release(records.get(i)));
		}
		// Record 2, released, starts segment 2; the cursor points past it, at record 3.
		flipByte(pristine.resolve(segmentName(2)), 9);
		Map<String, CursorDamage> damages = Map.of("intact", (cursor) -> {
		}, "flipped", (cursor) -> flipByte(cursor, 10), "torn", (cursor) -> truncate(cursor, 10), "empty",
				(cursor) -> truncate(cursor, 0), "missing", Files::delete);
		for (Map.Entry<String, CursorDamage> damage : damages.entrySet()) {
			Path copy = copyOf(pristine, damage.getKey());
			damage.getValue().apply(copy.resolve("cursor"));
			try (DiskLog log = DiskLog.open(copy, 1 << 20, 100)) {
				assertThat(log.recovered()).as(damage.getKey()).isEqualTo(records.subList(3, 6));
				assertThat(log.corrupted()).as("%s: what lies before the cursor is not read", damage.getKey())
					.isEqualTo(damage.getKey().equals("intact") ? List.of()
							: List.of(new Corruption(copy.resolve(segmentName(2)).toString(), 0, -1, 50)));
			}
		}
	}

	@Test
	void aSecondOpenOfTheSameDirectoryFailsUntilTheFirstIsClosed() throws IOException {
		DiskLog first = DiskLog.open(this.directory, 1 << 20);
		try {
			assertThatIOException().isThrownBy(() -> DiskLog.open(this.directory, 1 << 20))
				.withMessageContaining("otel.export.buffer.disk.directory=" + this.directory.toAbsolutePath())
				.withMessageContaining("used by another process")
				.withMessageContaining("give each instance its own directory");
			first.append(text("still works"), 1);
		}
		finally {
			first.close();
		}
		try (DiskLog second = DiskLog.open(this.directory, 1 << 20)) {
			assertThat(second.recovered()).hasSize(1);
		}
	}

	@Test
	void anotherProcessHoldingTheDirectoryIsRefused() throws Exception {
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		Process holder = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
				LockHolder.class.getName(), this.directory.toString())
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		try (BufferedReader output = new BufferedReader(
				new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
			assertThat(output.readLine()).isEqualTo("open");
			assertThatIOException().isThrownBy(() -> DiskLog.open(this.directory, 1 << 20))
				.withMessageContaining("used by another process");
			holder.getOutputStream().close();
			assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
		}
		finally {
			holder.destroyForcibly();
		}
		try (DiskLog log = DiskLog.open(this.directory, 1 << 20)) {
			assertThat(log.recovered()).extracting(DiskRecord::spans).containsExactly(7);
		}
	}

	@Test
	void aDirectoryThatCannotBeWrittenFailsAtOpen() throws IOException {
		Files.setPosixFilePermissions(this.directory, PosixFilePermissions.fromString("r-xr-xr-x"));
		try {
			assumeFalse(Files.isWritable(this.directory), "root writes whatever the permissions");
			assertThatIOException().isThrownBy(() -> DiskLog.open(this.directory, 1 << 20))
				.withMessageContaining("otel.export.buffer.disk.directory=" + this.directory.toAbsolutePath())
				.withMessageContaining("is not writable by this process");
		}
		finally {
			Files.setPosixFilePermissions(this.directory, PosixFilePermissions.fromString("rwxr-xr-x"));
		}
	}

	@Test
	void aFileWhereTheDirectoryShouldBeFailsAtOpen() throws IOException {
		Path file = Files.writeString(this.directory.resolve("file"), "x");
		assertThatIOException().isThrownBy(() -> DiskLog.open(file, 1 << 20))
			.withMessageContaining("otel.export.buffer.disk.directory=" + file.toAbsolutePath() + " is not a directory")
			.withMessageContaining("set otel.export.buffer.disk.directory to a directory this process can write to");
		assertThatIOException().isThrownBy(() -> DiskLog.open(file.resolve("below"), 1 << 20))
			.withMessageContaining("cannot be created");
	}

	@Test
	void aFullDiskFailsTheAppendAndLeavesNothingToReplay() throws IOException {
		assumeTrue(Files.exists(Path.of("/dev/full")), "a device on which every write fails");
		DiskRecord kept;
		try (DiskLog log = DiskLog.open(this.directory, 1 << 20, 100)) {
			kept = log.append(new byte[50 - HEADER], 1);
			log.append(new byte[50 - HEADER], 2);
			// The next segment is a device on which every write fails with ENOSPC.
			Files.createSymbolicLink(this.directory.resolve(segmentName(2)), Path.of("/dev/full"));
			assertThatIOException().isThrownBy(() -> log.append(new byte[10], 3))
				.withMessageContaining(segmentName(2))
				.withMessageContaining("No space left on device");
			assertThatIOException().isThrownBy(() -> log.append(new byte[10], 3));
			assertThat(log.bytes()).isEqualTo(100);
			assertThat(log.read(kept)).hasSize(50 - HEADER);
			log.release(kept);
		}
		Files.delete(this.directory.resolve(segmentName(2)));
		try (DiskLog log = DiskLog.open(this.directory, 1 << 20, 100)) {
			assertThat(log.recovered()).extracting(DiskRecord::spans).containsExactly(2);
			assertThat(log.corrupted()).isEmpty();
		}
	}

	@Test
	void anInterruptedCallerNeitherFailsNorClosesTheFilesForOthers() throws Exception {
		try (DiskLog log = DiskLog.open(this.directory, 1 << 20, 1024)) {
			DiskRecord record = log.append(text("kept"), 1);
			Thread.currentThread().interrupt();
			try {
				DiskRecord appended = log.append(text("interrupted"), 2);
				assertThat(log.read(appended)).isEqualTo(text("interrupted"));
				log.release(appended);
				assertThat(Thread.currentThread().isInterrupted()).as("the flag is kept").isTrue();
			}
			finally {
				Thread.interrupted();
			}
			CompletableFuture<Thread> readerThread = new CompletableFuture<>();
			ExecutorService reader = Executors.newSingleThreadExecutor();
			try {
				Future<Integer> reads = reader.submit(() -> {
					readerThread.complete(Thread.currentThread());
					int count = 0;
					for (; count < 2000; count++) {
						assertThat(log.read(record)).isEqualTo(text("kept"));
						Thread.interrupted();
					}
					return count;
				});
				// Interrupts land before, during and after the reader's reads.
				while (!reads.isDone()) {
					readerThread.get(30, TimeUnit.SECONDS).interrupt();
					assertThat(log.read(record)).isEqualTo(text("kept"));
				}
				assertThat(reads.get()).isEqualTo(2000);
			}
			finally {
				reader.shutdownNow();
			}
			assertThat(log.append(text("after"), 3)).isNotNull();
		}
	}

	@Test
	void producersAndSendersShareTheLog() throws Exception {
		int perProducer = 500;
		LinkedBlockingQueue<DiskRecord> appended = new LinkedBlockingQueue<>();
		ExecutorService threads = Executors.newFixedThreadPool(6);
		try (DiskLog log = DiskLog.open(this.directory, 64 << 20, 4096)) {
			List<Future<Integer>> work = new ArrayList<>();
			for (int p = 0; p < 2; p++) {
				int producer = p;
				work.add(threads.submit(() -> {
					for (int i = 0; i < perProducer; i++) {
						appended.add(log.append(request(producer, i), producer * perProducer + i));
					}
					return perProducer;
				}));
			}
			for (int s = 0; s < 4; s++) {
				work.add(threads.submit(() -> {
					int sent = 0;
					for (DiskRecord record = appended.take(); record != END; record = appended.take()) {
						int producer = record.spans() / perProducer;
						assertThat(log.read(record)).isEqualTo(request(producer, record.spans() % perProducer));
						log.release(record);
						sent++;
					}
					return sent;
				}));
			}
			for (Future<Integer> producer : work.subList(0, 2)) {
				producer.get(60, TimeUnit.SECONDS);
			}
			for (int s = 0; s < 4; s++) {
				appended.add(END);
			}
			int total = 0;
			for (Future<Integer> sender : work.subList(2, 6)) {
				total += sender.get(60, TimeUnit.SECONDS);
			}
			assertThat(total).isEqualTo(2 * perProducer);
			assertThat(segmentFiles()).as("only the one being written").hasSize(1);
			assertThat(log.bytes()).isEqualTo(sizeOfSegments());
		}
		finally {
			threads.shutdownNow();
		}
		try (DiskLog log = DiskLog.open(this.directory, 64 << 20, 4096)) {
			assertThat(log.recovered()).isEmpty();
		}
	}

	@Test
	void crashesAndDamageAnywhereLoseOnlyTheRecordsHitAndNeverReturnOtherBytes() throws IOException {
		long seed = new Random().nextLong();
		Random random = new Random(seed);
		for (int round = 0; round < 100; round++) {
			String context = "seed " + seed + ", round " + round;
			Path directory = this.directory.resolve("round-" + round);
			Map<DiskRecord, byte[]> appended = new HashMap<>();
			List<DiskRecord> inOrder = new ArrayList<>();
			List<DiskRecord> unreleased = new ArrayList<>();
			try (DiskLog log = DiskLog.open(directory, 1 << 20, 1500)) {
				for (int i = 0; i < 30; i++) {
					byte[] request = random(random, random.nextInt(300));
					DiskRecord record = log.append(request, i);
					appended.put(record, request);
					inOrder.add(record);
					unreleased.add(record);
					if (random.nextInt(3) == 0) {
						log.release(unreleased.remove(random.nextInt(unreleased.size())));
					}
				}
			}
			List<DiskRecord> damaged = new ArrayList<>();
			damage(directory, random, inOrder, damaged);
			List<DiskRecord> undamaged = new ArrayList<>(unreleased);
			undamaged.removeAll(damaged);
			DiskRecord next;
			try (DiskLog log = DiskLog.open(directory, 1 << 20, 1500)) {
				assertRecoveredAsAppended(log, appended, context);
				assertThat(log.recovered()).as(context).isEqualTo(undamaged);
				byte[] request = random(random, 100);
				next = log.append(request, 99);
				appended.put(next, request);
				assertThat(log.read(next)).isEqualTo(request);
			}
			try (DiskLog log = DiskLog.open(directory, 1 << 20, 1500)) {
				assertRecoveredAsAppended(log, appended, context);
				undamaged.add(next);
				assertThat(log.recovered()).as(context).isEqualTo(undamaged);
			}
		}
	}

	private void assertRecoveredAsAppended(DiskLog log, Map<DiskRecord, byte[]> appended, String context)
			throws IOException {
		for (DiskRecord record : log.recovered()) {
			assertThat(appended).as(context).containsKey(record);
			assertThat(log.read(record)).as(context).isEqualTo(appended.get(record));
		}
	}

	/**
	 * Damage the files as a crash or a bad disk would: cut a segment, overwrite bytes
	 * with garbage, add garbage after the end, damage the cursor.
	 */
	private void damage(Path directory, Random random, Iterable<DiskRecord> records, List<DiskRecord> damaged)
			throws IOException {
		List<Path> segments = segmentFiles(directory);
		for (int i = 0, count = 1 + random.nextInt(3); i < count; i++) {
			Path segment = segments.get(random.nextInt(segments.size()));
			long number = Long.parseLong(segment.getFileName().toString().substring(0, 19));
			long size = Files.size(segment);
			switch (random.nextInt(4)) {
				case 0 -> {
					long cut = (size == 0) ? 0 : random.nextLong(size);
					truncate(segment, cut);
					records.forEach((record) -> {
						if (record.segment() == number && record.offset() + HEADER + record.size() > cut) {
							damaged.add(record);
						}
					});
				}
				case 1 -> {
					if (size > 0) {
						long from = random.nextLong(size);
						byte[] garbage = random(random, 1 + random.nextInt(64));
						write(segment, from, garbage);
						long to = from + garbage.length;
						records.forEach((record) -> {
							if (record.segment() == number && record.offset() < to
									&& record.offset() + HEADER + record.size() > from) {
								damaged.add(record);
							}
						});
					}
				}
				case 2 -> write(segment, size, random(random, 1 + random.nextInt(64)));
				default -> flipByte(directory.resolve("cursor"), random.nextInt(DiskCursor.BYTES));
			}
		}
	}

	private long sizeOfSegments() throws IOException {
		long size = 0;
		for (Path segment : segmentFiles()) {
			size += Files.size(segment);
		}
		return size;
	}

	private List<Long> segmentNumbers() throws IOException {
		return segmentFiles().stream()
			.map((path) -> Long.parseLong(path.getFileName().toString().substring(0, 19)))
			.toList();
	}

	private List<Path> segmentFiles() throws IOException {
		return segmentFiles(this.directory);
	}

	private static List<Path> segmentFiles(Path directory) throws IOException {
		try (Stream<Path> files = Files.list(directory)) {
			return files.filter((path) -> path.getFileName().toString().endsWith(".log")).sorted().toList();
		}
	}

	private static String segmentName(long number) {
		return String.format("%019d.log", number);
	}

	private Path copyOf(Path source, String name) throws IOException {
		Path copy = Files.createDirectories(this.directory.resolve(name));
		try (Stream<Path> files = Files.list(source)) {
			for (Path file : files.toList()) {
				if (!file.getFileName().toString().equals("lock")) {
					Files.copy(file, copy.resolve(file.getFileName()));
				}
			}
		}
		return copy;
	}

	private static void flipByte(Path file, long position) throws IOException {
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
			ByteBuffer buffer = ByteBuffer.allocate(1);
			channel.read(buffer, position);
			buffer.put(0, (byte) (buffer.get(0) ^ 0x5A));
			channel.write(buffer.rewind(), position);
		}
	}

	private static void truncate(Path file, long size) throws IOException {
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
			channel.truncate(size);
		}
	}

	private static void write(Path file, long position, byte[] bytes) throws IOException {
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
			channel.write(ByteBuffer.wrap(bytes), position);
		}
	}

	private static byte[] text(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] random(Random random, int size) {
		byte[] bytes = new byte[size];
		random.nextBytes(bytes);
		return bytes;
	}

	private static byte[] request(int producer, int i) {
		byte[] bytes = new byte[100 + (i % 200)];
		Arrays.fill(bytes, (byte) (producer * 31 + i));
		return bytes;
	}

	/**
	 * Damage done to a cursor file.
	 */
	@FunctionalInterface
	interface CursorDamage {

		void apply(Path cursor) throws IOException;

	}

	/**
	 * Holds a log open in another process until its standard input closes.
	 */
	static final class LockHolder {

		public static void main(String[] args) throws IOException {
			try (DiskLog log = DiskLog.open(Path.of(args[0]), 1 << 20)) {
				log.append(new byte[1], 7);
				System.out.println("open");
				System.out.flush();
				while (System.in.read() >= 0) {
					// Wait for the test to close our input.
				}
			}
		}

	}

}
