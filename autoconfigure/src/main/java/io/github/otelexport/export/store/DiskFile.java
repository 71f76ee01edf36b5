package io.github.otelexport.export.store;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * One file of a {@link DiskLog}, shared by the threads that append, read and release.
 * <p>
 * A {@link FileChannel} is closed for every thread when a thread using it is interrupted.
 * So that a sender interrupted during a read does not close a segment under the others,
 * each operation runs with the caller's interrupt flag held back (set again afterwards),
 * and an operation that finds its channel closed under it (another thread's interrupt) is
 * run once more on the file opened again. Operations must therefore be repeatable: a
 * write is repeated at the same position.
 *
 * @author otel-export authors
 */
final class DiskFile {

	private final Path path;

	private FileChannel channel;

	private boolean closed;

	/**
	 * Open a file for reading and writing.
	 * @param path the file
	 * @param create how to create it ({@code CREATE}, {@code TRUNCATE_EXISTING}); applies
	 * to this first opening only, never when an interrupt makes the file open again
	 * @throws IOException if it cannot be opened
	 */
	DiskFile(Path path, OpenOption... create) throws IOException {
		this.path = path;
		Set<OpenOption> options = new HashSet<>(Arrays.asList(create));
		options.add(StandardOpenOption.READ);
		options.add(StandardOpenOption.WRITE);
		this.channel = FileChannel.open(path, options);
	}

	Path path() {
		return this.path;
	}

	/**
	 * Run an operation on the file's channel.
	 * @param <T> what it returns
	 * @param operation the operation, repeatable
	 * @return what it returned
	 * @throws IOException if it failed, or the file is closed
	 */
	<T> T apply(Operation<T> operation) throws IOException {
		boolean interrupted = Thread.interrupted();
		try {
			while (true) {
				try {
					return operation.apply(channel());
				}
				catch (ClosedChannelException ex) {
					// An interrupt closed it: ours (the flag is set again) or another
					// thread's.
					// Closing the file itself makes channel() fail, which ends the loop.
					interrupted |= Thread.interrupted();
				}
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/**
	 * Close the file; later operations fail.
	 */
	synchronized void close() {
		this.closed = true;
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			// Nothing was buffered: closing has nothing left to lose.
		}
	}

	private synchronized FileChannel channel() throws IOException {
		if (this.closed) {
			throw new IOException(this.path + " is closed");
		}
		if (!this.channel.isOpen()) {
			this.channel = FileChannel.open(this.path, StandardOpenOption.READ, StandardOpenOption.WRITE);
		}
		return this.channel;
	}

	/**
	 * Read until the buffer is full.
	 * @param channel the channel
	 * @param buffer the buffer
	 * @param position where to read from
	 * @throws IOException if it fails, {@link EOFException} at the end of the file
	 */
	static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
		long at = position;
		while (buffer.hasRemaining()) {
			int read = channel.read(buffer, at);
			if (read < 0) {
				throw new EOFException();
			}
			at += read;
		}
	}

	/**
	 * An operation on a file's channel.
	 *
	 * @param <T> what it returns
	 */
	@FunctionalInterface
	interface Operation<T> {

		T apply(FileChannel channel) throws IOException;

	}

}
