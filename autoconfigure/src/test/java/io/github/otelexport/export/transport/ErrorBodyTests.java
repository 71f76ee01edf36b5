package io.github.otelexport.export.transport;

import java.nio.charset.StandardCharsets;

import com.google.rpc.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ErrorBody}.
 *
 * @author otel-export authors
 */
class ErrorBodyTests {

	@Test
	void protobufBodyIsAStatus() {
		byte[] body = Status.newBuilder().setCode(3).setMessage("bad span").build().toByteArray();
		assertThat(ErrorBody.message("application/x-protobuf", body)).isEqualTo("bad span");
	}

	@Test
	void textBodyIsKeptAsText() {
		byte[] page = "<html><body>400 No required SSL certificate was sent</body></html>\n"
			.getBytes(StandardCharsets.UTF_8);
		assertThat(ErrorBody.message("text/html; charset=utf-8", page))
			.isEqualTo("<html><body>400 No required SSL certificate was sent</body></html>");
		assertThat(ErrorBody.message(null, "quota exceeded".getBytes(StandardCharsets.UTF_8)))
			.isEqualTo("quota exceeded");
		assertThat(ErrorBody.message("application/json", "{\"error\":\"quota\"}".getBytes(StandardCharsets.UTF_8)))
			.isEqualTo("{\"error\":\"quota\"}");
	}

	@Test
	void otherBinaryBodySaysNothing() {
		assertThat(ErrorBody.message("application/octet-stream", new byte[] { 1, 2, 3 })).isEmpty();
	}

}
