package io.github.otelexport.sample;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Simulates a steady trickle of requests so that export always has work to do while you
 * switch faults in the playground.
 *
 * @author otel-export authors
 */
@Component
@ConditionalOnBooleanProperty(name = "sample.traffic.enabled", matchIfMissing = true)
class TrafficGenerator {

	/**
	 * Named outside {@code io.github.otelexport.}, as the {@link Shop}'s is, so that its
	 * lines are exported.
	 */
	private static final Logger logger = LoggerFactory.getLogger("sample.traffic");

	private final Shop shop;

	private final SampleProperties properties;

	TrafficGenerator(Shop shop, SampleProperties properties) {
		this.shop = shop;
		this.properties = properties;
	}

	@Scheduled(fixedRate = 1000, initialDelay = 1000)
	void tick() {
		int requests = this.properties.getTraffic().getRequestsPerSecond();
		for (int i = 0; i < requests; i++) {
			if (i % 2 == 0) {
				this.shop.greet("visitor-" + i);
			}
			else {
				this.shop.checkout(i);
			}
		}
		if (requests > 0) {
			logger.info("Simulated {} requests", requests);
		}
	}

}
