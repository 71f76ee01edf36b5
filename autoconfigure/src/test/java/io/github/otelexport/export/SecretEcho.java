package io.github.otelexport.export;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The forms in which a backend may echo a secret it refused, for the testkit receiver's
 * {@code requireHeader(name, value, echo)}. Public so that the tests of the packages
 * built on the core walk the same forms.
 *
 * @author otel-export authors
 */
public enum SecretEcho implements UnaryOperator<String> {

	/**
	 * As it was sent.
	 */
	AS_SENT((secret) -> secret),

	/**
	 * Lower-cased, as a backend that normalizes what it logs.
	 */
	LOWER_CASED((secret) -> secret.toLowerCase(Locale.ROOT)),

	/**
	 * Upper-cased.
	 */
	UPPER_CASED((secret) -> secret.toUpperCase(Locale.ROOT)),

	/**
	 * The token of {@code Scheme token} alone.
	 */
	WITHOUT_SCHEME((secret) -> secret.substring(secret.indexOf(' ') + 1)),

	/**
	 * The token alone, lower-cased.
	 */
	WITHOUT_SCHEME_LOWER_CASED((secret) -> secret.substring(secret.indexOf(' ') + 1).toLowerCase(Locale.ROOT)),

	/**
	 * URL-encoded as an HTML form: upper-case hex, a space as {@code +}.
	 */
	URL_ENCODED((secret) -> URLEncoder.encode(secret, StandardCharsets.UTF_8)),

	/**
	 * URL-encoded with lower-case hex.
	 */
	URL_ENCODED_LOWER_CASE_HEX((secret) -> lowerCaseHex(URLEncoder.encode(secret, StandardCharsets.UTF_8))),

	/**
	 * URL-encoded with a space as {@code %20}.
	 */
	URL_ENCODED_SPACE_AS_PERCENT_20((secret) -> URLEncoder.encode(secret, StandardCharsets.UTF_8).replace("+", "%20")),

	/**
	 * URL-encoded as a path segment: {@code /} and the space encoded, {@code +} left
	 * alone, as encoders differ in which characters they leave.
	 */
	URL_ENCODED_SOME_CHARACTERS((secret) -> secret.replace("/", "%2F").replace(" ", "%20")),

	/**
	 * Every character URL-encoded, letters included.
	 */
	URL_ENCODED_EVERY_CHARACTER((secret) -> escapeEach(secret, "%%%02X")),

	/**
	 * JSON-escaped as some JSON writers do: {@code \/}, {@code \"} and {@code \\}.
	 */
	JSON_ESCAPED((secret) -> secret.replace("\\", "\\\\").replace("\"", "\\\"").replace("/", "\\/")),

	/**
	 * JSON-escaped with every character that is not a letter or a digit as a backslash,
	 * {@code u} and four lower-case hex digits.
	 */
	JSON_UNICODE_ESCAPED((secret) -> escapeEachSymbol(secret, "\\u%04x")),

	/**
	 * JSON-escaped with every character as a backslash, {@code u} and four upper-case hex
	 * digits.
	 */
	JSON_UNICODE_ESCAPED_EVERY_CHARACTER((secret) -> escapeEach(secret, "\\u%04X"));

	private static final Pattern HEX_ESCAPE = Pattern.compile("%[0-9A-F]{2}");

	private final UnaryOperator<String> form;

	SecretEcho(UnaryOperator<String> form) {
		this.form = form;
	}

	@Override
	public String apply(String secret) {
		return this.form.apply(secret);
	}

	/**
	 * Return a secret in every form.
	 * @param secret the secret
	 * @return its forms, one per constant
	 */
	public static List<String> formsOf(String secret) {
		return Stream.of(values()).map((echo) -> echo.apply(secret)).toList();
	}

	private static String lowerCaseHex(String encoded) {
		Matcher matcher = HEX_ESCAPE.matcher(encoded);
		return matcher.replaceAll((escape) -> escape.group().toLowerCase(Locale.ROOT));
	}

	private static String escapeEach(String secret, String format) {
		StringBuilder escaped = new StringBuilder();
		secret.chars().forEach((c) -> escaped.append(String.format(format, c)));
		return escaped.toString();
	}

	private static String escapeEachSymbol(String secret, String format) {
		StringBuilder escaped = new StringBuilder();
		secret.chars()
			.forEach((c) -> escaped
				.append(Character.isLetterOrDigit(c) ? String.valueOf((char) c) : String.format(format, c)));
		return escaped.toString();
	}

}
