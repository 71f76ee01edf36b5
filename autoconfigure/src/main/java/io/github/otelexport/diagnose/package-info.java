/**
 * The step-by-step diagnosis of an export endpoint (DNS, TCP, TLS, an empty OTLP
 * request), which the endpoint's {@code POST} and the startup check run: what to probe
 * ({@link io.github.otelexport.diagnose.ProbeTarget}), the prober and its
 * {@link io.github.otelexport.diagnose.EndpointDiagnosis}. Classifies failures with the
 * export engine's classifier and sends through a transport like the pipeline's; never on
 * Spring.
 */
package io.github.otelexport.diagnose;
