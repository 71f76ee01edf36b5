package io.github.otelexport.sample;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.github.otelexport.actuate.OtelExportDescriptors.ExportDescriptor;
import io.github.otelexport.actuate.OtelExportDescriptors.LogsDescriptor;
import io.github.otelexport.actuate.OtelExportEndpoint;
import io.github.otelexport.autoconfigure.OtelExportDestinations;
import io.github.otelexport.export.transport.OtlpProtocol;
import io.grpc.Status;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The fault playground: switches the {@link EmbeddedBackend} between healthy and broken
 * so you can watch each error category appear in {@code /actuator/otelexport} and
 * {@code /actuator/health}, and the pipeline recover. Its status shows the buffer as the
 * endpoint does, so that a backlog can be watched building during an outage and draining
 * after it. The receivers take spans and log records on the same ports, so every fault
 * hits both signals: the status counts what each receiver got of each, and shows the log
 * records' state, totals, drops and queue from the endpoint's {@code logs} section
 * ({@code null} while {@code otel.export.logs.enabled} is off). Sample only: never ship
 * this.
 *
 * @author otel-export authors
 */
@RestController
@RequestMapping("/playground")
@ConditionalOnProperty(EmbeddedBackend.ID_PROPERTY)
class PlaygroundController {

	/**
	 * The API key the playground's {@code api-key} fault demands; the sample sends a
	 * different one.
	 */
	static final String REQUIRED_API_KEY = "playground-key";

	private final EmbeddedBackend backend;

	private final boolean grpc;

	private final ObjectProvider<OtelExportEndpoint> endpoint;

	private final AtomicReference<Fault> current = new AtomicReference<>(Fault.HEALTHY);

	PlaygroundController(EmbeddedBackend backend, OtelExportDestinations destinations,
			ObjectProvider<OtelExportEndpoint> endpoint) {
		this.backend = backend;
		this.endpoint = endpoint;
		// the protocol in effect, however it was written or wherever it came from
		this.grpc = destinations.primary().protocol() == OtlpProtocol.GRPC;
	}

	@GetMapping
	Map<String, Object> status() {
		Map<String, Object> status = new LinkedHashMap<>();
		status.put("fault", this.current.get().path());
		status.put("faults", Arrays.stream(Fault.values()).map(Fault::path).toList());
		status.put("primarySpans", this.backend.primary().spanCount());
		status.put("fallbackSpans", this.backend.fallback().spanCount());
		status.put("primaryLogRecords", this.backend.primary().logRecordCount());
		status.put("fallbackLogRecords", this.backend.fallback().logRecordCount());
		// as /actuator/otelexport shows them, when the endpoint is available
		this.endpoint.ifAvailable((otelexport) -> {
			ExportDescriptor export = otelexport.export();
			status.put("buffer", export.buffer());
			status.put("logs", logs(export.logs()));
		});
		return status;
	}

	/**
	 * What of the endpoint's {@code logs} section the playground shows; the buffer is
	 * shared by both signals and shown once.
	 */
	private static Map<String, Object> logs(LogsDescriptor logs) {
		if (logs == null) {
			return null;
		}
		Map<String, Object> shown = new LinkedHashMap<>();
		shown.put("state", logs.state());
		shown.put("reason", logs.reason());
		shown.put("logRecords", logs.logRecords());
		shown.put("dropped", logs.dropped());
		shown.put("queue", logs.queue());
		return shown;
	}

	@PostMapping("/{fault}")
	Map<String, Object> apply(@PathVariable String fault) {
		Fault chosen = Fault.of(fault);
		this.backend.primary().accept();
		this.backend.fallback().accept();
		switch (chosen) {
			case HEALTHY -> {
			}
			case REFUSED -> this.backend.primary().refuseConnections();
			case ALL_DOWN -> {
				this.backend.primary().refuseConnections();
				this.backend.fallback().refuseConnections();
			}
			case SLOW -> this.backend.primary().delayResponses(Duration.ofSeconds(5));
			case API_KEY -> this.backend.primary().requireHeader("x-api-key", REQUIRED_API_KEY);
			case TOO_LARGE -> respond(413, Status.Code.RESOURCE_EXHAUSTED);
			case UNAVAILABLE -> respond(503, Status.Code.UNAVAILABLE);
			case WRONG_PATH -> respond(404, Status.Code.UNIMPLEMENTED);
			case UNTRUSTED_TLS -> this.backend.primary().presentUntrustedCertificate();
			case PARTIAL -> this.backend.primary().partialSuccess(1, "span attribute 'card.number' is not allowed");
		}
		this.current.set(chosen);
		return status();
	}

	private void respond(int httpStatus, Status.Code grpcStatus) {
		if (this.grpc) {
			this.backend.primary().respondWithGrpcStatus(grpcStatus);
		}
		else {
			this.backend.primary().respondWithHttpStatus(httpStatus);
		}
	}

	/**
	 * What the playground can do to the backend.
	 */
	enum Fault {

		/**
		 * Both receivers accept.
		 */
		HEALTHY,

		/**
		 * The primary stops listening: connection refused, the fallback takes over.
		 */
		REFUSED,

		/**
		 * Both receivers stop listening: batches are retried while the others wait in the
		 * buffer, a backlog that drains once the receivers are back; what outlasts the
		 * retries is dropped.
		 */
		ALL_DOWN,

		/**
		 * The primary answers after 5 seconds, longer than the sample's export timeout.
		 */
		SLOW,

		/**
		 * The primary demands an API key the sample does not send.
		 */
		API_KEY,

		/**
		 * The primary says the payload is too large (HTTP 413 / gRPC RESOURCE_EXHAUSTED).
		 */
		TOO_LARGE,

		/**
		 * The primary is temporarily unavailable (HTTP 503 / gRPC UNAVAILABLE).
		 */
		UNAVAILABLE,

		/**
		 * The primary answers as a wrong URL does (HTTP 404 / gRPC UNIMPLEMENTED).
		 */
		WRONG_PATH,

		/**
		 * The primary presents a certificate signed by a CA the sample does not trust.
		 */
		UNTRUSTED_TLS,

		/**
		 * The primary accepts each request but rejects one of its spans or log records
		 * (an OTLP partial success): REJECTED errors and {@code permanent_error} drops,
		 * while the others are exported and the health stays UP. Only a batch of a single
		 * item, all of it rejected, is a failed attempt: it goes to the fallback and the
		 * health is DEGRADED until a probe reaches the primary again. The traffic
		 * generator sends its requests, and logs their lines, in bursts, so its batches
		 * hold many.
		 */
		PARTIAL;

		String path() {
			return name().toLowerCase(Locale.ROOT).replace('_', '-');
		}

		static Fault of(String path) {
			return Arrays.stream(values())
				.filter((fault) -> fault.path().equals(path))
				.findFirst()
				.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "Unknown fault '" + path
						+ "'; try one of " + Arrays.stream(values()).map(Fault::path).toList()));
		}

	}

}
