package io.github.otelexport.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import io.github.otelexport.actuate.OtelExportDescriptors.DiagnosisDescriptor;
import io.github.otelexport.diagnose.EndpointDiagnosis;
import io.github.otelexport.diagnose.EndpointProber;
import io.github.otelexport.diagnose.ProbeTarget;
import io.github.otelexport.export.ExportErrorClassifier;
import io.github.otelexport.export.ExporterSettings;
import io.github.otelexport.export.OtlpTransports;
import io.github.otelexport.export.TestPorts;
import io.github.otelexport.export.TestTime;
import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.stats.ExportErrorCategory;
import io.github.otelexport.stats.ExportSnapshot;
import io.github.otelexport.testkit.OtlpReceiver;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link StartupDiagnosis}: against a live receiver and a closed port, on its
 * own and inside a real application.
 *
 * @author otel-export authors
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupDiagnosisTests {

	private static final String THREAD_NAME = "otel-export-startup-check";

	private static final String LOG_PREFIX = "otel-export startup check: ";

	private static final Duration WAIT = Duration.ofSeconds(20);

	private final OtlpReceiver primary = OtlpReceiver.start();

	private final int closedPort = TestPorts.closedPort();

	private final String fallbackEndpoint = "http://127.0.0.1:" + this.closedPort + "/v1/traces";

	private final Set<Thread> threadsBefore = startupCheckThreads();

	/**
	 * The threads that built the primary's one-off exporter: the thread the diagnosis ran
	 * on.
	 */
	private final List<String> probingThreads = new CopyOnWriteArrayList<>();

	private final EndpointDiagnostics diagnostics = new EndpointDiagnostics(
			new EndpointProber(Duration.ofSeconds(5), new ExportErrorClassifier()),
			List.of(new ProbeTarget(DestinationRole.PRIMARY, this.primary.httpEndpoint(), null, true, () -> {
				this.probingThreads.add(Thread.currentThread().getName());
				return OtlpTransports.create(ExporterSettings
					.of(DestinationRole.PRIMARY, OtlpProtocol.HTTP_PROTOBUF, this.primary.httpEndpoint())
					.withTimeout(Duration.ofSeconds(5)));
			}), new ProbeTarget(DestinationRole.FALLBACK, this.fallbackEndpoint, null, true, () -> {
				throw new AssertionError("The OTLP step of a closed port must be skipped");
			})));

	private final StartupDiagnosis startupDiagnosis = new StartupDiagnosis(this.diagnostics);

	@AfterEach
	void close() {
		this.startupDiagnosis.destroy();
		this.primary.close();
	}

	@Test
	void runsOnceOffTheCallingThreadAfterTheApplicationIsReady(CapturedOutput output) {
		assertThat(this.diagnostics.last()).isEmpty();
		assertThat(this.primary.requestCount()).isZero();
		this.startupDiagnosis.onApplicationEvent(ready());
		this.startupDiagnosis.onApplicationEvent(ready());
		await().atMost(WAIT).until(() -> this.diagnostics.last().size() == 2);
		assertThat(this.probingThreads).containsExactly(THREAD_NAME).doesNotContain(Thread.currentThread().getName());
		await().atMost(WAIT).until(() -> startupLines(output).size() == 2);
		assertThat(startupLines(output)).satisfiesExactly(
				(line) -> assertThat(line).contains(LOG_PREFIX + "primary endpoint " + this.primary.httpEndpoint()
						+ " (otel.export.endpoint): OK (dns "),
				(line) -> assertThat(line)
					.contains(LOG_PREFIX + "fallback endpoint " + this.fallbackEndpoint
							+ " (otel.export.fallback.endpoint): CONNECTION_REFUSED at the tcp step")
					.contains(ExportErrorCategory.CONNECTION_REFUSED.hint(DestinationRole.PRIMARY)));
		// A later ready event (a refreshed child context, say) does not probe again
		this.startupDiagnosis.onApplicationEvent(ready());
		await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> this.primary.requestCount() == 1);
		assertThat(startupLines(output)).hasSize(2);
	}

	@Test
	void resultShowsAsTheEndpointsLastDiagnosis() {
		this.startupDiagnosis.onApplicationEvent(ready());
		await().atMost(WAIT).until(() -> this.diagnostics.last().size() == 2);
		List<EndpointDiagnosis> startup = this.diagnostics.last();
		ExportSnapshot snapshot = SnapshotBuilder.withFallback().build();
		OtelExportEndpoint endpoint = new OtelExportEndpoint(() -> snapshot,
				new ExportStateEvaluator(Duration.ofMinutes(1), new TestTime()),
				new ExportConfigurationDescriptor(List.of(), Map.of()), this.diagnostics);
		assertThat(endpoint.export().lastDiagnosis()).isEqualTo(startup.stream().map(DiagnosisDescriptor::of).toList())
			.extracting(DiagnosisDescriptor::role, DiagnosisDescriptor::ok)
			.containsExactly(tuple("primary", true), tuple("fallback", false));
	}

	@Test
	void itsThreadEndsOnDestroyEvenWhileAProbeWaits() {
		// The OTLP step waits for an answer that comes far later than the test allows
		this.primary.delayResponses(Duration.ofMinutes(1));
		this.startupDiagnosis.onApplicationEvent(ready());
		await().atMost(WAIT).until(() -> this.primary.requestCount() == 1);
		assertThat(newStartupCheckThreads()).hasSize(1);
		this.startupDiagnosis.destroy();
		await().atMost(Duration.ofSeconds(5)).until(() -> newStartupCheckThreads().isEmpty());
	}

	@Test
	void runsOnceInARealApplicationAndStopsWithIt(CapturedOutput output) {
		try (ConfigurableApplicationContext context = application().run()) {
			await().atMost(WAIT).until(() -> startupLines(output).size() == 2);
			EndpointDiagnostics diagnostics = context.getBean(EndpointDiagnostics.class);
			assertThat(diagnostics.last()).extracting(EndpointDiagnosis::role, EndpointDiagnosis::ok)
				.containsExactly(tuple(DestinationRole.PRIMARY, true), tuple(DestinationRole.FALLBACK, false));
			assertThat(this.primary.requestCount()).isOne();
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> newStartupCheckThreads().isEmpty());
	}

	@Test
	void doesNotRunWhenSwitchedOff(CapturedOutput output) {
		try (ConfigurableApplicationContext context = application()
			.properties("otel.export.diagnostics.startup-check=false")
			.run()) {
			// The ready event has been published: a startup check would have started its
			// thread by now
			assertThat(context.getBeansOfType(StartupDiagnosis.class)).isEmpty();
			assertThat(newStartupCheckThreads()).isEmpty();
			assertThat(context.getBean(EndpointDiagnostics.class).last()).isEmpty();
			assertThat(this.primary.requestCount()).isZero();
			assertThat(startupLines(output)).isEmpty();
		}
	}

	private SpringApplicationBuilder application() {
		return new SpringApplicationBuilder(TestApplication.class).web(WebApplicationType.NONE)
			.properties("otel.export.protocol=http/protobuf", "otel.export.endpoint=" + this.primary.httpEndpoint(),
					"otel.export.fallback.endpoint=" + this.fallbackEndpoint, "otel.export.timeout=2s",
					"otel.export.connect-timeout=1s");
	}

	private static ApplicationReadyEvent ready() {
		return new ApplicationReadyEvent(new SpringApplication(), new String[0], new GenericApplicationContext(),
				Duration.ZERO);
	}

	private static List<String> startupLines(CapturedOutput output) {
		return output.getAll().lines().filter((line) -> line.contains(LOG_PREFIX)).toList();
	}

	private Set<Thread> newStartupCheckThreads() {
		Set<Thread> threads = startupCheckThreads();
		threads.removeAll(this.threadsBefore);
		return threads;
	}

	private static Set<Thread> startupCheckThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.isAlive() && THREAD_NAME.equals(thread.getName()))
			.collect(Collectors.toSet());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
