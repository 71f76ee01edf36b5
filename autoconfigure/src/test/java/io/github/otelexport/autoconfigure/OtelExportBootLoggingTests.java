package io.github.otelexport.autoconfigure;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.LoggerContext;
import com.jayway.jsonpath.JsonPath;
import io.github.otelexport.testkit.OtlpReceiver;
import io.github.otelexport.testkit.OtlpReceiverExtension;
import io.github.otelexport.testkit.Signal;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.instrumentation.logback.appender.v1_0.OpenTelemetryAppender;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A web application with Spring Boot's OpenTelemetry logging, as a user sets it up:
 * Boot's {@code SdkLoggerProvider} and OTLP log exporter, and the OpenTelemetry Logback
 * appender installed on the {@code OpenTelemetry} bean, so that an SLF4J line becomes a
 * log record. otel-export takes the log records by default: a line logged while serving a
 * request reaches the receiver once, Boot's exporter (pointed at the same receiver) sends
 * nothing, and {@code /actuator/health} over HTTP names the signal that fails while the
 * receiver refuses connections, then recovers.
 *
 * @author otel-export authors
 */
@SpringBootTest(classes = OtelExportBootLoggingTests.TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoint.health.show-details=always",
				"management.opentelemetry.logging.export.otlp.endpoint=${receiver.http-logs}",
				"otel.export.batch.schedule-delay=50ms", "otel.export.retry.initial-backoff=100ms",
				"otel.export.retry.max-backoff=500ms", "otel.export.diagnostics.startup-check=false" })
class OtelExportBootLoggingTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final String COMPONENT = "$.components.otelExport";

	@RegisterExtension
	static final OtlpReceiverExtension receiver = new OtlpReceiverExtension();

	@DynamicPropertySource
	static void receiver(DynamicPropertyRegistry registry) {
		registry.add("receiver.grpc", () -> receiver.get().grpcEndpoint());
		registry.add("receiver.http", () -> receiver.get().httpEndpoint());
		registry.add("receiver.http-logs", () -> receiver.get().httpEndpoint(Signal.LOGS));
	}

	@Nested
	@TestPropertySource(properties = { "otel.export.protocol=grpc", "otel.export.endpoint=${receiver.grpc}" })
	// Closes the context, its export threads included, once the class is done
	@DirtiesContext
	class OverGrpc extends Scenario {

	}

	@Nested
	@TestPropertySource(properties = { "otel.export.protocol=http/protobuf", "otel.export.endpoint=${receiver.http}" })
	@DirtiesContext
	class OverHttp extends Scenario {

	}

	abstract static class Scenario {

		@LocalServerPort
		private int port;

		@Autowired
		private ApplicationContext context;

		private final LocalHttpClient http = new LocalHttpClient(() -> this.port);

		@Test
		void aLoggedLineIsExportedOnceAndHealthNamesTheFailingSignal() {
			assertThat(this.context.getBeanNamesForType(SdkLoggerProvider.class))
				.containsExactly("openTelemetrySdkLoggerProvider");
			assertThat(this.context.getBeansOfType(BatchLogRecordProcessor.class)).isEmpty();
			assertThat(this.context.getBeanNamesForType(LogRecordExporter.class))
				.as("Boot's OTLP log exporter is there, and left out")
				.containsExactly("otlpHttpLogRecordExporter");

			String placed = placeOrder();
			await().atMost(WAIT).until(() -> received(placed) >= 1);
			flushLogRecords();
			assertThat(received(placed)).isEqualTo(1);
			assertThat(health().statusCode()).isEqualTo(200);

			receiver.get().refuseConnections();
			String whileRefused = placeOrder();
			await().atMost(WAIT).untilAsserted(() -> {
				String body = health().body();
				assertThat(read(body, COMPONENT + ".status")).isEqualTo("DEGRADED");
				assertThat(JsonPath.<List<String>>read(body, COMPONENT + ".details.failing")).contains("logs");
				assertThat(read(body, COMPONENT + ".details.logs.lastError.category")).isEqualTo("CONNECTION_REFUSED");
			});

			receiver.get().accept();
			await().atMost(WAIT).untilAsserted(() -> {
				String body = health().body();
				assertThat(read(body, COMPONENT + ".status")).isEqualTo("UP");
				assertThat(JsonPath.<List<String>>read(body, COMPONENT + ".details.failing")).isEmpty();
			});
			await().atMost(WAIT).until(() -> received(whileRefused) >= 1);
			flushLogRecords();
			assertThat(received(whileRefused)).as("the line logged while refused, once").isEqualTo(1);
		}

		private String placeOrder() {
			String id = UUID.randomUUID().toString();
			HttpResponse<String> response = this.http.get("/orders/" + id);
			assertThat(response.statusCode()).isEqualTo(200);
			return OrdersController.line(id);
		}

		private HttpResponse<String> health() {
			return this.http.get("/actuator/health");
		}

		/**
		 * Flush every processor of the logger provider: a second path would deliver its
		 * copy then.
		 */
		private void flushLogRecords() {
			assertThat(
					this.context.getBean(SdkLoggerProvider.class).forceFlush().join(10, TimeUnit.SECONDS).isSuccess())
				.isTrue();
		}

		private static long received(String body) {
			return receiver.get()
				.logRecords()
				.stream()
				.map(LogRecord::getBody)
				.filter((value) -> value.getStringValue().equals(body))
				.count();
		}

		private static String read(String json, String path) {
			return String.valueOf((Object) JsonPath.read(json, path));
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(OrdersController.class)
	static class TestApplication {

		@Bean
		LogbackOpenTelemetryAppender logbackOpenTelemetryAppender(OpenTelemetry openTelemetry) {
			return new LogbackOpenTelemetryAppender(openTelemetry);
		}

	}

	@RestController
	static class OrdersController {

		private static final Logger logger = LoggerFactory.getLogger("com.example.orders.OrdersController");

		@GetMapping("/orders/{id}")
		String place(@PathVariable String id) {
			logger.info(line(id));
			return id;
		}

		static String line(String id) {
			return "order " + id + " placed";
		}

	}

	/**
	 * Spring Boot's reference declares the appender in {@code logback-spring.xml} and
	 * calls {@link OpenTelemetryAppender#install} from a bean; here the appender is added
	 * to the root logger by code and removed with the context, since every test class
	 * shares the JVM's Logback.
	 */
	static final class LogbackOpenTelemetryAppender implements InitializingBean, DisposableBean {

		private final OpenTelemetry openTelemetry;

		private final OpenTelemetryAppender appender = new OpenTelemetryAppender();

		LogbackOpenTelemetryAppender(OpenTelemetry openTelemetry) {
			this.openTelemetry = openTelemetry;
		}

		@Override
		public void afterPropertiesSet() {
			LoggerContext loggers = (LoggerContext) LoggerFactory.getILoggerFactory();
			this.appender.setContext(loggers);
			this.appender.setName("OpenTelemetry");
			this.appender.start();
			loggers.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(this.appender);
			OpenTelemetryAppender.install(this.openTelemetry);
		}

		@Override
		public void destroy() {
			LoggerContext loggers = (LoggerContext) LoggerFactory.getILoggerFactory();
			loggers.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(this.appender);
			this.appender.stop();
		}

	}

}
