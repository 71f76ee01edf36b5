package io.github.otelexport.export;

import java.util.Arrays;

/**
 * A text read the way {@link SecretRedactor} compares it with secrets: URL escapes
 * ({@code %2F}, {@code %2f}) and JSON escapes ({@code \/}, {@code \"}, {@code \\}, and a
 * backslash, {@code u} and four hex digits) decoded, letters lower-cased and {@code +}
 * read as a space, as a URL form encodes it. A secret and its echo normalize to the same
 * text whichever of these forms the backend chose, even one that encodes only some
 * characters, and each normalized character remembers where it came from in the original,
 * so that the echo can be masked there.
 * <p>
 * Only escapes of ASCII characters are URL-decoded: header values, the secrets compared,
 * are ASCII.
 *
 * @author otel-export authors
 */
final class NormalizedText {

	private final String text;

	/**
	 * Where each normalized character begins in the original; one more entry, the
	 * original's length, ends the last one.
	 */
	private final int[] starts;

	private NormalizedText(String text, int[] starts) {
		this.text = text;
		this.starts = starts;
	}

	/**
	 * Normalize a text.
	 * @param original the text
	 * @return the normalized text
	 */
	static NormalizedText of(String original) {
		int length = original.length();
		StringBuilder text = new StringBuilder(length);
		int[] starts = new int[length + 1];
		int i = 0;
		while (i < length) {
			int start = i;
			char c = original.charAt(i);
			int escaped = (c == '%') ? hex(original, i + 1, 2) : -1;
			if (escaped >= 0 && escaped < 0x80) {
				c = (char) escaped;
				i += 3;
			}
			else if (c == '\\' && i + 1 < length && original.charAt(i + 1) == 'u' && hex(original, i + 2, 4) >= 0) {
				c = (char) hex(original, i + 2, 4);
				i += 6;
			}
			else if (c == '\\' && i + 1 < length && "/\"\\".indexOf(original.charAt(i + 1)) >= 0) {
				c = original.charAt(i + 1);
				i += 2;
			}
			else {
				i++;
			}
			starts[text.length()] = start;
			text.append((c == '+') ? ' ' : Character.toLowerCase(c));
		}
		starts[text.length()] = length;
		return new NormalizedText(text.toString(), Arrays.copyOf(starts, text.length() + 1));
	}

	/**
	 * Return the normalized form of a secret.
	 * @param secret the secret
	 * @return its normalized form
	 */
	static String normalize(String secret) {
		return of(secret).text;
	}

	/**
	 * Return the normalized text.
	 * @return the text
	 */
	String text() {
		return this.text;
	}

	/**
	 * Return where a normalized character begins in the original.
	 * @param index the index in the normalized text, up to its length
	 * @return the index in the original
	 */
	int originalIndex(int index) {
		return this.starts[index];
	}

	/**
	 * The value of {@code digits} hex digits at {@code index}, or -1.
	 */
	private static int hex(String text, int index, int digits) {
		if (index + digits > text.length()) {
			return -1;
		}
		int value = 0;
		for (int i = index; i < index + digits; i++) {
			char c = text.charAt(i);
			int digit = (c < 0x80) ? Character.digit(c, 16) : -1;
			if (digit < 0) {
				return -1;
			}
			value = value * 16 + digit;
		}
		return value;
	}

}
