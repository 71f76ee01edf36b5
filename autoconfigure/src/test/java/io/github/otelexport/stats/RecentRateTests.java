package io.github.otelexport.stats;

import java.time.Duration;

import io.github.otelexport.export.TestTime;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link RecentRate}, on a ticker the test moves.
 *
 * @author otel-export authors
 */
class RecentRateTests {

	private final TestTime time = new TestTime();

	private final RecentRate rate = new RecentRate(Duration.ofSeconds(10), this.time);

	@Test
	void nothingCountedIsZero() {
		assertThat(this.rate.perSecond()).isZero();
		this.time.advance(Duration.ofMinutes(5));
		assertThat(this.rate.perSecond()).isZero();
	}

	@Test
	void countsOverTheTimeSinceTheStartWhileTheWindowIsNotFullYet() {
		this.time.advance(Duration.ofMillis(500));
		this.rate.record(500);
		this.time.advance(Duration.ofSeconds(1));
		this.rate.record(500);
		this.time.advance(Duration.ofMillis(500));
		assertThat(this.rate.perSecond()).isEqualTo(500);
	}

	@Test
	void aBatchJustAfterTheStartIsNoBurst() {
		this.time.advance(Duration.ofMillis(10));
		this.rate.record(512);
		assertThat(this.rate.perSecond()).as("over a second at least").isEqualTo(512);
	}

	@Test
	void forgetsWhatIsOlderThanTheWindow() {
		this.rate.record(1000);
		this.time.advance(Duration.ofSeconds(5));
		this.rate.record(900);
		this.time.advance(Duration.ofMillis(5500));
		// the window now runs from second 1 to 10.5s: the first thousand is out
		assertThat(this.rate.perSecond()).isCloseTo(900 / 9.5, within(1e-9));
		this.time.advance(Duration.ofSeconds(5));
		assertThat(this.rate.perSecond()).isZero();
	}

	@Test
	void aSlotTakenAgainAfterAWholeWindowStartsFromZero() {
		this.rate.record(1000);
		// the same slot of the ring, ten seconds later
		this.time.advance(Duration.ofSeconds(10));
		this.rate.record(10);
		// from the start of second 1 to 10s
		assertThat(this.rate.perSecond()).isCloseTo(10 / 9.0, within(1e-9));
	}

	@Test
	void aSteadyFlowReadsAsItsRate() {
		for (int i = 0; i < 60; i++) {
			this.rate.record(100);
			this.time.advance(Duration.ofMillis(250));
		}
		// 400 a second, measured over 9 to 10 seconds
		assertThat(this.rate.perSecond()).isCloseTo(400, within(400 * 0.12));
	}

	@Test
	void aWindowShorterThanASecondIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RecentRate(Duration.ofMillis(500), this.time))
			.withMessage("window must be at least 1s but was PT0.5S");
	}

}
