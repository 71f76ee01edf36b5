package io.github.otelexport.export;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.GrpcResponse;
import io.opentelemetry.sdk.common.export.GrpcSender;
import io.opentelemetry.sdk.common.export.GrpcSenderProvider;
import io.opentelemetry.sdk.common.export.GrpcStatusCode;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import io.opentelemetry.sdk.common.export.MessageWriter;

/**
 * Lets {@link ResilientSpanExporter} read the body of a successful OTLP response, which
 * the SDK's exporters do not look at. An OTLP backend reports there the spans it rejected
 * from a request it accepted: a {@linkplain PartialSuccess partial success}.
 * <p>
 * The SDK's exporters find their sender through a {@link ComponentLoader}. The loader of
 * {@link #componentLoader(ClassLoader)} gives them one wrapped sender provider per
 * protocol. For http/protobuf the starter brings two, OkHttp's and the JDK HttpClient's;
 * the loader chooses the one the SDK's own preference property names, else the JDK one,
 * whose connections set {@code TCP_NODELAY} (OkHttp's do not, and Nagle's algorithm
 * against delayed ACKs costs about 40 ms per export of more than ~10 kB). The SDK calls
 * its sender on the thread that called {@code export}, so a wrapped sender picks up the
 * {@link Capture} that the caller {@linkplain #open() opened} on that thread, and fills
 * it in from the response before the SDK completes the export's result.
 *
 * @author otel-export authors
 */
final class ResponseCapture {

	private static final Logger logger = Logger.getLogger(ResponseCapture.class.getName());

	private static final ThreadLocal<Capture> current = new ThreadLocal<>();

	/**
	 * The JDK HttpClient sender's provider, named as a string: it is an SDK-internal
	 * class.
	 */
	static final String JDK_HTTP_SENDER_PROVIDER = "io.opentelemetry.exporter.sender.jdk.internal.JdkHttpSenderProvider";

	/**
	 * The settings by which the SDK chooses among several HTTP sender providers, in the
	 * order it reads them; the second is the deprecated name it still honours.
	 */
	static final List<String> HTTP_SENDER_PROVIDER_SETTINGS = List.of(
			"io.opentelemetry.sdk.common.export.HttpSenderProvider",
			"io.opentelemetry.exporter.internal.http.HttpSenderProvider");

	private ResponseCapture() {
	}

	/**
	 * Open a capture for the exports that the current thread starts until it is closed.
	 * @return the capture
	 */
	static Capture open() {
		Capture capture = new Capture();
		current.set(capture);
		return capture;
	}

	/**
	 * Return a component loader that gives the SDK's exporters capturing senders.
	 * @param classLoader where to find the sender providers
	 * @return the component loader
	 */
	static ComponentLoader componentLoader(ClassLoader classLoader) {
		return componentLoader(ComponentLoader.forClassLoader(classLoader));
	}

	/**
	 * Return a component loader that gives the SDK's exporters capturing senders.
	 * @param services where to find the sender providers and every other component
	 * @return the component loader
	 */
	static ComponentLoader componentLoader(ComponentLoader services) {
		return componentLoader(services, ResponseCapture::setting);
	}

	/**
	 * Return a component loader that gives the SDK's exporters capturing senders.
	 * @param services where to find the sender providers and every other component
	 * @param settings reads a setting by its system property name, {@code null} when
	 * unset (visible for testing)
	 * @return the component loader
	 */
	static ComponentLoader componentLoader(ComponentLoader services, UnaryOperator<String> settings) {
		return new ComponentLoader() {

			@Override
			@SuppressWarnings("unchecked")
			public <T> Iterable<T> load(Class<T> type) {
				if (type == HttpSenderProvider.class) {
					return (Iterable<T>) wrap(chooseHttp(services.load(HttpSenderProvider.class), settings),
							(provider) -> (config) -> new CapturingHttpSender(provider.createSender(config)));
				}
				if (type == GrpcSenderProvider.class) {
					return (Iterable<T>) wrap(services.load(GrpcSenderProvider.class),
							(provider) -> (config) -> new CapturingGrpcSender(provider.createSender(config)));
				}
				return services.load(type);
			}

		};
	}

	/**
	 * Choose one HTTP sender provider as the SDK would (its {@code SenderUtil}), except
	 * that without a preference setting the JDK one wins instead of an arbitrary one. A
	 * setting that names no provider found leaves them all, so that the SDK fails with
	 * its own message naming the setting.
	 */
	static List<HttpSenderProvider> chooseHttp(Iterable<HttpSenderProvider> providers, UnaryOperator<String> settings) {
		List<HttpSenderProvider> found = new ArrayList<>();
		providers.forEach(found::add);
		if (found.size() < 2) {
			return found;
		}
		String preferred = preferredHttpSenderProvider(settings);
		String wanted = (preferred != null) ? preferred : JDK_HTTP_SENDER_PROVIDER;
		for (HttpSenderProvider provider : found) {
			if (provider.getClass().getName().equals(wanted)) {
				return List.of(provider);
			}
		}
		return (preferred != null) ? found : List.of(found.get(0));
	}

	private static String preferredHttpSenderProvider(UnaryOperator<String> settings) {
		for (String name : HTTP_SENDER_PROVIDER_SETTINGS) {
			String value = settings.apply(name);
			if (value != null && !value.isEmpty()) {
				return value;
			}
		}
		return null;
	}

	/**
	 * Read a setting as the SDK's {@code ConfigUtil} does: the system property, else the
	 * environment variable of the same name in upper case with dots as underscores.
	 */
	private static String setting(String name) {
		String value = System.getProperty(name);
		return (value != null) ? value : System.getenv(name.toUpperCase(Locale.ROOT).replace('.', '_'));
	}

	/**
	 * Wrap the only provider. With several, the SDK chooses among them by class name and
	 * preference properties, which wrappers would defeat, so they are left as they are
	 * and partial successes go unread.
	 */
	private static <P> List<P> wrap(Iterable<P> providers, Function<P, P> wrapper) {
		List<P> found = new ArrayList<>();
		providers.forEach(found::add);
		if (found.size() != 1) {
			if (found.size() > 1) {
				logger.log(Level.FINE,
						() -> "Several OTLP sender providers " + found + "; partial successes are not read");
			}
			return found;
		}
		return List.of(wrapper.apply(found.get(0)));
	}

	/**
	 * Wrap a sender's response consumer so that a successful response's body is recorded
	 * into the capture open on the calling thread, before the SDK sees the response.
	 */
	private static <R> Consumer<R> capturing(Consumer<R> onResponse, Predicate<R> success, Function<R, byte[]> body) {
		Capture capture = current.get();
		if (capture == null) {
			return onResponse;
		}
		return (response) -> {
			try {
				if (success.test(response)) {
					capture.record(body.apply(response));
				}
			}
			catch (RuntimeException ex) {
				// the response must reach the SDK whatever its body holds
				logger.log(Level.FINE, "Could not read the response body", ex);
			}
			finally {
				onResponse.accept(response);
			}
		};
	}

	/**
	 * What the responses to the exports of one attempt said.
	 */
	static final class Capture implements AutoCloseable {

		private volatile PartialSuccess partialSuccess = PartialSuccess.NONE;

		/**
		 * Return the partial success of the last successful response.
		 * @return the partial success, {@link PartialSuccess#NONE} when there was none
		 */
		PartialSuccess partialSuccess() {
			return this.partialSuccess;
		}

		private void record(byte[] body) {
			this.partialSuccess = PartialSuccess.parse(body);
		}

		@Override
		public void close() {
			current.remove();
		}

	}

	private static final class CapturingHttpSender implements HttpSender {

		private final HttpSender delegate;

		CapturingHttpSender(HttpSender delegate) {
			this.delegate = delegate;
		}

		@Override
		public void send(MessageWriter writer, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError) {
			this.delegate.send(writer,
					capturing(onResponse,
							(response) -> response.getStatusCode() >= 200 && response.getStatusCode() < 300,
							HttpResponse::getResponseBody),
					onError);
		}

		@Override
		public CompletableResultCode shutdown() {
			return this.delegate.shutdown();
		}

	}

	private static final class CapturingGrpcSender implements GrpcSender {

		private final GrpcSender delegate;

		CapturingGrpcSender(GrpcSender delegate) {
			this.delegate = delegate;
		}

		@Override
		public void send(MessageWriter writer, Consumer<GrpcResponse> onResponse, Consumer<Throwable> onError) {
			this.delegate.send(writer, capturing(onResponse,
					(response) -> response.getStatusCode() == GrpcStatusCode.OK, GrpcResponse::getResponseMessage),
					onError);
		}

		@Override
		public CompletableResultCode shutdown() {
			return this.delegate.shutdown();
		}

	}

}
