package io.github.otelexport.export.transport;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link BackendText}.
 *
 * @author otel-export authors
 */
class BackendTextTests {

	@Test
	void shortTextIsKeptWhole() {
		String text = "x".repeat(BackendText.MAX_LENGTH);
		assertThat(BackendText.cap(text)).isSameAs(text);
		assertThat(BackendText.of(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(text);
	}

	@Test
	void longTextIsCutAndMarked() {
		String capped = BackendText.cap("y".repeat(1024 * 1024));
		assertThat(capped).isEqualTo("y".repeat(BackendText.MAX_LENGTH) + BackendText.CUT_MARK);
	}

	@Test
	void surrogatePairIsNeverSplit() {
		String text = "a".repeat(BackendText.MAX_LENGTH - 1) + "\uD83D\uDE00" + "b";
		assertThat(BackendText.cap(text)).isEqualTo("a".repeat(BackendText.MAX_LENGTH - 1) + BackendText.CUT_MARK);
	}

	@Test
	void bytesAreDecodedOnlyAsFarAsTheyCanBeKept() {
		byte[] huge = "é".repeat(1024 * 1024).getBytes(StandardCharsets.UTF_8);
		assertThat(BackendText.of(huge)).isEqualTo("é".repeat(BackendText.MAX_LENGTH) + BackendText.CUT_MARK);
	}

}
