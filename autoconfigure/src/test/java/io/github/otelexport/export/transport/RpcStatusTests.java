package io.github.otelexport.export.transport;

import java.time.Duration;
import java.util.Base64;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RpcStatus}, against statuses encoded by protobuf-java.
 *
 * @author otel-export authors
 */
class RpcStatusTests {

	@Test
	void messageAndRetryInfoAreRead() {
		Status status = status("slow down", retryInfo(2, 500_000_000));
		assertThat(RpcStatus.parse(status.toByteArray()))
			.isEqualTo(new RpcStatus("slow down", Duration.ofMillis(2500)));
	}

	@Test
	void otherDetailsAreSkipped() {
		Status status = status("quota", Any.pack(ErrorInfo.newBuilder().setReason("QUOTA").build()), retryInfo(7, 0));
		assertThat(RpcStatus.parse(status.toByteArray()).retryDelay()).isEqualTo(Duration.ofSeconds(7));
	}

	@Test
	void statusWithoutRetryInfoHasNoDelay() {
		assertThat(RpcStatus.parse(status("no").toByteArray())).isEqualTo(new RpcStatus("no", null));
	}

	@Test
	void headerValueIsBase64WithOrWithoutPadding() {
		byte[] bytes = status("m", retryInfo(1, 0)).toByteArray();
		String padded = Base64.getEncoder().encodeToString(bytes);
		String unpadded = Base64.getEncoder().withoutPadding().encodeToString(bytes);
		assertThat(RpcStatus.fromHeader(padded).retryDelay()).isEqualTo(Duration.ofSeconds(1));
		assertThat(RpcStatus.fromHeader(unpadded).retryDelay()).isEqualTo(Duration.ofSeconds(1));
		assertThat(RpcStatus.fromHeader(unpadded + "," + padded).retryDelay()).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void negativeDelayIsNoDelayAndAnAbsurdOneIsCapped() {
		assertThat(RpcStatus.parse(status("", retryInfo(-3, 0)).toByteArray()).retryDelay()).isEqualTo(Duration.ZERO);
		assertThat(RpcStatus.parse(status("", retryInfo(0, -5)).toByteArray()).retryDelay()).isEqualTo(Duration.ZERO);
		assertThat(RpcStatus.parse(status("", retryInfo(Long.MAX_VALUE, 0)).toByteArray()).retryDelay())
			.isEqualTo(RpcStatus.MAX_DELAY);
	}

	@Test
	void unreadableInputIsNone() {
		assertThat(RpcStatus.fromHeader(null)).isEqualTo(RpcStatus.NONE);
		assertThat(RpcStatus.fromHeader("not base64!")).isEqualTo(RpcStatus.NONE);
		assertThat(RpcStatus.parse(new byte[] { 0x12, 0x7f, 'x' })).isEqualTo(RpcStatus.NONE);
		assertThat(RpcStatus.parse("<html>".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
			.isEqualTo(RpcStatus.NONE);
	}

	private static Status status(String message, Any... details) {
		Status.Builder status = Status.newBuilder().setCode(8).setMessage(message);
		for (Any detail : details) {
			status.addDetails(detail);
		}
		return status.build();
	}

	private static Any retryInfo(long seconds, int nanos) {
		return Any.pack(RetryInfo.newBuilder()
			.setRetryDelay(com.google.protobuf.Duration.newBuilder().setSeconds(seconds).setNanos(nanos))
			.build());
	}

}
