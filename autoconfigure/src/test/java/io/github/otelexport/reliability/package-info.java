/**
 * Reliability tests of the export path: chaos, bounded memory, restarts, garbage from the
 * backend and shutdown, each against real loopback receivers and bounded in time.
 */
package io.github.otelexport.reliability;
