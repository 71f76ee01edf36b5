package io.github.otelexport.stats;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Durations}: how log lines and health reasons write durations.
 *
 * @author otel-export authors
 */
class DurationsTests {

	@ParameterizedTest(name = "{0} is written {1}")
	@CsvSource({ "PT0S, 0s", "PT0.25S, 250ms", "PT0.0005S, 500us", "PT0.000000007S, 7ns", "PT1.5S, 1500ms",
			"PT30S, 30s", "PT1M, 1m", "PT1M30S, 1m30s", "PT2H, 2h", "PT1H0M5S, 1h5s", "PT49H, 49h",
			"PT-1M-30S, -1m30s" })
	void formatWritesTheDurationExactly(Duration duration, String expected) {
		assertThat(Durations.format(duration)).isEqualTo(expected);
	}

	@ParameterizedTest(name = "{0} is written {1}")
	@CsvSource({ "PT0S, 0s", "PT0.25S, 250ms", "PT0.0005S, 0ms", "PT1.5S, 1s", "PT4M59.999S, 4m59s", "PT1H0.5S, 1h" })
	void elapsedWritesWholeSecondsFromOneSecondOn(Duration duration, String expected) {
		assertThat(Durations.elapsed(duration)).isEqualTo(expected);
	}

}
