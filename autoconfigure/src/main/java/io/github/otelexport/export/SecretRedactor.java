package io.github.otelexport.export;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Removes secrets from text that reaches the recent errors and the log: URL user-info
 * credentials (see {@link Endpoints#redact(String)}) and the configured header values,
 * which a backend may echo in its error message ("invalid API key ...").
 *
 * @author otel-export authors
 */
final class SecretRedactor {

	/**
	 * What a secret is replaced with.
	 */
	static final String MASK = "******";

	private static final SecretRedactor URL_CREDENTIALS_ONLY = new SecretRedactor(List.of());

	private static final int MAX_CAUSE_DEPTH = 16;

	/**
	 * The token of {@code Scheme token} is masked alone only when it is at least this
	 * long: a one-letter token would mask every such letter in the text.
	 */
	private static final int MIN_TOKEN_LENGTH = 4;

	/**
	 * Longest first, so that a secret containing another is masked whole.
	 */
	private final List<String> secrets;

	private SecretRedactor(List<String> secrets) {
		this.secrets = secrets;
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
	 * the token alone.
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
			if (space > 0 && secret.length() - space - 1 >= MIN_TOKEN_LENGTH) {
				secrets.add(secret.substring(space + 1));
			}
		}
		return ordered(secrets);
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
		for (String secret : this.secrets) {
			redacted = redacted.replace(secret, MASK);
		}
		return redacted;
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
