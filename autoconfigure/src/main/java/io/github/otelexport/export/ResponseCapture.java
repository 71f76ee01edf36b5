package io.github.otelexport.export;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
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
 * {@link #componentLoader(ClassLoader)} wraps the sender provider when there is only one,
 * as with the starter's dependencies. The SDK calls its sender on the thread that called
 * {@code export}, so a wrapped sender picks up the {@link Capture} that the caller
 * {@linkplain #open() opened} on that thread, and fills it in from the response before
 * the SDK completes the export's result.
 *
 * @author otel-export authors
 */
final class ResponseCapture {

	private static final Logger logger = Logger.getLogger(ResponseCapture.class.getName());

	private static final ThreadLocal<Capture> current = new ThreadLocal<>();

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
		return new ComponentLoader() {

			@Override
			@SuppressWarnings("unchecked")
			public <T> Iterable<T> load(Class<T> type) {
				if (type == HttpSenderProvider.class) {
					return (Iterable<T>) wrap(services.load(HttpSenderProvider.class),
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
