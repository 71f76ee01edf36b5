package io.github.otelexport.testkit;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link OtlpReceiverExtension}.
 *
 * @author otel-export authors
 */
class OtlpReceiverExtensionTests {

	@Test
	void getOutsideTestFails() {
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> new OtlpReceiverExtension().get());
	}

	/**
	 * A static field shares one receiver across the class and resets it between tests.
	 */
	@Nested
	@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
	class PerClass {

		@RegisterExtension
		static OtlpReceiverExtension receiver = new OtlpReceiverExtension();

		static final List<Integer> ports = new ArrayList<>();

		@AfterAll
		static void sameReceiverForAllTests() {
			assertThat(ports).hasSize(2).containsOnly(ports.get(0));
		}

		@Test
		@Order(1)
		void first(OtlpReceiver injected) throws Exception {
			assertThat(injected).isSameAs(receiver.get());
			ports.add(injected.httpPort());
			new HttpExport().export(injected.httpEndpoint(), TestSpans.request(1));
			injected.respondWithHttpStatus(503);
			assertThat(injected.spanCount()).isEqualTo(1);
		}

		@Test
		@Order(2)
		void secondSeesClearedReceiver() throws Exception {
			OtlpReceiver receiver = PerClass.receiver.get();
			ports.add(receiver.httpPort());
			assertThat(receiver.requestCount()).isZero();
			assertThat(new HttpExport().export(receiver.httpEndpoint(), TestSpans.request(1)).statusCode())
				.isEqualTo(200);
		}

	}

	/**
	 * An instance field gives each test a fresh receiver, closed afterwards.
	 */
	@Nested
	class PerTest {

		static final List<OtlpReceiver> seen = new ArrayList<>();

		@RegisterExtension
		final OtlpReceiverExtension receiver = OtlpReceiverExtension.tls();

		@AfterAll
		static void eachTestHadItsOwnClosedReceiver() {
			assertThat(seen).hasSize(2).doesNotHaveDuplicates();
			assertThat(seen).allSatisfy((receiver) -> assertThat(receiver.caCertificateFile()).doesNotExist());
		}

		@Test
		void one(OtlpReceiver injected) {
			assertThat(injected.isTls()).isTrue();
			seen.add(injected);
		}

		@Test
		void two() {
			seen.add(this.receiver.get());
		}

	}

}
