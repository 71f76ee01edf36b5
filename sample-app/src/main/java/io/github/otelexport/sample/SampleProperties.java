package io.github.otelexport.sample;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the sample application itself ({@code sample.*}).
 *
 * @author otel-export authors
 */
@ConfigurationProperties("sample")
public class SampleProperties {

	private final Traffic traffic = new Traffic();

	public Traffic getTraffic() {
		return this.traffic;
	}

	/**
	 * The background traffic generator.
	 */
	public static class Traffic {

		/**
		 * Whether the application creates spans on its own, so export has something to
		 * do.
		 */
		private boolean enabled = true;

		/**
		 * Requests simulated each second; each makes a few spans.
		 */
		private int requestsPerSecond = 5;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getRequestsPerSecond() {
			return this.requestsPerSecond;
		}

		public void setRequestsPerSecond(int requestsPerSecond) {
			this.requestsPerSecond = requestsPerSecond;
		}

	}

}
