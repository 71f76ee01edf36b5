package io.github.otelexport.autoconfigure;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.github.otelexport.diagnose.EndpointDiagnosis;
import io.github.otelexport.diagnose.EndpointProber;
import io.github.otelexport.diagnose.ProbeStep;
import io.github.otelexport.diagnose.ProbeTarget;
import io.github.otelexport.export.ExportErrorClassifier;
import io.github.otelexport.export.ExporterSettings;
import io.github.otelexport.export.OtlpTransports;
import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.export.transport.TlsSettings;
import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.stats.ExportErrorCategory;
import io.github.otelexport.stats.ExportSnapshot;
import io.github.otelexport.stats.ExportStatistics;
import io.github.otelexport.testkit.OtlpReceiver;
import io.github.otelexport.testkit.ReceivedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static io.github.otelexport.autoconfigure.OtelExportAutoConfigurationTests.exportOneSpan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests that what {@code otel.export.*} says reaches a real OTLP receiver: headers,
 * compression and TLS, over gRPC and HTTP.
 *
 * @author otel-export authors
 */
@ExtendWith(OutputCaptureExtension.class)
class OtelExportTransportTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OtelExportAutoConfiguration.class,
				OtelExportSdkAutoConfiguration.class, SslAutoConfiguration.class))
		.withPropertyValues("otel.export.batch.schedule-delay=50ms", "otel.export.retry.enabled=false",
				"otel.export.timeout=5s");

	@ParameterizedTest
	@ValueSource(strings = { "grpc", "http/protobuf" })
	void headersArrive(String protocol) {
		try (OtlpReceiver receiver = OtlpReceiver.start()) {
			receiver.requireHeader("x-api-key", "s3cret");
			this.runner
				.withPropertyValues(destination(receiver, protocol), "otel.export.protocol=" + protocol,
						"otel.export.headers.x-api-key=s3cret", "otel.export.headers.x-tenant=acme")
				.run((context) -> {
					exportOneSpan(context);
					await().atMost(WAIT).until(() -> receiver.spanCount() == 1);
					ReceivedRequest request = receiver.requests().get(0);
					assertThat(request.accepted()).isTrue();
					assertThat(request.header("x-tenant")).isEqualTo("acme");
				});
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "grpc", "http/protobuf" })
	void gzipArrivesCompressed(String protocol) {
		try (OtlpReceiver receiver = OtlpReceiver.start()) {
			this.runner
				.withPropertyValues(destination(receiver, protocol), "otel.export.protocol=" + protocol,
						"otel.export.compression=gzip")
				.run((context) -> {
					exportOneSpan(context);
					await().atMost(WAIT).until(() -> receiver.spanCount() == 1);
					assertThat(receiver.requests().get(0).gzip()).isTrue();
				});
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "grpc", "http/protobuf" })
	void tlsWithCaFile(String protocol) {
		try (OtlpReceiver receiver = OtlpReceiver.builder().tls().build()) {
			this.runner
				.withPropertyValues(destination(receiver, protocol), "otel.export.protocol=" + protocol,
						"otel.export.tls.ca-file=" + receiver.caCertificateFile())
				.run((context) -> {
					exportOneSpan(context);
					await().atMost(WAIT).until(() -> receiver.spanCount() == 1);
				});
		}
	}

	/**
	 * TLS files are resource locations, as in Spring Boot's SSL bundles.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "file:", "classpath:" })
	void mutualTlsWithPemResourceLocations(String prefix, @TempDir Path classpath) throws IOException {
		try (OtlpReceiver receiver = OtlpReceiver.builder().mutualTls().build();
				URLClassLoader classLoader = new URLClassLoader(new URL[] { classpath.toUri().toURL() },
						getClass().getClassLoader())) {
			Files.copy(receiver.caCertificateFile(), classpath.resolve("ca.pem"));
			Files.copy(receiver.clientCertificateFile(), classpath.resolve("client.pem"));
			Files.copy(receiver.clientKeyFile(), classpath.resolve("client.key"));
			String directory = "file:".equals(prefix) ? "file:" + classpath.toAbsolutePath() + "/" : "classpath:";
			this.runner.withClassLoader(classLoader)
				.withPropertyValues("otel.export.endpoint=" + receiver.grpcEndpoint(),
						"otel.export.tls.ca-file=" + directory + "ca.pem",
						"otel.export.tls.client-certificate=" + directory + "client.pem",
						"otel.export.tls.client-key=" + directory + "client.key")
				.run((context) -> {
					exportOneSpan(context);
					await().atMost(WAIT).until(() -> receiver.spanCount() == 1);
				});
		}
	}

	@Test
	void missingClasspathResourceFailsStartupNamingTheProperty() {
		this.runner.withPropertyValues("otel.export.tls.ca-file=classpath:no-such-ca.pem").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOfSatisfying(InvalidOtelExportConfigurationException.class, (ex) -> {
					assertThat(ex.getProperty()).isEqualTo("otel.export.tls.ca-file");
					assertThat(ex.getValue()).isEqualTo("classpath:no-such-ca.pem");
					assertThat(ex.getReason()).isEqualTo("the file does not exist");
				});
		});
	}

	@Test
	void tlsWithSslBundle() {
		try (OtlpReceiver receiver = OtlpReceiver.builder().tls().build()) {
			this.runner
				.withPropertyValues("otel.export.endpoint=" + receiver.grpcEndpoint(), "otel.export.tls.bundle=otlp",
						"spring.ssl.bundle.pem.otlp.truststore.certificate=" + receiver.caCertificateFile())
				.run((context) -> {
					exportOneSpan(context);
					await().atMost(WAIT).until(() -> receiver.spanCount() == 1);
				});
		}
	}

	@Test
	void mutualTlsWithSslBundle() {
		try (OtlpReceiver receiver = OtlpReceiver.builder().mutualTls().build()) {
			this.runner
				.withPropertyValues("otel.export.endpoint=" + receiver.grpcEndpoint(), "otel.export.tls.bundle=otlp",
						"spring.ssl.bundle.pem.otlp.truststore.certificate=" + receiver.caCertificateFile(),
						"spring.ssl.bundle.pem.otlp.keystore.certificate=" + receiver.clientCertificateFile(),
						"spring.ssl.bundle.pem.otlp.keystore.private-key=" + receiver.clientKeyFile())
				.run((context) -> {
					exportOneSpan(context);
					await().atMost(WAIT).until(() -> receiver.spanCount() == 1);
				});
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "grpc", "http/protobuf" })
	void mutualTlsWithPemFiles(String protocol) {
		try (OtlpReceiver receiver = OtlpReceiver.builder().mutualTls().build()) {
			this.runner
				.withPropertyValues(destination(receiver, protocol), "otel.export.protocol=" + protocol,
						"otel.export.tls.ca-file=" + receiver.caCertificateFile(),
						"otel.export.tls.client-certificate=" + receiver.clientCertificateFile(),
						"otel.export.tls.client-key=" + receiver.clientKeyFile())
				.run((context) -> {
					exportOneSpan(context);
					await().atMost(WAIT).until(() -> receiver.spanCount() == 1);
				});
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "grpc", "http/protobuf" })
	void untrustedServerFailsAsTls(String protocol) {
		try (OtlpReceiver receiver = OtlpReceiver.builder().tls().build()) {
			this.runner.withPropertyValues(destination(receiver, protocol), "otel.export.protocol=" + protocol)
				.run((context) -> {
					exportOneSpan(context);
					ExportStatistics statistics = context.getBean(ExportStatistics.class);
					await().atMost(WAIT)
						.until(() -> statistics.snapshot().errorsByCategory().containsKey(ExportErrorCategory.TLS));
					assertThat(receiver.spanCount()).isZero();
				});
		}
	}

	@Test
	void insecureSkipVerifyTrustsAnyServerWithALoudWarning(CapturedOutput output) {
		try (OtlpReceiver receiver = OtlpReceiver.builder().tls().build()) {
			this.runner
				.withPropertyValues("otel.export.endpoint=" + receiver.grpcEndpoint(),
						"otel.export.tls.insecure-skip-verify=true")
				.run((context) -> {
					assertThat(output).contains("otel.export.tls.insecure-skip-verify=true")
						.contains("NOT verified")
						.contains("The host name is still checked")
						.contains("otel.export.tls.ca-file");
					exportOneSpan(context);
					await().atMost(WAIT).until(() -> receiver.spanCount() == 1);
				});
		}
	}

	/**
	 * Neither sender checks the host name less with insecure-skip-verify: OkHttp (gRPC)
	 * checks it after the handshake whatever the trust manager, the JDK HttpClient
	 * (http/protobuf) asks the JDK for it in the handshake. So insecure-skip-verify
	 * cannot reach a server whose certificate does not name the endpoint's host, over
	 * either protocol; the failure says so.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "grpc", "http/protobuf" })
	void insecureSkipVerifyStillChecksTheHostName(String protocol) {
		try (OtlpReceiver receiver = OtlpReceiver.builder().tls().build();
				LoopbackAliasRelay relay = LoopbackAliasRelay
					.to("grpc".equals(protocol) ? receiver.grpcPort() : receiver.httpPort())) {
			String endpoint = "https://" + LoopbackAliasRelay.ADDRESS + ":" + relay.port()
					+ ("grpc".equals(protocol) ? "" : "/v1/traces");
			this.runner
				.withPropertyValues("otel.export.endpoint=" + endpoint, "otel.export.protocol=" + protocol,
						"otel.export.tls.insecure-skip-verify=true")
				.run((context) -> {
					exportOneSpan(context);
					ExportStatistics statistics = context.getBean(ExportStatistics.class);
					await().atMost(WAIT).until(() -> statistics.snapshot().lastError() != null);
					ExportSnapshot.RecentError failure = statistics.snapshot().lastError();
					assertThat(failure.category()).isEqualTo(ExportErrorCategory.TLS);
					assertThat(failure.message()).contains("does not name the host " + LoopbackAliasRelay.ADDRESS)
						.contains("insecure-skip-verify");
					assertThat(receiver.spanCount()).isZero();
				});
		}
	}

	/**
	 * The diagnosis fails where the export would: its TLS step checks the host name even
	 * with insecure-skip-verify, as the SDK's exporters do.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "grpc", "http/protobuf" })
	void diagnosisWithInsecureSkipVerifyStillChecksTheHostName(String protocol) {
		try (OtlpReceiver receiver = OtlpReceiver.builder().tls().build();
				LoopbackAliasRelay relay = LoopbackAliasRelay
					.to("grpc".equals(protocol) ? receiver.grpcPort() : receiver.httpPort())) {
			OtlpProtocol otlpProtocol = "grpc".equals(protocol) ? OtlpProtocol.GRPC : OtlpProtocol.HTTP_PROTOBUF;
			ExporterSettings settings = ExporterSettings
				.of(DestinationRole.PRIMARY, otlpProtocol,
						"https://" + LoopbackAliasRelay.ADDRESS + ":" + relay.port()
								+ ("grpc".equals(protocol) ? "" : "/v1/traces"))
				.withTimeout(Duration.ofSeconds(2))
				.withTls(TlsSettings.insecure());
			EndpointDiagnosis diagnosis = new EndpointProber(Duration.ofSeconds(5), new ExportErrorClassifier())
				.probe(ProbeTarget.of(settings, () -> OtlpTransports.create(settings)));
			ProbeStep tls = diagnosis.failedStep().orElseThrow();
			assertThat(tls.name()).isEqualTo("tls");
			assertThat(tls.category()).isEqualTo(ExportErrorCategory.TLS);
			assertThat(receiver.spanCount()).isZero();
		}
	}

	@Test
	void headerValuesAreNeverLogged(CapturedOutput output) {
		try (OtlpReceiver receiver = OtlpReceiver.start()) {
			receiver.requireHeader("x-api-key", "right");
			this.runner
				.withPropertyValues("otel.export.endpoint=" + receiver.grpcEndpoint(),
						"otel.export.headers.x-api-key=wrong-s3cret", "otel.export.debug.enabled=true")
				.run((context) -> {
					exportOneSpan(context);
					ExportStatistics statistics = context.getBean(ExportStatistics.class);
					await().atMost(WAIT)
						.until(() -> statistics.snapshot()
							.errorsByCategory()
							.containsKey(ExportErrorCategory.UNAUTHENTICATED));
					assertThat(output).contains("Span test-span").doesNotContain("wrong-s3cret");
					assertThat(context.getBean(OtelExportDestinations.class).toString()).doesNotContain("wrong-s3cret");
				});
		}
	}

	private static String destination(OtlpReceiver receiver, String protocol) {
		return "otel.export.endpoint=" + ("grpc".equals(protocol) ? receiver.grpcEndpoint() : receiver.httpEndpoint());
	}

}
