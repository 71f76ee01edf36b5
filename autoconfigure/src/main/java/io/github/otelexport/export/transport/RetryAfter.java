package io.github.otelexport.export.transport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads an HTTP {@code Retry-After} header: a number of seconds or an HTTP-date.
 *
 * @author otel-export authors
 */
final class RetryAfter {

	private static final long MAX_SECONDS = RpcStatus.MAX_DELAY.getSeconds();

	private RetryAfter() {
	}

	/**
	 * Return the delay a {@code Retry-After} value asks for. An HTTP-date is measured
	 * from the response's own {@code Date} when it has one, so that a server whose clock
	 * is off still gets the delay it meant; otherwise from the clock.
	 * @param value the header value, or {@code null}
	 * @param date the response's {@code Date} header, or {@code null}
	 * @param clock the clock
	 * @return the delay (zero for a date in the past), or {@code null} when absent or
	 * unreadable
	 */
	static Duration parse(String value, String date, Clock clock) {
		if (value == null || value.isBlank()) {
			return null;
		}
		String trimmed = value.trim();
		if (trimmed.chars().allMatch(Character::isDigit)) {
			return seconds(trimmed);
		}
		Instant retryAt = httpDate(trimmed);
		if (retryAt == null) {
			return null;
		}
		Instant serverNow = (date != null) ? httpDate(date.trim()) : null;
		Duration delay = Duration.between((serverNow != null) ? serverNow : clock.instant(), retryAt);
		return delay.isNegative() ? Duration.ZERO : delay;
	}

	private static Duration seconds(String digits) {
		String significant = digits.replaceFirst("^0+(?=.)", "");
		if (significant.length() > 18 || Long.parseLong(significant) > MAX_SECONDS) {
			return RpcStatus.MAX_DELAY;
		}
		return Duration.ofSeconds(Long.parseLong(significant));
	}

	private static Instant httpDate(String value) {
		try {
			return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

}
