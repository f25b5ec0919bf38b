#!/usr/bin/env bash
# Whole-process figures of the CLI (start, loading, work, output) on ANAC Travel (188,160
# outcomes), medians of hyperfine runs without a shell. Targets: analyze 5 ms, negotiate Boulware vs
# Boulware for 1000 rounds 12 ms.
# Usage: bash bench/cli_process.sh [BUILD_DIR] [RUNS]
set -euo pipefail
build=${1:-build}
runs=${2:-30}
here=$(cd "$(dirname "$0")/.." && pwd)
travel=$here/../shared/domains/genius/anac/y2010/Travel
[ -d "$travel" ] || { echo "cli_process: no ../shared/domains: skipped"; exit 0; }
command -v hyperfine >/dev/null || { echo "cli_process: hyperfine not installed (apt-get install hyperfine): skipped"; exit 0; }
files="$travel/travel_domain.xml $travel/travel_chox.xml $travel/travel_fanny.xml"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
hyperfine -N -w 3 -r "$runs" --export-json "$out" \
  -n "shuttle --help" "$build/shuttle --help" \
  -n "analyze Travel" "$build/shuttle analyze $files" \
  -n "negotiate Travel boulware x2, 1000 rounds" "$build/shuttle negotiate --party boulware --party boulware --rounds 1000 $files" \
  >/dev/null 2>&1
python3 - "$out" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print("%-45s median %6.2f ms  (user %5.2f ms, system %5.2f ms, %d runs)" % (
        r["command"], r["median"] * 1e3, r["user"] * 1e3, r["system"] * 1e3, len(r["times"])))
PY
