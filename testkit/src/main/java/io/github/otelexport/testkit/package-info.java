/**
 * An in-process OTLP trace receiver (gRPC and HTTP/protobuf) with switchable,
 * socket-level faults, for tests of span export.
 */
package io.github.otelexport.testkit;
