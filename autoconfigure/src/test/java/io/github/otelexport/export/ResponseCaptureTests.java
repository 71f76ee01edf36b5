package io.github.otelexport.export;

import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.sdk.common.export.GrpcSenderProvider;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import io.opentelemetry.sdk.trace.SpanLimits;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ResponseCapture}; {@link RealSocketFailureTests} shows it reading
 * partial successes from a real receiver.
 *
 * @author otel-export authors
 */
class ResponseCaptureTests {

	private final ComponentLoader loader = ResponseCapture.componentLoader(getClass().getClassLoader());

	@Test
	void offersExactlyOneWrappedSenderProviderPerProtocol() {
		assertThat(this.loader.load(HttpSenderProvider.class)).singleElement()
			.satisfies((provider) -> assertThat(provider.getClass().getName())
				.startsWith(ResponseCapture.class.getName()));
		assertThat(this.loader.load(GrpcSenderProvider.class)).singleElement()
			.satisfies((provider) -> assertThat(provider.getClass().getName())
				.startsWith(ResponseCapture.class.getName()));
	}

	@Test
	void loadsOtherComponentsAsTheClassLoaderDoes() {
		assertThat(this.loader.load(SpanLimits.class)).containsExactlyElementsOf(
				ComponentLoader.forClassLoader(getClass().getClassLoader()).load(SpanLimits.class));
	}

	@Test
	void captureIsEmptyUntilAResponseArrives() {
		try (ResponseCapture.Capture capture = ResponseCapture.open()) {
			assertThat(capture.partialSuccess()).isEqualTo(PartialSuccess.NONE);
		}
	}

}
