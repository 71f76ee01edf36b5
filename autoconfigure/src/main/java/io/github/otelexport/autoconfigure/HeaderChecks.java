package io.github.otelexport.autoconfigure;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.util.StringUtils;

/**
 * Checks the headers of a destination before any request carries them, since a header
 * HTTP cannot carry would fail every export attempt, or split the request. The rules
 * users see are listed in docs/configuration.md ("Checked at startup"). Failures name the
 * header and where it was set, never its value.
 *
 * @author otel-export authors
 */
final class HeaderChecks {

	/**
	 * The longest header value: servers commonly refuse header blocks beyond 8 to 16 KiB.
	 */
	static final int MAX_VALUE_LENGTH = 8192;

	private static final String NOT_SHOWN = "(not shown)";

	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:]+)(:[^}]*)?}");

	private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

	private HeaderChecks() {
	}

	/**
	 * Check headers.
	 * @param headers the headers and where they were set (a property prefix such as
	 * {@code otel.export.headers}, or an environment variable name); may be {@code null}
	 * @return the headers, unmodifiable, in their configured order
	 */
	static Map<String, String> check(ConfiguredValue<Map<String, String>> headers) {
		if (headers == null) {
			return Collections.emptyMap();
		}
		Map<String, String> checked = new LinkedHashMap<>();
		headers.value().forEach((name, value) -> {
			String where = where(headers.origin(), name);
			checkName(where, name);
			checkValue(where, value);
			checked.put(name, value);
		});
		return Collections.unmodifiableMap(checked);
	}

	private static void checkName(String where, String name) {
		if (name.isEmpty()) {
			throw new InvalidOtelExportConfigurationException(where, NOT_SHOWN, "the header name is empty",
					"Give the header a name, for example x-api-key.");
		}
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (!isTokenCharacter(c)) {
				throw new InvalidOtelExportConfigurationException(where, NOT_SHOWN,
						"the header name has a character HTTP does not allow in names (" + describe(c) + ")",
						"Header names are letters, digits and " + TOKEN_SYMBOLS
								+ " only; rename the header, for example x-api-key.");
			}
		}
	}

	private static void checkValue(String where, String value) {
		if (!StringUtils.hasText(value)) {
			throw new InvalidOtelExportConfigurationException(where, "",
					"the header has an empty value, usually an environment variable that is not set",
					"Set the environment variable the value refers to (for example OTEL_API_KEY for "
							+ "${OTEL_API_KEY:}), or remove the header.");
		}
		Matcher placeholder = PLACEHOLDER.matcher(value);
		if (placeholder.find()) {
			// Show only the placeholder: the rest of the value may be a secret
			String variable = placeholder.group(1);
			throw new InvalidOtelExportConfigurationException(where, placeholder.group(),
					"the placeholder could not be resolved, so the header would be sent literally",
					"Set the environment variable " + variable + " (or the property " + variable
							+ "), or remove the header.");
		}
		if (value.length() > MAX_VALUE_LENGTH) {
			throw new InvalidOtelExportConfigurationException(where, NOT_SHOWN,
					"the value is " + value.length() + " characters long; servers refuse such headers, "
							+ "so every export attempt would fail",
					"Shorten the value to at most " + MAX_VALUE_LENGTH + " characters.");
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '\r' || c == '\n') {
				throw new InvalidOtelExportConfigurationException(where, NOT_SHOWN,
						"the value contains a line break (CR or LF) at position " + (i + 1)
								+ ", which would end the header and start another",
						"Remove the line break; a value read from a file or secret often ends with one.");
			}
			if (!isValueCharacter(c)) {
				throw new InvalidOtelExportConfigurationException(where, NOT_SHOWN,
						"the value contains a character HTTP header values cannot carry at position " + (i + 1) + " ("
								+ ((c < 0x20 || c == 0x7f) ? "a control character" : "a non-ASCII character") + ")",
						"Header values are visible ASCII characters, spaces and tabs; encode anything else as the "
								+ "backend expects (for example percent-encoding or Base64).");
			}
		}
	}

	/**
	 * Name the header: {@code otel.export.headers.x-api-key}, with brackets when the name
	 * needs them ({@code otel.export.headers[x y]}), or
	 * {@code OTEL_EXPORTER_OTLP_HEADERS (x-api-key)}. Characters that would garble the
	 * message are escaped.
	 */
	static String where(String origin, String name) {
		String shown = escape(name);
		if (origin.startsWith("OTEL_")) {
			return origin + " (" + shown + ")";
		}
		return isToken(name) ? origin + "." + shown : origin + "[" + shown + "]";
	}

	private static boolean isToken(String name) {
		return !name.isEmpty() && name.chars().allMatch((c) -> isTokenCharacter((char) c));
	}

	private static boolean isTokenCharacter(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
				|| TOKEN_SYMBOLS.indexOf(c) >= 0;
	}

	private static boolean isValueCharacter(char c) {
		return c == '\t' || (c >= 0x20 && c < 0x7f);
	}

	private static String describe(char c) {
		if (c == ' ') {
			return "a space";
		}
		if (c < 0x20 || c == 0x7f || c > 0x7e) {
			return "U+%04X".formatted((int) c);
		}
		return "'" + c + "'";
	}

	private static String escape(String name) {
		StringBuilder escaped = new StringBuilder(name.length());
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			escaped.append((c < 0x20 || c == 0x7f) ? "\\u%04x".formatted((int) c) : String.valueOf(c));
		}
		return escaped.toString();
	}

}
