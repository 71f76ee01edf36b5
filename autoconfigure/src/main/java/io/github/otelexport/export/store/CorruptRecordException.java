package io.github.otelexport.export.store;

import java.io.IOException;

/**
 * A record read back from a {@link DiskLog} no longer matches its checksum: its request
 * is lost, the rest of the log is not.
 *
 * @author otel-export authors
 */
final class CorruptRecordException extends IOException {

	private static final long serialVersionUID = 1L;

	CorruptRecordException(String message) {
		super(message);
	}

}
