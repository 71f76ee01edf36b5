package io.github.otelexport.export.transport;

import java.time.Duration;
import java.util.Base64;

/**
 * What the transport reads from a {@code google.rpc.Status}: the gRPC
 * {@code grpc-status-details-bin} trailer and the body of an OTLP/HTTP error carry one.
 * Only the message and a {@code google.rpc.RetryInfo} detail are read; other details are
 * skipped.
 *
 * @param message the status message, may be empty
 * @param retryDelay the delay a {@code RetryInfo} detail asks for, or {@code null}
 * @author otel-export authors
 */
record RpcStatus(String message, Duration retryDelay) {

	static final RpcStatus NONE = new RpcStatus("", null);

	/** The longest delay kept: longer ones would overflow {@link Duration#toNanos()}. */
	static final Duration MAX_DELAY = Duration.ofNanos(Long.MAX_VALUE);

	private static final String RETRY_INFO_TYPE = "/google.rpc.RetryInfo";

	private static final int STATUS_MESSAGE = 2;

	private static final int STATUS_DETAILS = 3;

	private static final int ANY_TYPE_URL = 1;

	private static final int ANY_VALUE = 2;

	private static final int RETRY_INFO_DELAY = 1;

	private static final int DURATION_SECONDS = 1;

	private static final int DURATION_NANOS = 2;

	/**
	 * Read a status from the value of a {@code grpc-status-details-bin} header (base64,
	 * padded or not).
	 * @param header the header value, or {@code null}
	 * @return the status, {@link #NONE} when absent or unreadable
	 */
	static RpcStatus fromHeader(String header) {
		if (header == null || header.isBlank()) {
			return NONE;
		}
		try {
			// several values of a binary header are joined with commas; the first one
			// counts
			int comma = header.indexOf(',');
			return parse(Base64.getDecoder().decode((comma >= 0) ? header.substring(0, comma) : header.trim()));
		}
		catch (IllegalArgumentException ex) {
			return NONE;
		}
	}

	/**
	 * Read a status from its protobuf bytes, leniently.
	 * @param bytes the encoded {@code google.rpc.Status}
	 * @return the status, {@link #NONE} when unreadable
	 */
	static RpcStatus parse(byte[] bytes) {
		try {
			WireReader status = new WireReader(bytes);
			String message = "";
			Duration retryDelay = null;
			while (status.hasMore()) {
				int tag = status.tag();
				if (is(tag, STATUS_MESSAGE, WireReader.LENGTH_DELIMITED)) {
					message = status.string();
				}
				else if (is(tag, STATUS_DETAILS, WireReader.LENGTH_DELIMITED)) {
					Duration delay = retryDelay(status.embedded());
					retryDelay = (delay != null) ? delay : retryDelay;
				}
				else {
					status.skip(WireReader.wireType(tag));
				}
			}
			return new RpcStatus(message, retryDelay);
		}
		catch (WireReader.MalformedException ex) {
			return NONE;
		}
	}

	/** The delay of a {@code google.protobuf.Any} holding a {@code RetryInfo}. */
	private static Duration retryDelay(WireReader any) {
		String type = "";
		WireReader value = null;
		while (any.hasMore()) {
			int tag = any.tag();
			if (is(tag, ANY_TYPE_URL, WireReader.LENGTH_DELIMITED)) {
				type = any.string();
			}
			else if (is(tag, ANY_VALUE, WireReader.LENGTH_DELIMITED)) {
				value = any.embedded();
			}
			else {
				any.skip(WireReader.wireType(tag));
			}
		}
		if (value == null || !type.endsWith(RETRY_INFO_TYPE)) {
			return null;
		}
		Duration delay = null;
		while (value.hasMore()) {
			int tag = value.tag();
			if (is(tag, RETRY_INFO_DELAY, WireReader.LENGTH_DELIMITED)) {
				delay = duration(value.embedded());
			}
			else {
				value.skip(WireReader.wireType(tag));
			}
		}
		return delay;
	}

	/** A {@code google.protobuf.Duration}; negative reads as zero. */
	private static Duration duration(WireReader duration) {
		long seconds = 0;
		long nanos = 0;
		while (duration.hasMore()) {
			int tag = duration.tag();
			if (is(tag, DURATION_SECONDS, WireReader.VARINT)) {
				seconds = duration.varint();
			}
			else if (is(tag, DURATION_NANOS, WireReader.VARINT)) {
				// an int32: negative values are sign-extended to ten bytes
				nanos = (int) duration.varint();
			}
			else {
				duration.skip(WireReader.wireType(tag));
			}
		}
		if (seconds < 0 || (seconds == 0 && nanos <= 0)) {
			return Duration.ZERO;
		}
		if (seconds >= MAX_DELAY.getSeconds()) {
			return MAX_DELAY;
		}
		return Duration.ofSeconds(seconds, Math.max(0, Math.min(nanos, 999_999_999)));
	}

	private static boolean is(int tag, int field, int wireType) {
		return WireReader.fieldNumber(tag) == field && WireReader.wireType(tag) == wireType;
	}

}
