package io.github.otelexport.export.transport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Collection;

import io.opentelemetry.exporter.internal.marshal.Marshaler;
import io.opentelemetry.exporter.internal.otlp.logs.LogsRequestMarshaler;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.trace.data.SpanData;

/**
 * Turns a batch into the bytes of one OTLP export request, with the SDK's own marshalers
 * (the fastest there are). This is the only class that names an SDK-internal type: an SDK
 * upgrade that moves or changes them breaks here, and
 * {@code OtlpRequestEncoderContractTests} says which assumption no longer holds.
 *
 * @author otel-export authors
 */
public final class OtlpRequestEncoder {

	private OtlpRequestEncoder() {
	}

	/**
	 * Encode spans as an {@code ExportTraceServiceRequest}, grouped by resource and
	 * instrumentation scope.
	 * @param spans the spans
	 * @return the request's protobuf bytes, empty for no spans
	 */
	public static byte[] spans(Collection<SpanData> spans) {
		return encode(TraceRequestMarshaler.create(spans));
	}

	/**
	 * Encode log records as an {@code ExportLogsServiceRequest}, grouped by resource and
	 * instrumentation scope.
	 * @param logs the log records
	 * @return the request's protobuf bytes, empty for no log records
	 */
	public static byte[] logs(Collection<LogRecordData> logs) {
		return encode(LogsRequestMarshaler.create(logs));
	}

	/**
	 * Write into an array of the size the marshaler announces, so that the request is
	 * never copied.
	 */
	private static byte[] encode(Marshaler marshaler) {
		ExactOutputStream out = new ExactOutputStream(marshaler.getBinarySerializedSize());
		try {
			marshaler.writeBinaryTo(out);
		}
		catch (IOException ex) {
			// no I/O happens: the target is an array
			throw new UncheckedIOException(ex);
		}
		return out.bytes();
	}

	/**
	 * An output stream into an array of a known size that refuses to grow.
	 */
	private static final class ExactOutputStream extends OutputStream {

		private final byte[] bytes;

		private int position;

		ExactOutputStream(int size) {
			this.bytes = new byte[size];
		}

		@Override
		public void write(int b) {
			ensureRoom(1);
			this.bytes[this.position++] = (byte) b;
		}

		@Override
		public void write(byte[] source, int offset, int length) {
			ensureRoom(length);
			System.arraycopy(source, offset, this.bytes, this.position, length);
			this.position += length;
		}

		byte[] bytes() {
			if (this.position != this.bytes.length) {
				throw mismatch(this.position);
			}
			return this.bytes;
		}

		private void ensureRoom(int length) {
			if (length > this.bytes.length - this.position) {
				throw mismatch((long) this.position + length);
			}
		}

		private IllegalStateException mismatch(long written) {
			return new IllegalStateException("The OpenTelemetry SDK's marshaler announced " + this.bytes.length
					+ " bytes but wrote " + ((written > this.bytes.length) ? "more" : Long.toString(written))
					+ "; this version of the SDK does not fit OtlpRequestEncoder");
		}

	}

}
