/**
 * One OTLP request as bytes in, one response out: the marshalling seam
 * ({@link io.github.otelexport.export.transport.OtlpRequestEncoder}, the only class that
 * names an SDK-internal type) and the transports for gRPC and http/protobuf, which return
 * everything the server answered.
 */
package io.github.otelexport.export.transport;
