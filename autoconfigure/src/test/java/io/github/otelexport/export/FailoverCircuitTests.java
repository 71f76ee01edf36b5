package io.github.otelexport.export;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for how {@link FailoverCircuit} writes its probe interval in the log.
 *
 * @author otel-export authors
 */
class FailoverCircuitTests {

	@ParameterizedTest(name = "{0} is written {1}")
	@CsvSource({ "PT0.25S, 250ms", "PT0.0005S, 500000ns", "PT1.5S, 1500ms", "PT30S, 30s", "PT1M30S, 1m30s", "PT2H, 2h",
			"PT1H0M5S, 1h5s" })
	void formatsTheProbeIntervalAsConfigurationDoes(Duration interval, String expected) {
		assertThat(FailoverCircuit.format(interval)).isEqualTo(expected);
	}

}
