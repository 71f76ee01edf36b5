package io.github.otelexport.export;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link RetryPolicy}.
 *
 * @author otel-export authors
 */
class RetryPolicyTests {

	@Test
	void defaultsAreTheNamedConstants() {
		RetryPolicy policy = RetryPolicy.defaults();
		assertThat(policy.enabled()).isTrue();
		assertThat(policy.maxAttempts()).isEqualTo(5);
		assertThat(policy.initialBackoff()).isEqualTo(Duration.ofSeconds(1));
		assertThat(policy.maxBackoff()).isEqualTo(Duration.ofSeconds(5));
		assertThat(policy.multiplier()).isEqualTo(2.0);
		assertThat(policy.jitter()).isEqualTo(0.2);
		assertThat(policy.maxElapsedTime()).isEqualTo(Duration.ofSeconds(25));
	}

	@Test
	void disabledMakesOneAttempt() {
		assertThat(RetryPolicy.disabled().effectiveMaxAttempts()).isEqualTo(1);
	}

	@Test
	void rejectsValuesThatCannotWork() {
		assertThatIllegalArgumentException().isThrownBy(() -> RetryPolicy.builder().maxAttempts(0))
			.withMessageContaining("maxAttempts");
		assertThatIllegalArgumentException().isThrownBy(() -> RetryPolicy.builder().jitter(1.5))
			.withMessageContaining("jitter");
		assertThatIllegalArgumentException().isThrownBy(() -> RetryPolicy.builder().multiplier(0.5))
			.withMessageContaining("multiplier");
		assertThatIllegalArgumentException().isThrownBy(() -> RetryPolicy.builder().multiplier(Double.NaN))
			.withMessageContaining("multiplier");
		assertThatIllegalArgumentException().isThrownBy(() -> RetryPolicy.builder().jitter(Double.NaN))
			.withMessageContaining("jitter");
		assertThatIllegalArgumentException().isThrownBy(() -> RetryPolicy.builder().initialBackoff(Duration.ZERO))
			.withMessageContaining("initialBackoff");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RetryPolicy.builder()
				.initialBackoff(Duration.ofSeconds(5))
				.maxBackoff(Duration.ofSeconds(1))
				.build())
			.withMessageContaining("maxBackoff");
	}

}
