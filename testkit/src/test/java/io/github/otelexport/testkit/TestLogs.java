package io.github.otelexport.testkit;

import java.time.Instant;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.logs.TestLogRecordData;

/**
 * Builds log records for tests: OTLP export requests for the raw clients, SDK log records
 * for the SDK's exporters.
 *
 * @author otel-export authors
 */
final class TestLogs {

	/** One instance: the SDK's marshaller groups log records by scope instance. */
	private static final InstrumentationScopeInfo SCOPE = InstrumentationScopeInfo.create("test");

	private TestLogs() {
	}

	static ExportLogsServiceRequest request(int logRecords) {
		ScopeLogs.Builder scope = ScopeLogs.newBuilder();
		for (int i = 0; i < logRecords; i++) {
			scope.addLogRecords(LogRecord.newBuilder().setBody(AnyValue.newBuilder().setStringValue("log-" + i)));
		}
		return ExportLogsServiceRequest.newBuilder()
			.addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(scope))
			.build();
	}

	static LogRecordData record(String body) {
		return TestLogRecordData.builder()
			.setResource(Resource.getDefault())
			.setInstrumentationScopeInfo(SCOPE)
			.setTimestamp(Instant.parse("2026-01-01T00:00:00Z"))
			.setSeverity(Severity.INFO)
			.setBody(body)
			.setAttributes(Attributes.empty())
			.build();
	}

}
