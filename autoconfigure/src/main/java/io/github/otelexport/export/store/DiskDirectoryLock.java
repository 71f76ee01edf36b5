package io.github.otelexport.export.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The exclusive lock on a {@link DiskLog}'s directory, held for as long as the log is
 * open (its {@code lock} file, locked through the operating system, so the lock goes with
 * the process however it ends). Taking it checks the directory first and says what is
 * wrong in terms of the property that names it.
 *
 * @author otel-export authors
 */
final class DiskDirectoryLock implements AutoCloseable {

	static final String PROPERTY = "otel.export.buffer.disk.directory";

	private final FileChannel channel;

	private DiskDirectoryLock(FileChannel channel) {
		this.channel = channel;
	}

	/**
	 * Create the directory if needed and lock it.
	 * @param directory the directory, absolute
	 * @return the lock
	 * @throws IOException if the directory is no directory, cannot be created or written,
	 * or is locked by another process or another log of this one
	 */
	static DiskDirectoryLock lock(Path directory) throws IOException {
		String fix = "; set " + PROPERTY + " to a directory this process can write to";
		if (Files.exists(directory) && !Files.isDirectory(directory)) {
			throw new IOException(PROPERTY + "=" + directory + " is not a directory" + fix);
		}
		try {
			Files.createDirectories(directory);
		}
		catch (IOException ex) {
			throw new IOException(PROPERTY + "=" + directory + " cannot be created (" + ex + ")" + fix, ex);
		}
		if (!Files.isWritable(directory)) {
			throw new IOException(PROPERTY + "=" + directory + " is not writable by this process" + fix);
		}
		FileChannel channel;
		try {
			channel = FileChannel.open(directory.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
		}
		catch (AccessDeniedException ex) {
			throw new IOException(PROPERTY + "=" + directory + " is not writable by this process (" + ex + ")" + fix,
					ex);
		}
		try {
			FileLock lock = channel.tryLock();
			if (lock != null) {
				return new DiskDirectoryLock(channel);
			}
		}
		catch (OverlappingFileLockException ex) {
			// Another log of this process holds it.
		}
		catch (IOException | RuntimeException ex) {
			channel.close();
			throw ex;
		}
		channel.close();
		throw new IOException(PROPERTY + "=" + directory
				+ " is used by another process (or another exporter of this one); give each instance its own directory");
	}

	/**
	 * Release the lock.
	 */
	@Override
	public void close() {
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			// Closing the channel releases the lock whatever it reports.
		}
	}

}
