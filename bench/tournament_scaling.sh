#!/usr/bin/env bash
# Speed-up of `shuttle tournament` from 1 to 2 threads and from 1 to 2 Open MPI ranks, on the
# reference tournament (boulware, conceder, linear, tit-for-tat; ANAC EnglandZimbabwe,
# ItexvsCypress, Grocery; rotations and self-play; 100 rounds) repeated R times so process start-up
# and scenario analysis are amortized. Prints wall-clock seconds (median of 5) and speed-ups.
# Usage: bash bench/tournament_scaling.sh [PATH_TO_SHUTTLE] [REPETITIONS]
set -euo pipefail
shuttle=${1:-build/shuttle}
reps=${2:-20}
here=$(cd "$(dirname "$0")/.." && pwd)
domains=$here/../shared/domains/genius/anac
[ -d "$domains" ] || { echo "needs ../shared/domains"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
args=(-q -a boulware,conceder,linear,tit-for-tat -s "$domains/y2010/EnglandZimbabwe"
      -s "$domains/y2010/ItexvsCypress" -s "$domains/y2011/Grocery" --rounds 100 -r "$reps")
median() {  # median wall-clock of 5 runs of "$@" (each into a fresh folder)
  local times=() t start
  for i in 1 2 3 4 5; do
    rm -rf "$tmp/out"
    start=$(date +%s.%N)
    "$@" -o "$tmp/out" >/dev/null
    times+=("$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { print e - s }')")
  done
  printf "%s\n" "${times[@]}" | sort -g | awk 'NR == 3 { printf "%.3f", $1 }'
}
echo "$((96 * reps)) negotiations"
t1=$(median "$shuttle" tournament "${args[@]}" -j 1); echo "threads 1: ${t1}s"
t2=$(median "$shuttle" tournament "${args[@]}" -j 2); echo "threads 2: ${t2}s  speed-up $(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.2f", a / b }')"
if command -v mpirun >/dev/null; then
  mpi=(mpirun --allow-run-as-root --oversubscribe)
  m1=$(median "${mpi[@]}" -np 1 "$shuttle" tournament --mpi -j 1 "${args[@]}"); echo "MPI 1 rank: ${m1}s"
  m2=$(median "${mpi[@]}" -np 2 "$shuttle" tournament --mpi -j 1 "${args[@]}")
  echo "MPI 2 ranks: ${m2}s  speed-up $(awk -v a="$m1" -v b="$m2" 'BEGIN { printf "%.2f", a / b }')"
fi
