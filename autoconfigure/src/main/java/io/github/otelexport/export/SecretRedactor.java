package io.github.otelexport.export;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.github.otelexport.export.transport.Endpoints;

/**
 * Removes secrets from text that reaches the recent errors and the log: URL user-info
 * credentials (see {@link Endpoints#redact(String)}) and the configured header values,
 * which a backend may echo in its error message ("invalid API key ..."), as they were
 * sent or in another form: lower-cased, URL-encoded, JSON-escaped (see
 * {@link NormalizedText}).
 *
 * @author otel-export authors
 */
final class SecretRedactor {

	/**
	 * What a secret is replaced with.
	 */
	static final String MASK = Endpoints.MASK;

	private static final SecretRedactor URL_CREDENTIALS_ONLY = new SecretRedactor(List.of());

	private static final int MAX_CAUSE_DEPTH = 16;

	/**
	 * A secret is looked for in every form only when it is at least this long, and the
	 * token of {@code Scheme token} or a {@code Basic} password is masked alone only
	 * then: shorter ones would match ordinary letters (a one-letter token would mask
	 * every such letter in the text).
	 */
	private static final int MIN_LENGTH_IN_EVERY_FORM = 4;

	/**
	 * Every secret, longest first.
	 */
	private final List<String> secrets;

	/**
	 * The secrets shorter than {@value #MIN_LENGTH_IN_EVERY_FORM} characters once
	 * normalized, masked only as they are: their other forms would match ordinary
	 * letters. Longest first, so that a secret containing another is masked whole.
	 */
	private final List<String> exact;

	/**
	 * The normalized forms of the other secrets, masked in whatever form they are echoed.
	 * A short credential ({@code x-api-key: k3y9}) is among them: how a backend echoes a
	 * value does not depend on its length.
	 */
	private final List<String> normalized;

	private SecretRedactor(List<String> secrets) {
		this.secrets = secrets;
		this.exact = secrets.stream().filter((secret) -> !isMaskedInEveryForm(secret)).toList();
		this.normalized = secrets.stream()
			.map(NormalizedText::normalize)
			.filter((secret) -> secret.length() >= MIN_LENGTH_IN_EVERY_FORM)
			.distinct()
			.toList();
	}

	private static boolean isMaskedInEveryForm(String secret) {
		return NormalizedText.normalize(secret).length() >= MIN_LENGTH_IN_EVERY_FORM;
	}

	/**
	 * Return a redactor that removes URL credentials only.
	 * @return the redactor
	 */
	static SecretRedactor urlCredentialsOnly() {
		return URL_CREDENTIALS_ONLY;
	}

	/**
	 * Return a redactor that also masks the given values. A value with an authorization
	 * scheme ({@code Bearer abc}) is masked with and without it, as a backend may echo
	 * the token alone, and {@code Basic} credentials also decoded, as
	 * {@code user:password} and as the password alone, as the backend reads them.
	 * @param values the secret values, such as header values; blank ones are ignored
	 * @return the redactor
	 */
	static SecretRedactor of(Collection<String> values) {
		Set<String> secrets = new LinkedHashSet<>();
		for (String value : values) {
			if (value == null || value.isBlank()) {
				continue;
			}
			String secret = value.strip();
			secrets.add(secret);
			int space = secret.lastIndexOf(' ');
			if (space > 0) {
				String token = secret.substring(space + 1);
				addToken(secrets, token);
				if (secret.substring(0, secret.indexOf(' ')).equalsIgnoreCase("Basic")) {
					addBasicCredentials(secrets, token);
				}
			}
		}
		return ordered(secrets);
	}

	private static void addToken(Set<String> secrets, String token) {
		if (token.length() >= MIN_LENGTH_IN_EVERY_FORM) {
			secrets.add(token);
		}
	}

	/**
	 * The user name alone is no secret, and masking it would hide which user was refused.
	 */
	private static void addBasicCredentials(Set<String> secrets, String token) {
		String credentials;
		try {
			credentials = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			// not Base64: the token is masked as it is
			return;
		}
		addToken(secrets, credentials);
		int colon = credentials.indexOf(':');
		if (colon >= 0) {
			addToken(secrets, credentials.substring(colon + 1));
		}
	}

	private static SecretRedactor ordered(Set<String> secrets) {
		List<String> ordered = new ArrayList<>(secrets);
		ordered.sort(Comparator.comparingInt(String::length).reversed());
		return new SecretRedactor(List.copyOf(ordered));
	}

	/**
	 * Return one redactor that masks the secrets of all the given ones.
	 * @param redactors the redactors
	 * @return the combined redactor
	 */
	static SecretRedactor combine(Collection<SecretRedactor> redactors) {
		List<String> secrets = new ArrayList<>();
		for (SecretRedactor redactor : redactors) {
			secrets.addAll(redactor.secrets);
		}
		return secrets.isEmpty() ? URL_CREDENTIALS_ONLY : ordered(new LinkedHashSet<>(secrets));
	}

	/**
	 * Return {@code text} without URL credentials and secret values.
	 * @param text the text, may be {@code null}
	 * @return the redacted text, or {@code null}
	 */
	String redact(String text) {
		String redacted = Endpoints.redact(text);
		if (redacted == null) {
			return null;
		}
		if (!this.normalized.isEmpty()) {
			redacted = maskEchoes(redacted);
		}
		for (String secret : this.exact) {
			redacted = redacted.replace(secret, MASK);
		}
		return redacted;
	}

	/**
	 * Mask every stretch of {@code text} that normalizes to a secret; overlapping and
	 * adjacent stretches become one mask.
	 */
	private String maskEchoes(String text) {
		NormalizedText normalizedText = NormalizedText.of(text);
		String searched = normalizedText.text();
		BitSet masked = new BitSet(text.length());
		for (String secret : this.normalized) {
			for (int at = searched.indexOf(secret); at >= 0; at = searched.indexOf(secret, at + 1)) {
				masked.set(normalizedText.originalIndex(at), normalizedText.originalIndex(at + secret.length()));
			}
		}
		if (masked.isEmpty()) {
			return text;
		}
		StringBuilder result = new StringBuilder(text.length());
		for (int i = 0; i < text.length(); i++) {
			if (!masked.get(i)) {
				result.append(text.charAt(i));
			}
			else if (i == 0 || !masked.get(i - 1)) {
				result.append(MASK);
			}
		}
		return result.toString();
	}

	/**
	 * Return a throwable to log in place of {@code throwable}: the same class name, stack
	 * trace and cause chain, with redacted messages.
	 * @param throwable the throwable, may be {@code null}
	 * @return the redacted copy, or {@code null}
	 */
	Throwable redact(Throwable throwable) {
		if (throwable == null) {
			return null;
		}
		List<Throwable> chain = new ArrayList<>();
		Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		for (Throwable current = throwable; current != null && chain.size() < MAX_CAUSE_DEPTH
				&& seen.add(current); current = current.getCause()) {
			chain.add(current);
		}
		RedactedThrowable cause = null;
		for (int i = chain.size() - 1; i >= 0; i--) {
			Throwable original = chain.get(i);
			cause = new RedactedThrowable(original.getClass().getName(), redact(message(original)), cause);
			cause.setStackTrace(original.getStackTrace());
		}
		return cause;
	}

	/**
	 * A throwable's message, or why it has none; a broken {@code getMessage()} must not
	 * stop a log line.
	 */
	private static String message(Throwable throwable) {
		try {
			return throwable.getMessage();
		}
		catch (RuntimeException ex) {
			return "(message unavailable: " + ex.getClass().getName() + ")";
		}
	}

	/**
	 * Stands in a log line for a throwable whose message may hold secrets; prints as the
	 * original's class name and redacted message.
	 */
	static final class RedactedThrowable extends Exception {

		private static final long serialVersionUID = 1L;

		private final String originalType;

		RedactedThrowable(String originalType, String message, Throwable cause) {
			super(message, cause, false, true);
			this.originalType = originalType;
		}

		String originalType() {
			return this.originalType;
		}

		@Override
		public String toString() {
			String message = getMessage();
			return (message != null) ? this.originalType + ": " + message : this.originalType;
		}

	}

}
