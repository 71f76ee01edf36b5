package io.github.otelexport.export;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Backoff}.
 *
 * @author otel-export authors
 */
class BackoffTests {

	private final RetryPolicy policy = RetryPolicy.builder()
		.initialBackoff(Duration.ofSeconds(1))
		.maxBackoff(Duration.ofSeconds(10))
		.multiplier(2.0)
		.jitter(0.2)
		.build();

	@Test
	void growsExponentiallyUpToMaxBackoffWithoutJitterAtMidpoint() {
		Backoff backoff = new Backoff(this.policy, () -> 0.5);
		assertThat(backoff.delay(1)).isEqualTo(Duration.ofSeconds(1));
		assertThat(backoff.delay(2)).isEqualTo(Duration.ofSeconds(2));
		assertThat(backoff.delay(3)).isEqualTo(Duration.ofSeconds(4));
		assertThat(backoff.delay(4)).isEqualTo(Duration.ofSeconds(8));
		assertThat(backoff.delay(5)).isEqualTo(Duration.ofSeconds(10));
		assertThat(backoff.delay(30)).isEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void jitterShortensAndLengthensByTheConfiguredFraction() {
		assertThat(new Backoff(this.policy, () -> 0.0).delay(2)).isEqualTo(Duration.ofMillis(1600));
		assertThat(new Backoff(this.policy, () -> 1.0).delay(2)).isEqualTo(Duration.ofMillis(2400));
		assertThat(new Backoff(this.policy, () -> 0.0).delay(9)).isEqualTo(Duration.ofSeconds(8));
	}

	@Test
	void prefersTheDelayTheBackendAskedFor() {
		Backoff backoff = new Backoff(this.policy, () -> 0.5);
		assertThat(backoff.delay(1, Duration.ofSeconds(7), Duration.ofSeconds(20))).isEqualTo(Duration.ofSeconds(7));
	}

	@Test
	void givesUpWhenTheWaitWouldCrossTheDeadline() {
		Backoff backoff = new Backoff(this.policy, () -> 0.5);
		assertThat(backoff.delay(3, null, Duration.ofSeconds(4))).isEqualTo(Duration.ofSeconds(4));
		assertThat(backoff.delay(3, null, Duration.ofMillis(3999))).isNull();
		assertThat(backoff.delay(1, Duration.ofSeconds(30), Duration.ofSeconds(20))).isNull();
	}

	@Test
	void backoffsTooLongForNanosecondsSaturateInsteadOfThrowing() {
		RetryPolicy huge = RetryPolicy.builder()
			.initialBackoff(Duration.ofDays(200_000))
			.maxBackoff(Duration.ofDays(200_000))
			.build();
		Backoff backoff = new Backoff(huge, () -> 0.5);
		assertThat(backoff.delay(1)).isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
		assertThat(backoff.delay(3, null, Duration.ofSeconds(20))).isNull();
	}

	@Test
	void growthBeyondWhatADoubleHoldsIsCappedAtMaxBackoff() {
		RetryPolicy steep = RetryPolicy.builder()
			.initialBackoff(Duration.ofSeconds(1))
			.maxBackoff(Duration.ofSeconds(30))
			.multiplier(1e300)
			.build();
		Backoff backoff = new Backoff(steep, () -> 0.5);
		assertThat(backoff.delay(2)).isEqualTo(Duration.ofSeconds(30));
		assertThat(backoff.delay(1_000)).isEqualTo(Duration.ofSeconds(30));
	}

}
