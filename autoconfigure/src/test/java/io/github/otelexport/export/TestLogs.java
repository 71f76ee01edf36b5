package io.github.otelexport.export;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.otelexport.export.transport.OtlpRequestEncoder;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.testing.logs.TestLogRecordData;

/**
 * Builds log records for tests.
 *
 * @author otel-export authors
 */
final class TestLogs {

	private TestLogs() {
	}

	static List<LogRecordData> batch(int size) {
		return batch("log", size);
	}

	/**
	 * Return log records whose bodies are {@code prefix-0}, {@code prefix-1}...
	 */
	static List<LogRecordData> batch(String prefix, int size) {
		List<LogRecordData> logs = new ArrayList<>(size);
		for (int i = 0; i < size; i++) {
			logs.add(TestLogRecordData.builder()
				.setTimestamp(1_000 + i, TimeUnit.MILLISECONDS)
				.setSeverity(Severity.WARN)
				.setBody(prefix + "-" + i)
				.build());
		}
		return logs;
	}

	static byte[] requestOf(int size) {
		return OtlpRequestEncoder.logs(batch(size));
	}

}
