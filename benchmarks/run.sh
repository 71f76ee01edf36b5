#!/usr/bin/env bash
# Runs every benchmark, plain OpenTelemetry SDK and otel-export side by side in the same run, and
# prints the ratios as Markdown tables (also written to benchmarks/target/report.md). The
# span.end() benchmarks run in three forks, the others in one; each fork does 3 x 2 s of warm-up
# and 5 x 2 s of measurement. The outage scenarios (spans lost in an outage, the drain after one)
# run once per fork. About twenty minutes on 2 cores; run it on a quiet machine.
#   --outage   only the outage scenarios (about four minutes)
#   --smoke    everything once and short (outage scenarios included), to check that it runs
# Other arguments go to the JVM, for example -Dotelexport.benchmarks.smoke=true (= --smoke).
set -euo pipefail
cd "$(dirname "$0")/.."
jvm=()
for arg in "$@"; do
	case "$arg" in
	--outage) jvm+=(-Dotelexport.benchmarks.outage-only=true) ;;
	--smoke) jvm+=(-Dotelexport.benchmarks.smoke=true) ;;
	*) jvm+=("$arg") ;;
	esac
done
./mvnw -q -pl benchmarks -am package -DskipTests
java "${jvm[@]}" -jar benchmarks/target/benchmarks.jar benchmarks/target/report.md
