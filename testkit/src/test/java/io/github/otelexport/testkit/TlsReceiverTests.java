package io.github.otelexport.testkit;

import java.io.IOException;
import java.nio.file.Files;
import javax.net.ssl.SSLHandshakeException;

import io.grpc.ChannelCredentials;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for TLS and mutual TLS on both ports of {@link OtlpReceiver}.
 *
 * @author otel-export authors
 */
class TlsReceiverTests {

	@Test
	void endpointsUseHttpsAndCertificatesArePem() throws IOException {
		try (OtlpReceiver receiver = OtlpReceiver.builder().tls().build()) {
			assertThat(receiver.isTls()).isTrue();
			assertThat(receiver.grpcEndpoint()).startsWith("https://127.0.0.1:");
			assertThat(receiver.httpEndpoint()).startsWith("https://127.0.0.1:").endsWith("/v1/traces");
			assertThat(new String(receiver.caCertificatePem())).startsWith("-----BEGIN CERTIFICATE-----");
			assertThat(Files.readAllBytes(receiver.caCertificateFile())).isEqualTo(receiver.caCertificatePem());
			assertThat(Files.readString(receiver.clientKeyFile())).startsWith("-----BEGIN PRIVATE KEY-----");
			assertThat(Files.readAllBytes(receiver.clientCertificateFile())).isEqualTo(receiver.clientCertificatePem());
		}
	}

	@Test
	void certificateFilesAreDeletedOnClose() {
		OtlpReceiver receiver = OtlpReceiver.builder().tls().build();
		receiver.close();
		assertThat(receiver.caCertificateFile()).doesNotExist();
		assertThat(receiver.clientKeyFile()).doesNotExist();
	}

	@Test
	void plaintextReceiverHasNoCertificates() {
		try (OtlpReceiver receiver = OtlpReceiver.start()) {
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(receiver::caCertificatePem)
				.withMessageContaining("tls()");
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(receiver::caCertificateFile);
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(receiver::clientCertificateFile);
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(receiver::clientKeyFile);
		}
	}

	@Test
	void httpClientTrustingCaSucceeds() throws Exception {
		try (OtlpReceiver receiver = OtlpReceiver.builder().tls().build()) {
			HttpExport client = new HttpExport(TlsClients.trusting(receiver.caCertificatePem()));
			assertThat(client.export(receiver.httpEndpoint(), TestSpans.request(2)).statusCode()).isEqualTo(200);
			assertThat(receiver.spanCount()).isEqualTo(2);
		}
	}

	@Test
	void httpClientNotTrustingCaFailsHandshake() throws Exception {
		try (OtlpReceiver receiver = OtlpReceiver.builder().tls().build()) {
			HttpExport client = new HttpExport(TlsClients.defaultTrust());
			assertThatExceptionOfType(SSLHandshakeException.class)
				.isThrownBy(() -> client.export(receiver.httpEndpoint(), TestSpans.request(1)));
			assertThat(receiver.requestCount()).isZero();
		}
	}

	@Test
	void grpcClientTrustingCaSucceeds() throws Exception {
		try (OtlpReceiver receiver = OtlpReceiver.builder().tls().build();
				GrpcExport client = new GrpcExport(receiver.grpcPort(), trusting(receiver))) {
			client.export(TestSpans.request(2));
			assertThat(receiver.spanCount()).isEqualTo(2);
		}
	}

	@Test
	void grpcClientNotTrustingCaFailsHandshake() throws Exception {
		try (OtlpReceiver receiver = OtlpReceiver.builder().tls().build();
				GrpcExport client = new GrpcExport(receiver.grpcPort(), TlsChannelCredentials.create())) {
			assertThatExceptionOfType(StatusRuntimeException.class)
				.isThrownBy(() -> client.export(TestSpans.request(1)))
				.satisfies((ex) -> {
					assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
					assertThat(ex).hasCauseInstanceOf(SSLHandshakeException.class);
				});
		}
	}

	@Test
	void mutualTlsHttpWithClientCertificateSucceeds() throws Exception {
		try (OtlpReceiver receiver = OtlpReceiver.builder().mutualTls().build()) {
			HttpExport client = new HttpExport(TlsClients.trustingWithClientCertificate(receiver.caCertificatePem(),
					receiver.clientCertificatePem(), receiver.clientKeyPem()));
			assertThat(client.export(receiver.httpEndpoint(), TestSpans.request(1)).statusCode()).isEqualTo(200);
			assertThat(receiver.spanCount()).isEqualTo(1);
		}
	}

	@Test
	void mutualTlsHttpWithoutClientCertificateFails() throws Exception {
		try (OtlpReceiver receiver = OtlpReceiver.builder().mutualTls().build()) {
			HttpExport client = new HttpExport(TlsClients.trusting(receiver.caCertificatePem()));
			assertThatExceptionOfType(IOException.class)
				.isThrownBy(() -> client.export(receiver.httpEndpoint(), TestSpans.request(1)));
			assertThat(receiver.requestCount()).isZero();
		}
	}

	@Test
	void mutualTlsGrpcWithClientCertificateSucceeds() throws Exception {
		try (OtlpReceiver receiver = OtlpReceiver.builder().mutualTls().build();
				GrpcExport client = new GrpcExport(receiver.grpcPort(),
						TlsChannelCredentials.newBuilder()
							.trustManager(receiver.caCertificateFile().toFile())
							.keyManager(receiver.clientCertificateFile().toFile(), receiver.clientKeyFile().toFile())
							.build())) {
			client.export(TestSpans.request(1));
			assertThat(receiver.spanCount()).isEqualTo(1);
		}
	}

	@Test
	void mutualTlsGrpcWithoutClientCertificateFails() throws Exception {
		try (OtlpReceiver receiver = OtlpReceiver.builder().mutualTls().build();
				GrpcExport client = new GrpcExport(receiver.grpcPort(), trusting(receiver))) {
			assertThatExceptionOfType(StatusRuntimeException.class)
				.isThrownBy(() -> client.export(TestSpans.request(1)))
				.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
			assertThat(receiver.requestCount()).isZero();
		}
	}

	@Test
	void faultsWorkOverTls() throws Exception {
		try (OtlpReceiver receiver = OtlpReceiver.builder().tls().build()) {
			HttpExport client = new HttpExport(TlsClients.trusting(receiver.caCertificatePem()));
			receiver.respondWithHttpStatus(503);
			assertThat(client.export(receiver.httpEndpoint(), TestSpans.request(1)).statusCode()).isEqualTo(503);
			receiver.resetConnections();
			assertThatExceptionOfType(IOException.class)
				.isThrownBy(() -> client.export(receiver.httpEndpoint(), TestSpans.request(1)));
		}
	}

	@Test
	void httpClientMeetsUntrustedCertificateUntilAccept() throws Exception {
		try (OtlpReceiver receiver = OtlpReceiver.builder().tls().build()) {
			HttpExport client = new HttpExport(TlsClients.trusting(receiver.caCertificatePem()));
			assertThat(client.export(receiver.httpEndpoint(), TestSpans.request(1)).statusCode()).isEqualTo(200);
			receiver.presentUntrustedCertificate();
			// the pooled connection is closed under the client, which may notice it late
			await().ignoreExceptionsMatching((ex) -> !(ex instanceof SSLHandshakeException))
				.until(() -> handshakeFails(client, receiver));
			assertThatExceptionOfType(SSLHandshakeException.class)
				.isThrownBy(() -> client.export(receiver.httpEndpoint(), TestSpans.request(1)))
				.withMessageContaining("PKIX path");
			assertThat(receiver.requestCount()).isEqualTo(1);
			receiver.accept();
			assertThat(client.export(receiver.httpEndpoint(), TestSpans.request(2)).statusCode()).isEqualTo(200);
			assertThat(receiver.spanCount()).isEqualTo(3);
		}
	}

	@Test
	void grpcClientMeetsUntrustedCertificateUntilAccept() throws Exception {
		try (OtlpReceiver receiver = OtlpReceiver.builder().tls().build();
				GrpcExport client = new GrpcExport(receiver.grpcPort(), trusting(receiver))) {
			client.export(TestSpans.request(1));
			receiver.presentUntrustedCertificate();
			await().until(() -> grpcHandshakeFails(client));
			assertThat(receiver.requestCount()).isEqualTo(1);
			receiver.accept();
			client.resetConnectBackoff();
			// until the channel has reconnected, calls fail fast with the last handshake
			// error
			await().ignoreException(StatusRuntimeException.class).until(() -> {
				client.export(TestSpans.request(2));
				return true;
			});
			assertThat(receiver.spanCount()).isEqualTo(3);
		}
	}

	@Test
	void anotherFaultReplacesTheUntrustedCertificate() throws Exception {
		try (OtlpReceiver receiver = OtlpReceiver.builder().tls().build()) {
			HttpExport client = new HttpExport(TlsClients.trusting(receiver.caCertificatePem()));
			receiver.presentUntrustedCertificate();
			assertThatExceptionOfType(SSLHandshakeException.class)
				.isThrownBy(() -> client.export(receiver.httpEndpoint(), TestSpans.request(1)));
			receiver.respondWithHttpStatus(503);
			assertThat(client.export(receiver.httpEndpoint(), TestSpans.request(1)).statusCode()).isEqualTo(503);
		}
	}

	@Test
	void plaintextReceiverCannotPresentUntrustedCertificate() {
		try (OtlpReceiver receiver = OtlpReceiver.start()) {
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(receiver::presentUntrustedCertificate)
				.withMessageContaining("tls()");
		}
	}

	private static boolean handshakeFails(HttpExport client, OtlpReceiver receiver) throws Exception {
		try {
			client.export(receiver.httpEndpoint(), TestSpans.request(1));
			return false;
		}
		catch (SSLHandshakeException ex) {
			return true;
		}
	}

	private static boolean grpcHandshakeFails(GrpcExport client) {
		try {
			client.export(TestSpans.request(1));
			return false;
		}
		catch (StatusRuntimeException ex) {
			// a call on the connection being closed fails too, without a handshake
			return ex.getStatus().getCode() == Status.Code.UNAVAILABLE
					&& ex.getCause() instanceof SSLHandshakeException;
		}
	}

	private static ChannelCredentials trusting(OtlpReceiver receiver) throws IOException {
		return TlsChannelCredentials.newBuilder().trustManager(receiver.caCertificateFile().toFile()).build();
	}

}
