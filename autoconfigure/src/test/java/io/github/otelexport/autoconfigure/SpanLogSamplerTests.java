package io.github.otelexport.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.github.otelexport.export.TestTime;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SpanLogSampler}.
 *
 * @author otel-export authors
 */
class SpanLogSamplerTests {

	private final TestTime clock = new TestTime(Instant.parse("2026-01-01T00:00:00Z"));

	@Test
	void logsTheInitialSpansThenEveryNth() {
		SpanLogSampler sampler = new SpanLogSampler(2, 3, this.clock);
		assertThat(sample(sampler, 9)).containsExactly(1, 2, 5, 8);
	}

	@Test
	void startsOverEverySecond() {
		SpanLogSampler sampler = new SpanLogSampler(1, 100, this.clock);
		assertThat(sample(sampler, 3)).containsExactly(1);
		this.clock.advance(Duration.ofMillis(999));
		assertThat(sample(sampler, 3)).isEmpty();
		this.clock.advance(Duration.ofMillis(1));
		assertThat(sample(sampler, 3)).containsExactly(1);
	}

	@Test
	void zeroInitialSamplesFromTheStart() {
		SpanLogSampler sampler = new SpanLogSampler(0, 2, this.clock);
		assertThat(sample(sampler, 5)).containsExactly(2, 4);
	}

	private static List<Integer> sample(SpanLogSampler sampler, int spans) {
		List<Integer> logged = new ArrayList<>();
		for (int i = 1; i <= spans; i++) {
			if (sampler.sample()) {
				logged.add(i);
			}
		}
		return logged;
	}

}
