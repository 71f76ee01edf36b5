/**
 * One OTLP request as bytes in, one response out: the marshalling seam
 * ({@link io.github.otelexport.export.transport.OtlpRequestEncoder}, the only class that
 * names an SDK-internal type) and the transports for gRPC and http/protobuf, which return
 * everything the server answered. Also what reaching a destination takes, for every other
 * package: its protocol ({@link io.github.otelexport.export.transport.OtlpProtocol}), its
 * TLS settings and context, and its endpoint as it may be shown
 * ({@link io.github.otelexport.export.transport.Endpoints}). Depends on nothing else of
 * otel-export.
 */
package io.github.otelexport.export.transport;
