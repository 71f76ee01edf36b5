package io.github.otelexport.sample;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.github.otelexport.testkit.OtlpReceiver;

/**
 * Two in-process OTLP receivers, a primary over TLS and a plaintext fallback, that the
 * sample exports to when no real Collector is configured.
 *
 * @param primary the TLS receiver behind {@code otel.export.endpoint}
 * @param fallback the receiver behind {@code otel.export.fallback.endpoint}
 * @author otel-export authors
 */
record EmbeddedBackend(OtlpReceiver primary, OtlpReceiver fallback) implements AutoCloseable {

	/**
	 * The property that carries the id under which the started backend is registered.
	 */
	static final String ID_PROPERTY = "sample.embedded-backend.id";

	private static final Map<String, EmbeddedBackend> started = new ConcurrentHashMap<>();

	static String start() {
		String id = UUID.randomUUID().toString();
		started.put(id, new EmbeddedBackend(OtlpReceiver.builder().tls().build(), OtlpReceiver.start()));
		return id;
	}

	static EmbeddedBackend peek(String id) {
		return started.get(id);
	}

	static EmbeddedBackend take(String id) {
		EmbeddedBackend backend = started.remove(id);
		if (backend == null) {
			throw new IllegalStateException("No embedded backend was started under id " + id);
		}
		return backend;
	}

	@Override
	public void close() {
		this.primary.close();
		this.fallback.close();
	}

}
