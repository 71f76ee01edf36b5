#!/usr/bin/env bash
# Runs every benchmark once, plain OpenTelemetry SDK and otel-export side by side in the
# same run, and prints the ratios as a Markdown table (also written to
# benchmarks/target/report.md). About six minutes on 2 cores; run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -pl benchmarks -am package -DskipTests
java -jar benchmarks/target/benchmarks.jar benchmarks/target/report.md
