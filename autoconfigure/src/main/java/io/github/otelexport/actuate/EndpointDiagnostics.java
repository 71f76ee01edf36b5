package io.github.otelexport.actuate;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;

import io.github.otelexport.diagnose.EndpointDiagnosis;
import io.github.otelexport.diagnose.EndpointProber;
import io.github.otelexport.diagnose.ProbeTarget;

/**
 * Diagnoses every configured export endpoint on demand and remembers the latest result,
 * for the startup check and the {@code otelexport} endpoint's write operation.
 * <p>
 * One diagnosis runs at a time: a caller that asks while one is running waits for it and
 * gets its result, so repeated requests never pile up connections to the backend. Each
 * probe step is bounded by the prober's step budget, so a diagnosis, and a caller's wait
 * for one, takes at most four budgets per endpoint.
 *
 * @author otel-export authors
 */
public final class EndpointDiagnostics implements AutoCloseable {

	private final EndpointProber prober;

	private final List<ProbeTarget> targets;

	private final AtomicReference<List<EndpointDiagnosis>> last = new AtomicReference<>(List.of());

	private final AtomicReference<CompletableFuture<List<EndpointDiagnosis>>> running = new AtomicReference<>();

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
	 * Probe every endpoint now and remember the result; while another caller's diagnosis
	 * runs, wait for that one and return its result instead.
	 * @return one diagnosis per endpoint, primary first
	 */
	public List<EndpointDiagnosis> diagnose() {
		CompletableFuture<List<EndpointDiagnosis>> run = new CompletableFuture<>();
		CompletableFuture<List<EndpointDiagnosis>> current = this.running.compareAndExchange(null, run);
		if (current != null) {
			return join(current);
		}
		try {
			List<EndpointDiagnosis> diagnoses = this.targets.stream().map(this.prober::probe).toList();
			this.last.set(diagnoses);
			run.complete(diagnoses);
			return diagnoses;
		}
		catch (RuntimeException | Error ex) {
			run.completeExceptionally(ex);
			throw ex;
		}
		finally {
			this.running.set(null);
		}
	}

	/**
	 * Return the latest diagnosis.
	 * @return one diagnosis per endpoint, or an empty list when none ran yet
	 */
	public List<EndpointDiagnosis> last() {
		return this.last.get();
	}

	private static List<EndpointDiagnosis> join(CompletableFuture<List<EndpointDiagnosis>> run) {
		try {
			return run.join();
		}
		catch (CompletionException ex) {
			// The running diagnosis failed; its caller already sees the cause
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw ex;
		}
	}

	/**
	 * Close the targets' transports; a diagnosis asked for later fails its export step.
	 */
	@Override
	public void close() {
		this.targets.forEach(ProbeTarget::close);
	}

}
