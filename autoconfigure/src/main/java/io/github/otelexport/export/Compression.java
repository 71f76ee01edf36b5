package io.github.otelexport.export;

import java.util.Locale;

/**
 * How an exporter compresses its request bodies.
 *
 * @author otel-export authors
 */
public enum Compression {

	/**
	 * No compression.
	 */
	NONE,

	/**
	 * Gzip-compressed request bodies.
	 */
	GZIP;

	/**
	 * Return the name the OTLP exporters use, as users write it.
	 * @return {@code none} or {@code gzip}
	 */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	@Override
	public String toString() {
		return value();
	}

}
