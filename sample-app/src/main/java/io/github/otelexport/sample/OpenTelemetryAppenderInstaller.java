package io.github.otelexport.sample;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.instrumentation.logback.appender.v1_0.OpenTelemetryAppender;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * Gives the OpenTelemetry Logback appender of {@code logback-spring.xml} the
 * application's {@link OpenTelemetry}, as Spring Boot's reference documents ("Loggers >
 * OpenTelemetry"): the appender is created by Logback before any bean exists, so it keeps
 * the lines logged until then and sends them once installed. Its log records then go
 * through the {@code SdkLoggerProvider} of Spring Boot, whose processor otel-export
 * supplies ({@code otel.export.logs.enabled}).
 * <p>
 * The appender is one per Logback context, so one per JVM: when several application
 * contexts run in one JVM (tests), the last one started receives every record.
 *
 * @author otel-export authors
 */
@Component
class OpenTelemetryAppenderInstaller implements InitializingBean {

	private final OpenTelemetry openTelemetry;

	OpenTelemetryAppenderInstaller(OpenTelemetry openTelemetry) {
		this.openTelemetry = openTelemetry;
	}

	@Override
	public void afterPropertiesSet() {
		OpenTelemetryAppender.install(this.openTelemetry);
	}

}
