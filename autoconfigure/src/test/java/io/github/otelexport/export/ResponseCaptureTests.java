package io.github.otelexport.export;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.GrpcSenderProvider;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import io.opentelemetry.sdk.common.export.MessageWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ResponseCapture}, with stand-in senders for what a real one cannot be
 * made to do; {@link RealSocketFailureTests} shows it reading partial successes from a
 * real receiver through the SDK's own sender.
 *
 * @author otel-export authors
 */
class ResponseCaptureTests {

	private static final String OKHTTP = "io.opentelemetry.exporter.sender.okhttp.internal.OkHttpHttpSenderProvider";

	@Test
	void wrapsOneSenderProviderPerProtocol() {
		ComponentLoader loader = ResponseCapture.componentLoader(getClass().getClassLoader());
		assertThat(this.<HttpSenderProvider>load(loader, HttpSenderProvider.class)).singleElement()
			.satisfies((provider) -> assertThat(provider.getClass().getName())
				.startsWith(ResponseCapture.class.getName()));
		assertThat(this.<GrpcSenderProvider>load(loader, GrpcSenderProvider.class)).singleElement()
			.satisfies((provider) -> assertThat(provider.getClass().getName())
				.startsWith(ResponseCapture.class.getName()));
	}

	@Test
	void choosesTheJdkHttpSenderAmongTheStartersTwo() {
		assertThat(httpProviderNames(starterHttpProviders(), (name) -> null))
			.containsExactly(ResponseCapture.JDK_HTTP_SENDER_PROVIDER);
	}

	@ParameterizedTest
	@FieldSource("io.github.otelexport.export.ResponseCapture#HTTP_SENDER_PROVIDER_SETTINGS")
	void honoursTheSdksPreferenceSettingForTheHttpSender(String setting) {
		assertThat(httpProviderNames(starterHttpProviders(), (name) -> name.equals(setting) ? OKHTTP : null))
			.containsExactly(OKHTTP);
	}

	@Test
	void newPreferenceSettingWinsOverTheDeprecatedOne() {
		Map<String, String> settings = Map.of(ResponseCapture.HTTP_SENDER_PROVIDER_SETTINGS.get(0),
				ResponseCapture.JDK_HTTP_SENDER_PROVIDER, ResponseCapture.HTTP_SENDER_PROVIDER_SETTINGS.get(1), OKHTTP);
		assertThat(httpProviderNames(starterHttpProviders(), settings::get))
			.containsExactly(ResponseCapture.JDK_HTTP_SENDER_PROVIDER);
	}

	@Test
	void preferenceNamingNoProviderLeavesThemAllForTheSdkToReject() {
		String setting = ResponseCapture.HTTP_SENDER_PROVIDER_SETTINGS.get(0);
		List<HttpSenderProvider> providers = starterHttpProviders();
		assertThat(ResponseCapture.chooseHttp(providers, (name) -> name.equals(setting) ? "com.example.Missing" : null))
			.containsExactlyElementsOf(providers);
	}

	@Test
	void firstOfSeveralHttpSendersWhenNoneIsTheJdkOne() {
		HttpSenderProvider first = (config) -> new AnsweringSender(null);
		HttpSenderProvider second = (config) -> new AnsweringSender(null);
		assertThat(ResponseCapture.chooseHttp(List.of(first, second), (name) -> null)).containsExactly(first);
	}

	@Test
	void onlyHttpSenderIsKeptWhateverThePreference() {
		HttpSenderProvider only = (config) -> new AnsweringSender(null);
		assertThat(ResponseCapture.chooseHttp(List.of(only), (name) -> OKHTTP)).containsExactly(only);
	}

	@Test
	void recordsThePartialSuccessOfTheExportThatOpenedTheCapture() {
		byte[] body = ExportTraceServiceResponse.newBuilder()
			.setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(2).setErrorMessage("old"))
			.build()
			.toByteArray();
		HttpSender sender = onlySender(new AnsweringSender(TestResponses.http(200, () -> body)));
		List<HttpResponse> seen = new ArrayList<>();
		try (ResponseCapture.Capture capture = ResponseCapture.open()) {
			sender.send(null, seen::add, (error) -> {
			});
			assertThat(capture.partialSuccess()).isEqualTo(new PartialSuccess(2, "old"));
		}
		assertThat(seen).hasSize(1);
	}

	@Test
	void responseReachesTheSdkWhenItsBodyCannotBeRead() {
		HttpSender sender = onlySender(new AnsweringSender(TestResponses.http(200, () -> {
			throw new IllegalStateException("body already closed");
		})));
		List<HttpResponse> seen = new ArrayList<>();
		try (ResponseCapture.Capture capture = ResponseCapture.open()) {
			sender.send(null, seen::add, (error) -> {
			});
			assertThat(capture.partialSuccess()).isEqualTo(PartialSuccess.NONE);
		}
		assertThat(seen).hasSize(1);
	}

	@Test
	void failedResponseBodyIsNotRead() {
		HttpSender sender = onlySender(new AnsweringSender(TestResponses.http(400, () -> {
			throw new AssertionError("a failed response's body must not be read as a partial success");
		})));
		List<HttpResponse> seen = new ArrayList<>();
		try (ResponseCapture.Capture capture = ResponseCapture.open()) {
			sender.send(null, seen::add, (error) -> {
			});
			assertThat(capture.partialSuccess()).isEqualTo(PartialSuccess.NONE);
		}
		assertThat(seen).hasSize(1);
	}

	private static HttpSender onlySender(HttpSender sender) {
		HttpSenderProvider provider = (config) -> sender;
		ComponentLoader loader = ResponseCapture.componentLoader(services(List.of(provider)));
		HttpSenderProvider wrapped = loader.load(HttpSenderProvider.class).iterator().next();
		return wrapped.createSender((HttpSenderConfig) null);
	}

	private static ComponentLoader services(List<HttpSenderProvider> providers) {
		return new ComponentLoader() {

			@Override
			@SuppressWarnings("unchecked")
			public <T> Iterable<T> load(Class<T> type) {
				return (type == HttpSenderProvider.class) ? (Iterable<T>) providers : List.of();
			}

		};
	}

	private static List<HttpSenderProvider> starterHttpProviders() {
		List<HttpSenderProvider> providers = new ArrayList<>();
		ComponentLoader.forClassLoader(ResponseCaptureTests.class.getClassLoader())
			.load(HttpSenderProvider.class)
			.forEach(providers::add);
		assertThat(providers).extracting((provider) -> provider.getClass().getName())
			.containsExactlyInAnyOrder(ResponseCapture.JDK_HTTP_SENDER_PROVIDER, OKHTTP);
		return providers;
	}

	private static List<String> httpProviderNames(List<HttpSenderProvider> providers, UnaryOperator<String> settings) {
		return ResponseCapture.chooseHttp(providers, settings)
			.stream()
			.map((provider) -> provider.getClass().getName())
			.toList();
	}

	private <T> List<T> load(ComponentLoader loader, Class<T> type) {
		List<T> loaded = new ArrayList<>();
		loader.load(type).forEach(loaded::add);
		return loaded;
	}

	/**
	 * Answers every request at once with the given response.
	 */
	private static final class AnsweringSender implements HttpSender {

		private final HttpResponse response;

		AnsweringSender(HttpResponse response) {
			this.response = response;
		}

		@Override
		public void send(MessageWriter writer, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError) {
			onResponse.accept(this.response);
		}

		@Override
		public CompletableResultCode shutdown() {
			return CompletableResultCode.ofSuccess();
		}

	}

}
