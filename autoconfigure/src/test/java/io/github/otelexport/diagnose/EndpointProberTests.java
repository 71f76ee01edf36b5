package io.github.otelexport.diagnose;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpServer;
import io.github.otelexport.export.Compression;
import io.github.otelexport.export.ExportErrorClassifier;
import io.github.otelexport.export.ExporterSettings;
import io.github.otelexport.export.OtlpTransports;
import io.github.otelexport.export.SecretEcho;
import io.github.otelexport.export.transport.OtlpProtocol;
import io.github.otelexport.export.transport.OtlpResponse;
import io.github.otelexport.export.transport.OtlpTransport;
import io.github.otelexport.export.transport.Signal;
import io.github.otelexport.export.transport.TlsSettings;
import io.github.otelexport.stats.DestinationRole;
import io.github.otelexport.stats.ExportErrorCategory;
import io.github.otelexport.testkit.OtlpReceiver;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link EndpointProber} against real loopback servers.
 *
 * @author otel-export authors
 */
class EndpointProberTests {

	private final EndpointProber prober = new EndpointProber(Duration.ofSeconds(5), new ExportErrorClassifier());

	private final EndpointProber impatientProber = new EndpointProber(Duration.ofMillis(300),
			new ExportErrorClassifier());

	private final List<AutoCloseable> closeables = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
	}

	@Test
	void allStepsPassAgainstAnOtlpHttpServer() throws IOException {
		int port = httpServer(200);
		String endpoint = "http://127.0.0.1:" + port + "/v1/traces";
		EndpointDiagnosis diagnosis = this.prober
			.probe(new ProbeTarget(DestinationRole.PRIMARY, endpoint, null, true, http(endpoint)));
		assertThat(diagnosis.ok()).isTrue();
		assertThat(diagnosis.steps()).extracting(ProbeStep::name).containsExactly("dns", "tcp", "tls", "otlp");
		assertThat(diagnosis.steps()).extracting(ProbeStep::outcome)
			.containsExactly(ProbeStep.Outcome.OK, ProbeStep.Outcome.OK, ProbeStep.Outcome.SKIPPED,
					ProbeStep.Outcome.OK);
		assertThat(diagnosis.summary())
			.startsWith("primary endpoint " + endpoint + " (otel.export.endpoint): OK (dns ");
	}

	@Test
	void refusedConnectionFailsTheTcpStepAndSkipsTheRest() throws IOException {
		int port = freePort();
		EndpointDiagnosis diagnosis = this.prober
			.probe(new ProbeTarget(DestinationRole.PRIMARY, "http://127.0.0.1:" + port, null, true, failIfCalled()));
		assertThat(diagnosis.ok()).isFalse();
		ProbeStep tcp = diagnosis.failedStep().orElseThrow();
		assertThat(tcp.name()).isEqualTo("tcp");
		assertThat(tcp.category()).isEqualTo(ExportErrorCategory.CONNECTION_REFUSED);
		assertThat(tcp.hint()).isEqualTo(ExportErrorCategory.CONNECTION_REFUSED.hint(DestinationRole.PRIMARY));
		assertThat(diagnosis.steps()).extracting(ProbeStep::outcome)
			.containsExactly(ProbeStep.Outcome.OK, ProbeStep.Outcome.FAILED, ProbeStep.Outcome.SKIPPED,
					ProbeStep.Outcome.SKIPPED);
		assertThat(diagnosis.summary()).contains("CONNECTION_REFUSED at the tcp step")
			.endsWith(ExportErrorCategory.CONNECTION_REFUSED.hint(DestinationRole.PRIMARY));
	}

	@Test
	void unresolvableHostFailsTheDnsStep() {
		EndpointDiagnosis diagnosis = this.prober.probe(new ProbeTarget(DestinationRole.FALLBACK,
				"http://no-such-host.invalid:4317", null, true, failIfCalled()));
		ProbeStep dns = diagnosis.failedStep().orElseThrow();
		assertThat(dns.name()).isEqualTo("dns");
		assertThat(dns.category()).isEqualTo(ExportErrorCategory.UNKNOWN_HOST);
		assertThat(diagnosis.role()).isEqualTo(DestinationRole.FALLBACK);
		// the fallback's property, not the primary's
		assertThat(dns.hint()).contains("check the spelling of otel.export.fallback.endpoint")
			.isEqualTo(ExportErrorCategory.UNKNOWN_HOST.hint(DestinationRole.FALLBACK));
		assertThat(diagnosis.summary())
			.startsWith("fallback endpoint http://no-such-host.invalid:4317 (otel.export.fallback.endpoint): "
					+ "UNKNOWN_HOST at the dns step")
			.endsWith(dns.hint());
	}

	@Test
	void urlWithoutHttpSchemeIsAnInvalidEndpoint() {
		EndpointDiagnosis diagnosis = this.prober
			.probe(new ProbeTarget(DestinationRole.PRIMARY, "grpc://collector:4317", null, true, failIfCalled()));
		assertThat(diagnosis.failedStep().orElseThrow().category()).isEqualTo(ExportErrorCategory.INVALID_ENDPOINT);
	}

	@Test
	void httpsToAPlaintextServerFailsTheTlsStep() throws IOException {
		int port = rawServer((socket) -> write(socket, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"));
		EndpointDiagnosis diagnosis = this.prober
			.probe(new ProbeTarget(DestinationRole.PRIMARY, "https://localhost:" + port, null, true, failIfCalled()));
		ProbeStep tls = diagnosis.failedStep().orElseThrow();
		assertThat(tls.name()).isEqualTo("tls");
		assertThat(tls.category()).isEqualTo(ExportErrorCategory.TLS);
	}

	@Test
	void silentServerExceedsTheTlsStepBudget() throws IOException {
		int port = rawServer((socket) -> {
		});
		EndpointDiagnosis diagnosis = this.impatientProber
			.probe(new ProbeTarget(DestinationRole.PRIMARY, "https://localhost:" + port, null, true, failIfCalled()));
		ProbeStep tls = diagnosis.failedStep().orElseThrow();
		assertThat(tls.name()).isEqualTo("tls");
		assertThat(tls.category()).isEqualTo(ExportErrorCategory.DEADLINE_EXCEEDED);
		assertThat(tls.duration()).isLessThan(Duration.ofSeconds(5));
	}

	@Test
	void tlsStepTrustsTheCertificatesTheExporterIsGiven() {
		try (OtlpReceiver receiver = OtlpReceiver.builder().tls().build()) {
			ExporterSettings trusted = ExporterSettings
				.of(DestinationRole.PRIMARY, OtlpProtocol.HTTP_PROTOBUF, receiver.httpEndpoint())
				.withTimeout(Duration.ofSeconds(2))
				.withTls(TlsSettings.pem(receiver.caCertificatePem(), null, null));
			EndpointDiagnosis diagnosis = this.prober
				.probe(ProbeTarget.of(trusted, () -> OtlpTransports.create(trusted)));
			assertThat(diagnosis.steps()).extracting(ProbeStep::outcome)
				.containsExactly(ProbeStep.Outcome.OK, ProbeStep.Outcome.OK, ProbeStep.Outcome.OK,
						ProbeStep.Outcome.OK);
			ExporterSettings untrusted = ExporterSettings.of(DestinationRole.PRIMARY, OtlpProtocol.HTTP_PROTOBUF,
					receiver.httpEndpoint());
			ProbeStep tls = this.prober.probe(ProbeTarget.of(untrusted, failIfCalled())).failedStep().orElseThrow();
			assertThat(tls.name()).isEqualTo("tls");
			assertThat(tls.category()).isEqualTo(ExportErrorCategory.TLS);
		}
	}

	@ParameterizedTest
	@EnumSource(SecretEcho.class)
	void echoedHeaderValueIsMaskedInTheDiagnosis(SecretEcho echo) {
		String key = "Wrong/S3cret+Key";
		try (OtlpReceiver receiver = OtlpReceiver.start()) {
			// the receiver's UNAUTHENTICATED description echoes the value it refused
			receiver.requireHeader("x-api-key", "right-key", echo);
			ExporterSettings settings = ExporterSettings
				.of(DestinationRole.PRIMARY, OtlpProtocol.GRPC, receiver.grpcEndpoint())
				.withHeaders(Map.of("x-api-key", key))
				.withTimeout(Duration.ofSeconds(2));
			EndpointProber redacting = new EndpointProber(Duration.ofSeconds(5),
					ExportErrorClassifier.redacting(settings.headers().values()));
			EndpointDiagnosis diagnosis = redacting
				.probe(ProbeTarget.of(settings, () -> OtlpTransports.create(settings)));
			ProbeStep otlp = diagnosis.failedStep().orElseThrow();
			assertThat(otlp.name()).isEqualTo("otlp");
			assertThat(otlp.category()).isEqualTo(ExportErrorCategory.UNAUTHENTICATED);
			assertThat(otlp.detail()).contains("not accepted: '******'");
			List<String> texts = new ArrayList<>();
			texts.add(otlp.detail());
			texts.add(diagnosis.summary());
			assertThat(texts).allSatisfy((text) -> {
				assertThat(text.toLowerCase(Locale.ROOT)).doesNotContain("s3cret");
				assertThat(SecretEcho.formsOf(key)).allSatisfy((form) -> assertThat(text).doesNotContain(form));
			});
		}
	}

	@Test
	void httpProtobufToAPortThatSpeaksOnlyHttp2SaysWhichProtocolToSet() {
		try (OtlpReceiver receiver = OtlpReceiver.start()) {
			ExporterSettings settings = ExporterSettings
				.of(DestinationRole.PRIMARY, OtlpProtocol.HTTP_PROTOBUF,
						"http://127.0.0.1:" + receiver.grpcPort() + "/v1/traces")
				.withTimeout(Duration.ofSeconds(2));
			ProbeTarget target = ProbeTarget.of(settings, () -> OtlpTransports.create(settings));
			try {
				ProbeStep otlp = this.prober.probe(target).failedStep().orElseThrow();
				assertThat(otlp.name()).isEqualTo("otlp");
				assertThat(otlp.category()).isEqualTo(ExportErrorCategory.INVALID_ENDPOINT);
				assertThat(otlp.detail()).startsWith("The port speaks HTTP/2 only")
					.contains("set otel.export.protocol=grpc");
			}
			finally {
				target.close();
			}
		}
	}

	@Test
	void aPortThatSpeaksHttp1IsNotTakenForAGrpcPort() throws IOException {
		int port = httpServer(503);
		String endpoint = "http://127.0.0.1:" + port + "/v1/traces";
		ProbeStep otlp = this.prober
			.probe(new ProbeTarget(DestinationRole.PRIMARY, endpoint, null, true, http(endpoint)))
			.failedStep()
			.orElseThrow();
		assertThat(otlp.category()).isEqualTo(ExportErrorCategory.UNAVAILABLE);
		assertThat(otlp.detail()).doesNotContain("HTTP/2");
	}

	@Test
	void aGrpcPortThatAnswersIsNotTakenForAnHttp2OnlyPort() {
		// a gRPC client to a gRPC port that refuses the credentials: an answer, so no
		// protocol hint even though the port speaks HTTP/2 only
		try (OtlpReceiver receiver = OtlpReceiver.start()) {
			receiver.requireHeader("x-api-key", "right");
			ExporterSettings settings = ExporterSettings
				.of(DestinationRole.PRIMARY, OtlpProtocol.GRPC, receiver.grpcEndpoint())
				.withTimeout(Duration.ofSeconds(2));
			ProbeTarget target = ProbeTarget.of(settings, () -> OtlpTransports.create(settings));
			try {
				ProbeStep otlp = this.prober.probe(target).failedStep().orElseThrow();
				assertThat(otlp.category()).isEqualTo(ExportErrorCategory.UNAUTHENTICATED);
				assertThat(otlp.detail()).doesNotContain("HTTP/2 only");
			}
			finally {
				target.close();
			}
		}
	}

	@Test
	void rejectedCredentialsFailTheOtlpStep() throws IOException {
		int port = httpServer(401);
		String endpoint = "http://127.0.0.1:" + port + "/v1/traces";
		EndpointDiagnosis diagnosis = this.prober
			.probe(new ProbeTarget(DestinationRole.PRIMARY, endpoint, null, true, http(endpoint)));
		ProbeStep otlp = diagnosis.failedStep().orElseThrow();
		assertThat(otlp.name()).isEqualTo("otlp");
		assertThat(otlp.category()).isEqualTo(ExportErrorCategory.UNAUTHENTICATED);
		assertThat(otlp.detail()).contains("401");
		assertThat(otlp.hint()).startsWith("Check otel.export.headers ");
	}

	@Test
	void rejectedCredentialsOfAFallbackThatInheritsHeadersNameThePrimarysHeaders() throws IOException {
		int port = httpServer(401);
		ExporterSettings settings = new ExporterSettings(DestinationRole.FALLBACK, OtlpProtocol.HTTP_PROTOBUF,
				"http://127.0.0.1:" + port + "/v1/traces", Map.of("x-api-key", "k1"), "OTEL_EXPORTER_OTLP_HEADERS",
				Duration.ofSeconds(2), Duration.ofSeconds(2), Compression.NONE, TlsSettings.none());
		EndpointDiagnosis diagnosis = this.prober
			.probe(ProbeTarget.of(settings, () -> OtlpTransports.create(settings)));
		ProbeStep otlp = diagnosis.failedStep().orElseThrow();
		assertThat(otlp.category()).isEqualTo(ExportErrorCategory.UNAUTHENTICATED);
		assertThat(otlp.hint()).startsWith("Check OTEL_EXPORTER_OTLP_HEADERS ")
			.isEqualTo(ExportErrorCategory.UNAUTHENTICATED.hint(settings.description()));
		assertThat(diagnosis.summary()).contains(otlp.hint());
	}

	@Test
	void transportThatNeverAnswersExceedsTheOtlpStepBudgetAndItsAttemptIsCancelled() throws IOException {
		int port = httpServer(200);
		CompletableFuture<OtlpResponse> attempt = new CompletableFuture<>();
		OtlpTransport silent = new OtlpTransport() {

			@Override
			public CompletableFuture<OtlpResponse> send(Signal signal, byte[] request) {
				return attempt;
			}

			@Override
			public void close() {
				throw new AssertionError("The diagnosis's transport is reused, never closed by the prober");
			}

		};
		EndpointDiagnosis diagnosis = this.impatientProber
			.probe(new ProbeTarget(DestinationRole.PRIMARY, "http://127.0.0.1:" + port, null, true, () -> silent));
		assertThat(diagnosis.failedStep().orElseThrow().category()).isEqualTo(ExportErrorCategory.DEADLINE_EXCEEDED);
		assertThat(attempt).isCancelled();
	}

	@Test
	void credentialsInTheUrlAreNeverShown() throws IOException {
		int port = freePort();
		EndpointDiagnosis diagnosis = this.prober.probe(new ProbeTarget(DestinationRole.PRIMARY,
				"http://user:s3cr3t@127.0.0.1:" + port, null, true, failIfCalled()));
		assertThat(diagnosis.endpoint()).isEqualTo("http://127.0.0.1:" + port);
		assertThat(diagnosis.toString()).doesNotContain("s3cr3t");
		assertThat(diagnosis.summary()).doesNotContain("s3cr3t");
	}

	private int httpServer(int status) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		server.createContext("/", (exchange) -> {
			exchange.getRequestBody().readAllBytes();
			exchange.sendResponseHeaders(status, -1);
			exchange.close();
		});
		server.start();
		this.closeables.add(() -> server.stop(0));
		return server.getAddress().getPort();
	}

	private int rawServer(Consumer<Socket> onAccept) throws IOException {
		ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.closeables.add(server);
		Thread acceptor = new Thread(() -> {
			while (!server.isClosed()) {
				try {
					Socket socket = server.accept();
					this.closeables.add(socket);
					onAccept.accept(socket);
				}
				catch (IOException ex) {
					return;
				}
			}
		}, "raw-server");
		acceptor.setDaemon(true);
		acceptor.start();
		return server.getLocalPort();
	}

	private static void write(Socket socket, String text) {
		try {
			OutputStream out = socket.getOutputStream();
			out.write(text.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			socket.close();
		}
		catch (IOException ex) {
			// The client gave up first
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static Supplier<OtlpTransport> http(String endpoint) {
		return () -> OtlpTransports
			.create(ExporterSettings.of(DestinationRole.PRIMARY, OtlpProtocol.HTTP_PROTOBUF, endpoint)
				.withTimeout(Duration.ofSeconds(2)));
	}

	private static Supplier<OtlpTransport> failIfCalled() {
		return () -> {
			throw new AssertionError("The OTLP step must be skipped");
		};
	}

}
