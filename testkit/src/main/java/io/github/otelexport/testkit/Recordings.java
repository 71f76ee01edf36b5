package io.github.otelexport.testkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * What the receiver has seen: every request, and the spans and log records of accepted
 * requests in arrival order, or only how many of each. Thread-safe.
 *
 * @author otel-export authors
 */
final class Recordings {

	private static final HexFormat HEX = HexFormat.of();

	private final Object lock = new Object();

	private final List<ReceivedRequest> requests = new ArrayList<>();

	private final Items<Span> spans = new Items<>(Span::getTraceId);

	private final Items<LogRecord> logRecords = new Items<>(LogRecord::getTraceId);

	private final boolean keep;

	private int requestCount;

	/**
	 * Create recordings.
	 * @param keep whether to keep requests, spans and log records, or only count them
	 */
	Recordings(boolean keep) {
		this.keep = keep;
	}

	void recordSpans(ReceivedRequest request, List<Span> acceptedSpans) {
		record(request, acceptedSpans, this.spans);
	}

	void recordLogRecords(ReceivedRequest request, List<LogRecord> acceptedLogRecords) {
		record(request, acceptedLogRecords, this.logRecords);
	}

	/**
	 * Record a request whose body was not decoded.
	 * @param request the request
	 */
	void record(ReceivedRequest request) {
		synchronized (this.lock) {
			this.requestCount++;
			if (this.keep) {
				this.requests.add(request);
			}
		}
	}

	private <T> void record(ReceivedRequest request, List<T> accepted, Items<T> items) {
		synchronized (this.lock) {
			record(request);
			items.add(accepted, this.keep);
		}
	}

	int spanCount() {
		synchronized (this.lock) {
			return this.spans.count;
		}
	}

	List<Span> spans() {
		synchronized (this.lock) {
			return List.copyOf(this.spans.list);
		}
	}

	Map<String, List<Span>> spansByTraceId() {
		synchronized (this.lock) {
			return this.spans.byTraceIdCopy();
		}
	}

	int logRecordCount() {
		synchronized (this.lock) {
			return this.logRecords.count;
		}
	}

	List<LogRecord> logRecords() {
		synchronized (this.lock) {
			return List.copyOf(this.logRecords.list);
		}
	}

	Map<String, List<LogRecord>> logRecordsByTraceId() {
		synchronized (this.lock) {
			return this.logRecords.byTraceIdCopy();
		}
	}

	List<ReceivedRequest> requests() {
		synchronized (this.lock) {
			return List.copyOf(this.requests);
		}
	}

	int requestCount() {
		synchronized (this.lock) {
			return this.requestCount;
		}
	}

	void clear() {
		synchronized (this.lock) {
			this.requestCount = 0;
			this.requests.clear();
			this.spans.clear();
			this.logRecords.clear();
		}
	}

	/**
	 * The accepted items of one signal, guarded by the lock of the recordings.
	 */
	private static final class Items<T> {

		private final Function<T, ByteString> traceId;

		private final List<T> list = new ArrayList<>();

		/** Items without a trace id (log records outside any span) are left out. */
		private final Map<String, List<T>> byTraceId = new LinkedHashMap<>();

		private int count;

		Items(Function<T, ByteString> traceId) {
			this.traceId = traceId;
		}

		void add(List<T> accepted, boolean keep) {
			this.count += accepted.size();
			if (!keep) {
				return;
			}
			for (T item : accepted) {
				this.list.add(item);
				ByteString traceId = this.traceId.apply(item);
				if (!traceId.isEmpty()) {
					this.byTraceId.computeIfAbsent(HEX.formatHex(traceId.toByteArray()), (key) -> new ArrayList<>())
						.add(item);
				}
			}
		}

		Map<String, List<T>> byTraceIdCopy() {
			Map<String, List<T>> copy = new LinkedHashMap<>();
			this.byTraceId.forEach((traceId, items) -> copy.put(traceId, List.copyOf(items)));
			return Collections.unmodifiableMap(copy);
		}

		void clear() {
			this.count = 0;
			this.list.clear();
			this.byTraceId.clear();
		}

	}

}
