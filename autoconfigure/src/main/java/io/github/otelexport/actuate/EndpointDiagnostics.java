package io.github.otelexport.actuate;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.github.otelexport.export.EndpointDiagnosis;
import io.github.otelexport.export.EndpointProber;
import io.github.otelexport.export.ProbeTarget;

/**
 * Diagnoses every configured export endpoint on demand and remembers the latest result,
 * for the startup check and the {@code otelexport} endpoint's write operation.
 *
 * @author otel-export authors
 */
public final class EndpointDiagnostics {

	private final EndpointProber prober;

	private final List<ProbeTarget> targets;

	private final AtomicReference<List<EndpointDiagnosis>> last = new AtomicReference<>(List.of());

	/**
	 * Create diagnostics for the given endpoints.
	 * @param prober probes one endpoint
	 * @param targets the endpoints, primary first
	 */
	public EndpointDiagnostics(EndpointProber prober, List<ProbeTarget> targets) {
		this.prober = prober;
		this.targets = List.copyOf(targets);
	}

	/**
	 * Probe every endpoint now, on the calling thread, and remember the result.
	 * @return one diagnosis per endpoint, primary first
	 */
	public List<EndpointDiagnosis> diagnose() {
		List<EndpointDiagnosis> diagnoses = this.targets.stream().map(this.prober::probe).toList();
		this.last.set(diagnoses);
		return diagnoses;
	}

	/**
	 * Return the latest diagnosis.
	 * @return one diagnosis per endpoint, or an empty list when none ran yet
	 */
	public List<EndpointDiagnosis> last() {
		return this.last.get();
	}

}
