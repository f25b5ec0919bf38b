#!/usr/bin/env bash
# Quality figures of the shuttle mediator over the GENIUS corpus (src/mediation/README.md):
# every 2-party linear domain of ../shared/domains/genius with at most 10^6 outcomes, with
# reticent, truthful and strategic caucus parties, mixed pairs, other concession paces, and the
# best SAO pairing of time-dependent parties for comparison; then reticent parties on the 2-party
# hyper-rectangle domains (about a minute: their frontiers take seconds each); then reticent and
# truthful parties on the numeric domains (--numeric: those with an integer or real issue,
# continuous ones on their grid, and the car-sale example stepped and continuous), under the same
# cap and under 10^7 outcomes (7issues and the continuous car sale join). Truthful parties are not
# run on the hyper-rectangle domains: they confide weights and values, which those profiles lack.
# Usage: bench/mediation_quality.sh [BUILD_DIR]   (default: build)
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")/.." && pwd)
cmake --build "$build" --target mediation_quality_bench >/dev/null
bin="$build/mediation_quality_bench"
[ -d "$here/../shared/domains/genius" ] || { echo "no GENIUS domains at $here/../shared/domains/genius: skipped"; exit 0; }
echo "== reticent parties, and the best SAO pairing of time-dependent parties on the same domains"
"$bin" --parties reticent,reticent --sao --worst 10 --advice 2>/dev/null
for parties in truthful,truthful strategic,strategic strategic,truthful truthful,strategic \
               reticent:patience=30,reticent:patience=30 reticent:e=0.5,reticent:e=0.5 \
               reticent:patience=10,reticent:patience=40; do
  echo "== $parties"
  "$bin" --parties "$parties" 2>/dev/null | tail -n +2
done
for criterion in ks egalitarian welfare; do
  echo "== reticent, criterion $criterion"
  "$bin" --parties reticent,reticent --criterion "$criterion" 2>/dev/null | tail -n +2
done
echo "== reticent parties on the 2-party hyper-rectangle domains (ANAC 2014 and others)"
"$bin" --parties reticent,reticent --nonlinear 2>/dev/null | tail -n +2
for cap in 1e6 1e7; do
  echo "== reticent parties on the numeric domains, <= $cap outcomes on the grid (each domain's grid first)"
  "$bin" --parties reticent,reticent --numeric --max-outcomes "$cap" --worst 5 2>/dev/null
  echo "== truthful, the same domains"
  "$bin" --parties truthful,truthful --numeric --max-outcomes "$cap" 2>/dev/null | sed '0,/^domains:/d'
done
echo "== reticent parties with a 20-visit limit on the domains with a discounted profile"
"$bin" --parties reticent,reticent --discounted --visits 20 2>/dev/null | sed '0,/^domains:/d'
