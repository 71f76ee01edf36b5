package io.github.otelexport.export.transport;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import io.github.otelexport.export.TestTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RetryAfter}.
 *
 * @author otel-export authors
 */
class RetryAfterTests {

	private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

	private final TestTime clock = new TestTime(NOW);

	@ParameterizedTest
	@CsvSource({ "7, PT7S", "' 120 ', PT2M", "0, PT0S", "007, PT7S", "999999, PT277H46M39S" })
	void secondsAreReadAsGiven(String value, Duration expected) {
		assertThat(RetryAfter.parse(value, null, this.clock)).isEqualTo(expected);
	}

	@Test
	void secondsBeyondWhatADurationCanCountInNanosAreCapped() {
		assertThat(RetryAfter.parse("99999999999999999999999", null, this.clock)).isEqualTo(RpcStatus.MAX_DELAY);
		assertThat(RetryAfter.parse("9223372037", null, this.clock)).isEqualTo(RpcStatus.MAX_DELAY);
	}

	@Test
	void httpDateIsMeasuredWithTheClock() {
		assertThat(RetryAfter.parse(httpDate(NOW.plusSeconds(90)), null, this.clock)).isEqualTo(Duration.ofSeconds(90));
	}

	@Test
	void httpDateIsMeasuredFromTheResponsesDate() {
		Instant serverNow = NOW.plusSeconds(600);
		assertThat(RetryAfter.parse(httpDate(serverNow.plusSeconds(15)), httpDate(serverNow), this.clock))
			.isEqualTo(Duration.ofSeconds(15));
	}

	@Test
	void unreadableResponseDateFallsBackToTheClock() {
		assertThat(RetryAfter.parse(httpDate(NOW.plusSeconds(5)), "yesterday", this.clock))
			.isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void httpDateInThePastIsNoDelay() {
		assertThat(RetryAfter.parse(httpDate(NOW.minusSeconds(5)), null, this.clock)).isEqualTo(Duration.ZERO);
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { " ", "soon", "-5", "1.5", "7s", "Sun, 32 Nov 2026 08:49:37 GMT" })
	void unreadableValueIsNoDelay(String value) {
		assertThat(RetryAfter.parse(value, null, this.clock)).isNull();
	}

	private static String httpDate(Instant instant) {
		return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
	}

}
