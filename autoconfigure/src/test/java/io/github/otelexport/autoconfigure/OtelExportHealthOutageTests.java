package io.github.otelexport.autoconfigure;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import io.github.otelexport.actuate.ExportStateEvaluator;
import io.github.otelexport.export.TestPorts;
import io.github.otelexport.export.TestTime;
import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.stats.ExportErrorCategory;
import io.github.otelexport.stats.ExportStatistics;
import io.opentelemetry.api.OpenTelemetry;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Collector outage past the grace period, seen by a load balancer or a probe that reads
 * the root {@code /actuator/health} over real HTTP: 200 by default, 503 only with
 * {@code otel.export.health.report-down=true}; and the few lines the console shows
 * meanwhile. Nothing listens on the endpoint's port; the health's clock is the test's, so
 * the grace period passes without waiting.
 *
 * @author otel-export authors
 */
@SpringBootTest(classes = OtelExportHealthOutageTests.TestApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoint.health.show-details=always", "otel.export.protocol=http/protobuf",
				"otel.export.timeout=1s", "otel.export.connect-timeout=1s", "otel.export.retry.max-attempts=1",
				"otel.export.retry.max-elapsed-time=2s", "otel.export.batch.schedule-delay=50ms",
				"otel.export.batch.export-timeout=5s", "otel.export.diagnostics.startup-check=false",
				"management.tracing.sampling.probability=1.0" })
// Closes each context, its batch processor thread included, once its class is done
@DirtiesContext
class OtelExportHealthOutageTests {

	private static final Duration GRACE_PERIOD = Duration.ofMinutes(1);

	private static final String COMPONENT = "$.components.otelExport";

	@DynamicPropertySource
	static void closedEndpoint(DynamicPropertyRegistry registry) {
		registry.add("otel.export.endpoint", () -> "http://127.0.0.1:" + TestPorts.closedPort() + "/v1/traces");
	}

	@Nested
	class ByDefault extends Outage {

		@Test
		void rootHealthStays200PastTheGracePeriod() {
			Instant failingSince = awaitFailing();

			HttpResponse<String> down = healthAt(failingSince.plus(GRACE_PERIOD).plusSeconds(30));
			assertThat(down.statusCode()).isEqualTo(200);
			assertThat(read(down.body(), "$.status")).isEqualTo("DEGRADED");
			assertThat(read(down.body(), COMPONENT + ".status")).isEqualTo("DEGRADED");
			// the component still says exactly what fails
			assertThat(read(down.body(), COMPONENT + ".details.state")).isEqualTo("DOWN");
			assertThat(read(down.body(), COMPONENT + ".details.reason"))
				.isEqualTo("Nothing exported for 1m30s while exports fail (grace period 1m); reported as DEGRADED, "
						+ "not DOWN, as otel.export.health.report-down is false");
			assertThat(Instant.parse(read(down.body(), COMPONENT + ".details.failingSince"))).isEqualTo(failingSince);
			assertThat(read(down.body(), COMPONENT + ".details.lastError.category")).isEqualTo("CONNECTION_REFUSED");
		}

	}

	@Nested
	@TestPropertySource(properties = "otel.export.health.report-down=true")
	class WithReportDown extends Outage {

		@Test
		void rootHealthTurns503OnceTheGracePeriodIsOver() {
			Instant failingSince = awaitFailing();

			HttpResponse<String> withinGrace = healthAt(failingSince.plus(GRACE_PERIOD).minusMillis(1));
			assertThat(withinGrace.statusCode()).isEqualTo(200);
			assertThat(read(withinGrace.body(), "$.status")).isEqualTo("DEGRADED");

			HttpResponse<String> down = healthAt(failingSince.plus(GRACE_PERIOD));
			assertThat(down.statusCode()).isEqualTo(503);
			assertThat(read(down.body(), "$.status")).isEqualTo("DOWN");
			assertThat(read(down.body(), COMPONENT + ".status")).isEqualTo("DOWN");
			assertThat(read(down.body(), COMPONENT + ".details.state")).isEqualTo("DOWN");
			assertThat(read(down.body(), COMPONENT + ".details.reason"))
				.isEqualTo("Nothing exported for 1m while exports fail (grace period 1m)");
		}

	}

	/**
	 * What an operator reads in the application's console during a 30-second outage,
	 * through the JUL to SLF4J bridge into Logback in Spring Boot's own layout, as a
	 * user's application logs.
	 */
	@Nested
	@ExtendWith(OutputCaptureExtension.class)
	class Logs extends Outage {

		/**
		 * Failed attempts in a 30-second outage at the default pace: a batch every 5s,
		 * five attempts each.
		 */
		private static final int ATTEMPTS = 30;

		/**
		 * The exporter logs at DEBUG meanwhile, so that its detailed lines show where
		 * they went.
		 */
		private static final String EXPORTER = "io.github.otelexport.export.ResilientSpanExporter";

		@Autowired
		private ExportStatistics statistics;

		@Test
		void aThirtySecondOutageLogsAHandfulOfLinesEachWithCategoryPropertyAndHintAndNoStackTrace(
				CapturedOutput output) {
			LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
			logging.setLogLevel(EXPORTER, LogLevel.DEBUG);
			int start = output.getAll().length();
			try {
				Instant failingSince = awaitFailing();
				await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
					this.openTelemetry.getTracer("test").spanBuilder("outage").startSpan().end();
					return this.statistics.snapshot().exporters().get(0).failedAttempts() >= ATTEMPTS;
				});
				HttpResponse<String> health = healthAt(failingSince.plusSeconds(30));
				assertThat(read(health.body(), COMPONENT + ".details.state")).isEqualTo("DEGRADED");
			}
			finally {
				logging.setLogLevel(EXPORTER, null);
			}
			List<LogEntry> entries = LogEntry.parse(output.getAll().substring(start))
				.stream()
				.filter((entry) -> entry.in("io.github.otelexport") || entry.in("io.opentelemetry"))
				.toList();
			List<LogEntry> shown = entries.stream().filter(LogEntry::shownByDefault).toList();
			assertThat(shown).hasSizeBetween(1, 5)
				.allSatisfy((entry) -> assertThat(entry.message()).contains("CONNECTION_REFUSED")
					.contains("(otel.export.endpoint)")
					.contains(ExportErrorCategory.CONNECTION_REFUSED.hint(DestinationRole.PRIMARY)))
				.allSatisfy((entry) -> assertThat(entry.stackTrace()).isEmpty());
			// lines about dropped batches, with their stack traces, are there, but at
			// DEBUG (a few a minute: some may come before the outage's start)
			assertThat(LogEntry.parse(output.getAll()))
				.filteredOn((entry) -> entry.in("io.github.otelexport") && entry.message().startsWith("Dropped "))
				.isNotEmpty()
				.allSatisfy((entry) -> assertThat(entry.level()).isEqualTo("DEBUG"))
				.anySatisfy((entry) -> assertThat(entry.stackTrace()).isNotEmpty());
		}

	}

	/**
	 * What every context does: fail, then read the health at a chosen instant.
	 */
	abstract static class Outage {

		private final LocalHttpClient http = new LocalHttpClient(() -> this.port);

		@LocalServerPort
		private int port;

		@Autowired
		OpenTelemetry openTelemetry;

		@Autowired
		private TestTime healthClock;

		/**
		 * Export spans until the health shows a run of failures, and return when it
		 * started.
		 */
		Instant awaitFailing() {
			AtomicReference<String> failing = new AtomicReference<>();
			await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
				this.openTelemetry.getTracer("test").spanBuilder("probe").startSpan().end();
				HttpResponse<String> health = this.http.get("/actuator/health");
				assertThat(health.statusCode()).isEqualTo(200);
				assertThat(read(health.body(), COMPONENT + ".status")).as(health.body()).isEqualTo("DEGRADED");
				assertThat(read(health.body(), COMPONENT + ".details.lastError.category"))
					.isEqualTo("CONNECTION_REFUSED");
				failing.set(health.body());
			});
			return Instant.parse(read(failing.get(), COMPONENT + ".details.failingSince"));
		}

		HttpResponse<String> healthAt(Instant instant) {
			this.healthClock.advance(Duration.between(this.healthClock.instant(), instant));
			return this.http.get("/actuator/health");
		}

	}

	private static String read(String json, String path) {
		return String.valueOf(JsonPath.<Object>read(json, path));
	}

	/**
	 * One log event as Spring Boot's console layout writes it: the first line, then the
	 * lines of its stack trace, if any.
	 */
	record LogEntry(String level, String logger, String message, List<String> stackTrace) {

		/**
		 * Time, level, process id, {@code ---}, thread and correlation in brackets, the
		 * logger and, after a colon, the message.
		 */
		private static final Pattern FIRST_LINE = Pattern
			.compile("^\\S+\\s+(TRACE|DEBUG|INFO|WARN|ERROR)\\s+\\S+ --- .*?([\\w.$]+)\\s+: (.*)$");

		static List<LogEntry> parse(String output) {
			List<LogEntry> entries = new ArrayList<>();
			for (String line : output.lines().toList()) {
				Matcher first = FIRST_LINE.matcher(line);
				if (first.matches()) {
					entries.add(new LogEntry(first.group(1), first.group(2), first.group(3), new ArrayList<>()));
				}
				else if (!entries.isEmpty() && !line.isBlank()) {
					entries.get(entries.size() - 1).stackTrace().add(line);
				}
			}
			return entries;
		}

		/**
		 * Whether the logger is in the package, its name abbreviated as the layout does
		 * ({@code i.g.o.export.ResilientSpanExporter}).
		 */
		boolean in(String packageName) {
			String[] segments = this.logger.split("\\.");
			String[] expected = packageName.split("\\.");
			if (segments.length <= expected.length) {
				return false;
			}
			for (int i = 0; i < expected.length; i++) {
				if (!segments[i].equals(expected[i]) && !segments[i].equals(expected[i].substring(0, 1))) {
					return false;
				}
			}
			return true;
		}

		boolean shownByDefault() {
			return !this.level.equals("DEBUG") && !this.level.equals("TRACE");
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

		/**
		 * The health's clock: it stands still from the start of the context until the
		 * test moves it.
		 */
		@Bean
		TestTime healthClock() {
			return new TestTime(Instant.now());
		}

		// Replaces the shared evaluator, so the health reads the test's clock
		@Bean
		ExportStateEvaluator testExportStateEvaluator(TestTime healthClock) {
			return new ExportStateEvaluator(GRACE_PERIOD, healthClock);
		}

	}

}
