#!/usr/bin/env bash
# Runs every Google Benchmark binary in BUILD_DIR, five repetitions each, and prints the medians.
# Benchmarks that need ../shared/domains skip themselves with a message when it is absent.
# Usage: scripts/bench.sh BUILD_DIR [FILTER]
set -euo pipefail
build=${1:?usage: bench.sh BUILD_DIR [FILTER]}
filter=${2:-.}
shopt -s nullglob
for bin in "$build"/*_bench; do
  echo "== $(basename "$bin")"
  "$bin" --benchmark_filter="$filter" --benchmark_repetitions=5 \
    --benchmark_report_aggregates_only=true --benchmark_display_aggregates_only=true 2>&1 |
    grep -E '_median|^Run on|CPU Caches|Load Average|skipp|SKIP' || true
done
echo "== whole process (bench/cli_process.sh)"
bash "$(dirname "$0")/../bench/cli_process.sh" "$build"
echo "== advice to the mediator's seat, through the service (bench/advice_latency.py)"
python3 "$(dirname "$0")/../bench/advice_latency.py" "$build/shuttle"
echo "Other figures: bench/tournament_scaling.sh, bench/service_load.py, bench/mediation_quality.sh (see README)."
