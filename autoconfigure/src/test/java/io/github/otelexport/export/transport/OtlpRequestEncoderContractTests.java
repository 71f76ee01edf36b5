package io.github.otelexport.export.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.logs.TestLogRecordData;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every assumption {@link OtlpRequestEncoder} makes about the SDK's internal marshalers,
 * checked against the OTLP protos of the testkit. When an SDK upgrade breaks one, the
 * failing test names it.
 *
 * @author otel-export authors
 */
class OtlpRequestEncoderContractTests {

	private static final String BROKEN = "The OpenTelemetry SDK's internal marshaler changed: OtlpRequestEncoder ";

	private static final Resource OTHER_RESOURCE = Resource
		.create(Attributes.of(AttributeKey.stringKey("service.name"), "billing"));

	private static final InstrumentationScopeInfo OTHER_SCOPE = InstrumentationScopeInfo.builder("payments")
		.setVersion("2.1")
		.build();

	@Test
	void spansBecomeAnExportTraceServiceRequestWithEverySpan() throws InvalidProtocolBufferException {
		List<SpanData> spans = TestRequests.batch(3, TestRequests.RESOURCE, TestRequests.SCOPE);
		byte[] bytes = OtlpRequestEncoder.spans(spans);
		ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(bytes);
		assertThat(spans(request)).as(BROKEN + "no longer writes every span, in order")
			.extracting(Span::getName)
			.containsExactly("span-0", "span-1", "span-2");
		Span first = spans(request).get(0);
		assertThat(first.getTraceId().toByteArray()).as(BROKEN + "writes trace ids differently")
			.hasSize(16)
			.endsWith(1);
		assertThat(first.getSpanId().toByteArray()).as(BROKEN + "writes span ids differently").hasSize(8).endsWith(1);
		assertThat(first.getKind()).as(BROKEN + "writes the span kind differently")
			.isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
		assertThat(first.getEndTimeUnixNano() - first.getStartTimeUnixNano()).as(BROKEN + "writes times differently")
			.isEqualTo(TimeUnit.MILLISECONDS.toNanos(10));
		assertThat(first.getAttributesList()).as(BROKEN + "writes attributes differently")
			.extracting(KeyValue::getKey)
			.containsExactly("index");
	}

	@Test
	void encodedSizeIsExactlyTheRequestsSize() throws InvalidProtocolBufferException {
		byte[] bytes = OtlpRequestEncoder.spans(TestRequests.batch(100, TestRequests.RESOURCE, TestRequests.SCOPE));
		assertThat(bytes).as(BROKEN + "gets more or fewer bytes than the request is long")
			.hasSize(ExportTraceServiceRequest.parseFrom(bytes).getSerializedSize());
	}

	@Test
	void spansAreGroupedByResourceThenScope() throws InvalidProtocolBufferException {
		List<SpanData> spans = new ArrayList<>();
		spans.add(TestRequests.span("a", 0, TestRequests.RESOURCE, TestRequests.SCOPE));
		spans.add(TestRequests.span("b", 1, OTHER_RESOURCE, TestRequests.SCOPE));
		spans.add(TestRequests.span("c", 2, TestRequests.RESOURCE, OTHER_SCOPE));
		spans.add(TestRequests.span("d", 3, TestRequests.RESOURCE, TestRequests.SCOPE));
		ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(OtlpRequestEncoder.spans(spans));
		assertThat(request.getResourceSpansList()).as(BROKEN + "no longer groups spans by resource").hasSize(2);
		ResourceSpans shop = resourceSpans(request, "shop");
		assertThat(shop.getScopeSpansList()).as(BROKEN + "no longer groups a resource's spans by scope")
			.extracting((scope) -> scope.getScope().getName())
			.containsExactlyInAnyOrder("checkout", "payments");
		assertThat(shop.getScopeSpansList()).flatExtracting(ScopeSpans::getSpansList)
			.extracting(Span::getName)
			.containsExactlyInAnyOrder("a", "c", "d");
		assertThat(scopeSpans(shop, "payments").getScope().getVersion()).as(BROKEN + "drops the scope version")
			.isEqualTo("2.1");
		assertThat(resourceSpans(request, "billing").getScopeSpansList()).flatExtracting(ScopeSpans::getSpansList)
			.extracting(Span::getName)
			.containsExactly("b");
	}

	@Test
	void noSpansGiveAnEmptyRequest() throws InvalidProtocolBufferException {
		byte[] bytes = OtlpRequestEncoder.spans(List.of());
		assertThat(bytes).as(BROKEN + "writes something for an empty batch").isEmpty();
		assertThat(ExportTraceServiceRequest.parseFrom(bytes).getResourceSpansCount()).isZero();
	}

	@Test
	void encodingIsSafeFromSeveralThreadsAtOnce() throws Exception {
		List<SpanData> spans = TestRequests.batch(200, TestRequests.RESOURCE, TestRequests.SCOPE);
		byte[] expected = OtlpRequestEncoder.spans(spans);
		ExecutorService threads = Executors.newFixedThreadPool(4);
		try {
			List<Callable<byte[]>> tasks = new ArrayList<>();
			for (int i = 0; i < 16; i++) {
				tasks.add(() -> OtlpRequestEncoder.spans(spans));
			}
			for (Future<byte[]> result : threads.invokeAll(tasks)) {
				assertThat(result.get()).as(BROKEN + "shares state between threads").isEqualTo(expected);
			}
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void logRecordsBecomeAnExportLogsServiceRequestGroupedByResource() throws InvalidProtocolBufferException {
		List<LogRecordData> logs = List.of(log("started", TestRequests.RESOURCE), log("charged", OTHER_RESOURCE),
				log("stopped", TestRequests.RESOURCE));
		byte[] bytes = OtlpRequestEncoder.logs(logs);
		ExportLogsServiceRequest request = ExportLogsServiceRequest.parseFrom(bytes);
		assertThat(bytes).as(BROKEN + "gets more or fewer bytes than the logs request is long")
			.hasSize(request.getSerializedSize());
		assertThat(request.getResourceLogsList()).as(BROKEN + "no longer groups log records by resource")
			.hasSize(2)
			.flatExtracting(ResourceLogs::getScopeLogsList)
			.flatExtracting((scope) -> scope.getLogRecordsList())
			.extracting((record) -> record.getBody().getStringValue())
			.containsExactlyInAnyOrder("started", "charged", "stopped");
	}

	private static LogRecordData log(String body, Resource resource) {
		return TestLogRecordData.builder()
			.setResource(resource)
			.setInstrumentationScopeInfo(TestRequests.SCOPE)
			.setTimestamp(1_000, TimeUnit.MILLISECONDS)
			.setSeverity(Severity.INFO)
			.setBody(body)
			.build();
	}

	private static List<Span> spans(ExportTraceServiceRequest request) {
		return request.getResourceSpansList()
			.stream()
			.flatMap((resource) -> resource.getScopeSpansList().stream())
			.flatMap((scope) -> scope.getSpansList().stream())
			.toList();
	}

	private static ResourceSpans resourceSpans(ExportTraceServiceRequest request, String serviceName) {
		return request.getResourceSpansList()
			.stream()
			.filter((resource) -> resource.getResource()
				.getAttributesList()
				.stream()
				.anyMatch((attribute) -> attribute.getKey().equals("service.name")
						&& attribute.getValue().getStringValue().equals(serviceName)))
			.findFirst()
			.orElseThrow(() -> new AssertionError(BROKEN + "lost the resource of service " + serviceName));
	}

	private static ScopeSpans scopeSpans(ResourceSpans resource, String scopeName) {
		return resource.getScopeSpansList()
			.stream()
			.filter((scope) -> scope.getScope().getName().equals(scopeName))
			.findFirst()
			.orElseThrow(() -> new AssertionError(BROKEN + "lost the scope " + scopeName));
	}

}
