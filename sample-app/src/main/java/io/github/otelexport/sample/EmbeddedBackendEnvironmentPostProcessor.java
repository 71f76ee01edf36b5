package io.github.otelexport.sample;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.otelexport.export.ExporterSettings;
import io.github.otelexport.export.transport.OtlpProtocol;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.convert.ConversionException;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Starts the {@link EmbeddedBackend} and points otel-export at it, unless a real backend
 * is named ({@code otel.export.endpoint}, or the standard
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} / {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}
 * environment variables) or {@code sample.embedded-backend.enabled} is {@code false}.
 * <p>
 * An environment post-processor, because the receivers' ports are only known once they
 * listen, and the exporter's endpoint must be known before it is built. It must stand
 * down for the environment variables too: the {@code otel.export.endpoint} it would add
 * wins over them, and would silently send the spans to the embedded receivers instead.
 *
 * @author otel-export authors
 */
class EmbeddedBackendEnvironmentPostProcessor implements EnvironmentPostProcessor {

	/**
	 * Properties any of which names a real backend; Spring's environment sees the
	 * environment variables under their own names.
	 */
	static final List<String> REAL_BACKEND_PROPERTIES = List.of("otel.export.endpoint",
			"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT");

	/**
	 * Where the protocol may be set, in the order the starter reads them.
	 */
	static final List<String> PROTOCOL_PROPERTIES = List.of("otel.export.protocol",
			"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL");

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (REAL_BACKEND_PROPERTIES.stream().anyMatch((name) -> StringUtils.hasText(environment.getProperty(name)))
				|| !environment.getProperty("sample.embedded-backend.enabled", Boolean.class, true)) {
			return;
		}
		String id = EmbeddedBackend.start();
		EmbeddedBackend backend = EmbeddedBackend.peek(id);
		boolean http = protocol(environment) == OtlpProtocol.HTTP_PROTOBUF;
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put(EmbeddedBackend.ID_PROPERTY, id);
		properties.put("otel.export.endpoint",
				http ? backend.primary().httpEndpoint() : backend.primary().grpcEndpoint());
		properties.put("otel.export.tls.ca-file", backend.primary().caCertificateFile().toString());
		if (!environment.containsProperty("otel.export.fallback.endpoint")) {
			properties.put("otel.export.fallback.endpoint",
					http ? backend.fallback().httpEndpoint() : backend.fallback().grpcEndpoint());
			// the plaintext fallback would otherwise inherit the primary's TLS settings
			// and warn that an http:// URL does not use them
			properties.put("otel.export.fallback.tls.insecure-skip-verify", "false");
		}
		environment.getPropertySources().addLast(new MapPropertySource("embeddedBackend", properties));
	}

	/**
	 * The protocol as the starter resolves it (the property, else the standard
	 * variables), converted as Spring Boot binds it. A value it cannot convert counts as
	 * the default here: the starter stops startup naming it.
	 */
	static OtlpProtocol protocol(Environment environment) {
		String protocol = PROTOCOL_PROPERTIES.stream()
			.map(environment::getProperty)
			.filter(StringUtils::hasText)
			.findFirst()
			.orElse(null);
		if (protocol == null) {
			return ExporterSettings.DEFAULT_PROTOCOL;
		}
		try {
			OtlpProtocol converted = ApplicationConversionService.getSharedInstance()
				.convert(protocol.trim(), OtlpProtocol.class);
			return (converted != null) ? converted : ExporterSettings.DEFAULT_PROTOCOL;
		}
		catch (ConversionException ex) {
			return ExporterSettings.DEFAULT_PROTOCOL;
		}
	}

}
