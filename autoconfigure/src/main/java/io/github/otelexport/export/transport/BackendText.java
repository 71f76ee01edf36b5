package io.github.otelexport.export.transport;

import java.nio.charset.StandardCharsets;

/**
 * Caps text that comes from a backend (a gRPC message, an error body, a header value)
 * before anything keeps it, as a backend may send megabytes of it. The cap is well past
 * what logs and the endpoint show: a secret the backend echoes must be masked whole
 * before the text is cut for display, never cut first and left half visible.
 *
 * @author otel-export authors
 */
final class BackendText {

	/** The most characters of a backend's text that are kept. */
	static final int MAX_LENGTH = 64 * 1024;

	/** Appended to text that was cut. */
	static final String CUT_MARK = "... [cut]";

	/** UTF-8 needs at most four bytes for a character. */
	private static final int MAX_BYTES = 4 * MAX_LENGTH;

	private BackendText() {
	}

	/**
	 * Return the text, or its first {@link #MAX_LENGTH} characters followed by
	 * {@link #CUT_MARK}.
	 * @param text the backend's text
	 * @return the text to keep
	 */
	static String cap(String text) {
		return (text.length() > MAX_LENGTH) ? cut(text) : text;
	}

	/**
	 * Return UTF-8 bytes as capped text, without decoding more of them than can be kept.
	 * @param utf8 the backend's bytes
	 * @return the text to keep
	 */
	static String of(byte[] utf8) {
		String text = new String(utf8, 0, Math.min(utf8.length, MAX_BYTES), StandardCharsets.UTF_8);
		return (text.length() > MAX_LENGTH || utf8.length > MAX_BYTES) ? cut(text) : text;
	}

	private static String cut(String text) {
		int end = Math.min(text.length(), MAX_LENGTH);
		// never split a surrogate pair
		if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
			end--;
		}
		return text.substring(0, end) + CUT_MARK;
	}

}
