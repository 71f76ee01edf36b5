package io.github.otelexport.actuate;

import java.time.Instant;

/**
 * The evaluated condition of span export at one instant.
 *
 * @param status the overall status
 * @param reason a one-line explanation of the status for operators
 * @param failingSince when the current run of failures started, or {@code null} while
 * exports succeed
 * @author otel-export authors
 */
public record ExportState(ExportStatus status, String reason, Instant failingSince) {

}
