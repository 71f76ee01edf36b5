package io.github.otelexport.actuate;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.otelexport.diagnose.EndpointDiagnosis;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * Probes every export endpoint once the application is ready, off the main thread, and
 * logs one line per endpoint: {@code OK}, or the error category and the fix. The result
 * also shows as the last diagnosis of the {@code otelexport} endpoint.
 * <p>
 * The probe runs on a single daemon thread that is stopped when the context closes.
 *
 * @author otel-export authors
 */
public final class StartupDiagnosis implements ApplicationListener<ApplicationReadyEvent>, DisposableBean {

	private static final Log logger = LogFactory.getLog(StartupDiagnosis.class);

	private final EndpointDiagnostics diagnostics;

	private final AtomicBoolean started = new AtomicBoolean();

	private final ExecutorService executor = Executors.newSingleThreadExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "otel-export-startup-check");
		thread.setDaemon(true);
		return thread;
	});

	/**
	 * Create the startup diagnosis.
	 * @param diagnostics probes the endpoints and keeps the result
	 */
	public StartupDiagnosis(EndpointDiagnostics diagnostics) {
		this.diagnostics = diagnostics;
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		if (this.started.compareAndSet(false, true)) {
			this.executor.execute(this::diagnose);
		}
	}

	private void diagnose() {
		try {
			for (EndpointDiagnosis diagnosis : this.diagnostics.diagnose()) {
				if (diagnosis.ok()) {
					logger.info("otel-export startup check: " + diagnosis.summary());
				}
				else {
					logger.warn("otel-export startup check: " + diagnosis.summary());
				}
			}
		}
		catch (RuntimeException ex) {
			logger.warn("otel-export startup check could not run", ex);
		}
	}

	@Override
	public void destroy() {
		this.executor.shutdownNow();
	}

}
