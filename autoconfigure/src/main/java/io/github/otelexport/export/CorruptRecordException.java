package io.github.otelexport.export;

import java.io.IOException;

final class CorruptRecordException extends IOException {

	CorruptRecordException(String message) {
		super(message);
	}

}
