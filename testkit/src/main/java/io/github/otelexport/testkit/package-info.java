/**
 * An in-process OTLP trace and log receiver (gRPC and HTTP/protobuf) with switchable,
 * socket-level faults, for tests of span and log record export.
 */
package io.github.otelexport.testkit;
