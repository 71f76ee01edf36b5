#!/usr/bin/env bash
# Runs every benchmark, plain OpenTelemetry SDK and otel-export side by side in the same run, and
# prints the ratios as a Markdown table (also written to benchmarks/target/report.md). The
# span.end() benchmarks (goals 1 and 3) run in three forks, the others in one; each fork does
# 3 x 2 s of warm-up and 5 x 2 s of measurement. About nine minutes on 2 cores; run it on a
# quiet machine. Extra arguments go to the JVM, for example -Dotelexport.benchmarks.smoke=true
# for a one-second check that everything runs.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -pl benchmarks -am package -DskipTests
java "$@" -jar benchmarks/target/benchmarks.jar benchmarks/target/report.md
