package io.github.otelexport.sample;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts the {@link EmbeddedBackend} and points otel-export at it, unless
 * {@code otel.export.endpoint} names a real backend or
 * {@code sample.embedded-backend.enabled} is {@code false}.
 * <p>
 * An environment post-processor, because the receivers' ports are only known once they
 * listen, and the exporter's endpoint must be known before it is built.
 *
 * @author otel-export authors
 */
class EmbeddedBackendEnvironmentPostProcessor implements EnvironmentPostProcessor {

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (environment.containsProperty("otel.export.endpoint")
				|| !environment.getProperty("sample.embedded-backend.enabled", Boolean.class, true)) {
			return;
		}
		String id = EmbeddedBackend.start();
		EmbeddedBackend backend = EmbeddedBackend.peek(id);
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put(EmbeddedBackend.ID_PROPERTY, id);
		properties.put("otel.export.endpoint", backend.primary().grpcEndpoint());
		properties.put("otel.export.tls.ca-file", backend.primary().caCertificateFile().toString());
		if (!environment.containsProperty("otel.export.fallback.endpoint")) {
			properties.put("otel.export.fallback.endpoint", backend.fallback().grpcEndpoint());
			// the plaintext fallback would otherwise inherit the primary's TLS settings
			// and warn that an http:// URL does not use them
			properties.put("otel.export.fallback.tls.insecure-skip-verify", "false");
		}
		environment.getPropertySources().addLast(new MapPropertySource("embeddedBackend", properties));
	}

}
