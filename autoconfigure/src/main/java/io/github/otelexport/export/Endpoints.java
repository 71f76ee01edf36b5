package io.github.otelexport.export;

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
	 * A URL's scheme and user info. The scheme is bounded (real ones are short) so that
	 * long runs of scheme characters in free text, such as a backend's message, are
	 * scanned in linear time; it may start inside a word, so that a URL glued to the text
	 * before it is still found.
	 */
	private static final Pattern USER_INFO = Pattern.compile("(?i)([a-z][a-z0-9+.-]{0,31}://)[^/@\\s]*@");

	private static final Pattern QUERY = Pattern.compile("\\?[^\\s#]*");

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
			if (uri.getScheme() != null && uri.getRawAuthority() != null) {
				URI clean = new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null);
				return (uri.getHost() != null) ? clean.toString() : redact(trimmed);
			}
		}
		catch (URISyntaxException ex) {
			// Not a valid URI: fall back to pattern-based redaction below
		}
		return QUERY.matcher(redact(trimmed)).replaceAll("");
	}

	/**
	 * Remove user-info credentials from every URL inside free text, such as an exception
	 * message.
	 * @param text the text, may be {@code null}
	 * @return the text without credentials
	 */
	public static String redact(String text) {
		return (text != null) ? USER_INFO.matcher(text).replaceAll("$1") : null;
	}

}
