package io.github.otelexport.export.transport;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * Makes endpoint URLs safe to show: no user-info credentials, no query string.
 *
 * @author otel-export authors
 */
public final class Endpoints {

	/**
	 * What a secret is replaced with, here and in every other redacted text.
	 */
	public static final String MASK = "******";

	/**
	 * A URL's scheme and user info. The scheme is bounded (real ones are short) so that
	 * long runs of scheme characters in free text, such as a backend's message, are
	 * scanned in linear time; it may start inside a word, so that a URL glued to the text
	 * before it is still found.
	 */
	private static final Pattern USER_INFO = Pattern.compile("(?i)([a-z][a-z0-9+.-]{0,31}://)[^/@\\s]*@");

	private static final String SCHEME_SEPARATOR = "://";

	/**
	 * Characters that end a URL inside free text, besides whitespace.
	 */
	private static final String URL_DELIMITERS = "\"'<>`";

	/**
	 * Characters that end a sentence rather than the URL before them.
	 */
	private static final String TRAILING_PUNCTUATION = ".,:;!)]}";

	private Endpoints() {
	}

	/**
	 * Return {@code url} without user-info credentials, query string and fragment, for
	 * display and logging.
	 * @param url the endpoint URL, may be {@code null}
	 * @return the sanitized URL, or {@code null} when {@code url} is {@code null}
	 */
	public static String sanitize(String url) {
		if (url == null) {
			return null;
		}
		String trimmed = url.trim();
		try {
			URI uri = new URI(trimmed);
			if (uri.getScheme() != null && uri.getHost() != null) {
				return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null)
					.toString();
			}
		}
		catch (URISyntaxException ex) {
			// Not a valid URI: cut by hand below
		}
		return withoutQuery(withoutUserInfo(trimmed));
	}

	/**
	 * Remove what may be user info from a value that is no URL with a host: a scheme is
	 * optional ({@code user:pw@host}, {@code //user:pw@host}), and everything up to the
	 * last {@code @} goes, since a password may hold an unencoded {@code /}, {@code ?} or
	 * {@code #}.
	 */
	private static String withoutUserInfo(String value) {
		int separator = value.indexOf(SCHEME_SEPARATOR);
		int authority = (separator >= 0) ? separator + SCHEME_SEPARATOR.length() : (value.startsWith("//") ? 2 : 0);
		int at = value.lastIndexOf('@');
		return (at >= authority) ? value.substring(0, authority) + value.substring(at + 1) : value;
	}

	private static String withoutQuery(String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '?' || c == '#') {
				return value.substring(0, i);
			}
		}
		return value;
	}

	/**
	 * Remove user-info credentials from every URL inside free text, such as an exception
	 * message, and mask the values of its query string and fragment
	 * ({@code ?token=******}), which often carry a key.
	 * @param text the text, may be {@code null}
	 * @return the text without credentials
	 */
	public static String redact(String text) {
		return (text != null) ? maskQueryValues(USER_INFO.matcher(text).replaceAll("$1")) : null;
	}

	/**
	 * Mask the query values of every {@code scheme://} URL in {@code text}. Each
	 * character is scanned once: a URL without a query ends where any URL found inside it
	 * would end too, so the search goes on from there.
	 */
	private static String maskQueryValues(String text) {
		StringBuilder masked = null;
		int copied = 0;
		int separator = text.indexOf(SCHEME_SEPARATOR);
		while (separator >= 0) {
			int next = separator + SCHEME_SEPARATOR.length();
			while (next < text.length() && isUrlCharacter(text.charAt(next)) && text.charAt(next) != '?') {
				next++;
			}
			if (next < text.length() && text.charAt(next) == '?') {
				int query = next + 1;
				next = queryEnd(text, query);
				masked = (masked != null) ? masked : new StringBuilder(text.length());
				masked.append(text, copied, query);
				appendMasked(masked, text.substring(query, next));
				copied = next;
			}
			separator = text.indexOf(SCHEME_SEPARATOR, next);
		}
		return (masked != null) ? masked.append(text, copied, text.length()).toString() : text;
	}

	/**
	 * Where the query that begins at {@code start} ends: at the end of the URL, before
	 * any punctuation that ends the sentence.
	 */
	private static int queryEnd(String text, int start) {
		int end = start;
		while (end < text.length() && isUrlCharacter(text.charAt(end))) {
			end++;
		}
		while (end > start && TRAILING_PUNCTUATION.indexOf(text.charAt(end - 1)) >= 0) {
			end--;
		}
		return end;
	}

	/**
	 * Append a query (and fragment) with each parameter's value masked, its name kept; a
	 * parameter without a name is masked whole.
	 */
	private static void appendMasked(StringBuilder masked, String query) {
		int start = 0;
		for (int i = 0; i <= query.length(); i++) {
			if (i < query.length() && query.charAt(i) != '&' && query.charAt(i) != '#') {
				continue;
			}
			String parameter = query.substring(start, i);
			int equals = parameter.indexOf('=');
			if (equals >= 0) {
				masked.append(parameter, 0, equals + 1).append((equals + 1 < parameter.length()) ? MASK : "");
			}
			else if (!parameter.isEmpty()) {
				masked.append(MASK);
			}
			if (i < query.length()) {
				masked.append(query.charAt(i));
			}
			start = i + 1;
		}
	}

	private static boolean isUrlCharacter(char c) {
		return !Character.isWhitespace(c) && URL_DELIMITERS.indexOf(c) < 0;
	}

}
