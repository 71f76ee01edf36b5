package io.github.otelexport.export.transport;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.net.ssl.SSLException;

import io.github.otelexport.export.TestTime;
import io.github.otelexport.testkit.OtlpReceiver;
import io.github.otelexport.testkit.OtlpReceiverExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.github.otelexport.export.transport.TransportTestSupport.failure;
import static io.github.otelexport.export.transport.TransportTestSupport.response;
import static io.github.otelexport.export.transport.TransportTestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both transports over TLS and mutual TLS, with the testkit's generated CA.
 *
 * @author otel-export authors
 */
class TransportTlsTests {

	private final List<OtlpTransport> transports = new ArrayList<>();

	@AfterEach
	void closeTransports() {
		this.transports.forEach(OtlpTransport::close);
	}

	OtlpResponse send(Protocol protocol, OtlpReceiver receiver, TlsSettings tls) throws Exception {
		return response(open(protocol, receiver, tls).send(TestRequests.spans(2)));
	}

	Throwable fail(Protocol protocol, OtlpReceiver receiver, TlsSettings tls) throws Exception {
		return failure(open(protocol, receiver, tls).send(TestRequests.spans(2)));
	}

	private OtlpTransport open(Protocol protocol, OtlpReceiver receiver, TlsSettings tls) {
		OtlpTransport transport = protocol.open(
				settings(protocol.endpoint.apply(receiver), TransportTestSupport.TIMEOUT, false, tls), new TestTime());
		this.transports.add(transport);
		return transport;
	}

	@Nested
	class ServerTls {

		@RegisterExtension
		static final OtlpReceiverExtension receiver = OtlpReceiverExtension.tls();

		@ParameterizedTest
		@EnumSource
		void trustingTheCaReachesTheServer(Protocol protocol, OtlpReceiver receiver) throws Exception {
			assertThat(send(protocol, receiver, TlsSettings.pem(receiver.caCertificatePem(), null, null)).isSuccess())
				.isTrue();
			assertThat(receiver.spanCount()).isEqualTo(2);
		}

		@ParameterizedTest
		@EnumSource
		void jvmTrustRefusesTheTestCa(Protocol protocol, OtlpReceiver receiver) throws Exception {
			assertThat(fail(protocol, receiver, TlsSettings.none())).isInstanceOf(SSLException.class);
			assertThat(receiver.requestCount()).isZero();
		}

		@ParameterizedTest
		@EnumSource
		void untrustedCertificateFailsTheHandshake(Protocol protocol, OtlpReceiver receiver) throws Exception {
			receiver.presentUntrustedCertificate();
			assertThat(fail(protocol, receiver, TlsSettings.pem(receiver.caCertificatePem(), null, null)))
				.isInstanceOf(SSLException.class);
		}

		@ParameterizedTest
		@EnumSource
		void insecureSkipVerifyTrustsAnyCertificate(Protocol protocol, OtlpReceiver receiver) throws Exception {
			receiver.presentUntrustedCertificate();
			assertThat(send(protocol, receiver, TlsSettings.insecure()).isSuccess()).isTrue();
		}

	}

	@Nested
	class MutualTls {

		@RegisterExtension
		static final OtlpReceiverExtension receiver = OtlpReceiverExtension.mutualTls();

		@ParameterizedTest
		@EnumSource
		void clientCertificateIsPresented(Protocol protocol, OtlpReceiver receiver) throws Exception {
			TlsSettings tls = TlsSettings.pem(receiver.caCertificatePem(), receiver.clientKeyPem(),
					receiver.clientCertificatePem());
			assertThat(send(protocol, receiver, tls).isSuccess()).isTrue();
			assertThat(receiver.spanCount()).isEqualTo(2);
		}

	}

	enum Protocol {

		GRPC(OtlpReceiver::grpcEndpoint), HTTP_PROTOBUF(OtlpReceiver::httpEndpoint);

		private final Function<OtlpReceiver, String> endpoint;

		Protocol(Function<OtlpReceiver, String> endpoint) {
			this.endpoint = endpoint;
		}

		OtlpTransport open(TransportSettings settings, Clock clock) {
			return (this == GRPC) ? OtlpTransport.grpc(settings) : OtlpTransport.httpProtobuf(settings, clock);
		}

	}

}
