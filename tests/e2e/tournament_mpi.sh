#!/usr/bin/env bash
# mpirun -np 2 shuttle tournament --mpi gives the results and summary of the single-process run,
# and resumes a folder a single-process run left half done. Skips when Open MPI is absent.
# Usage: bash tournament_mpi.sh PATH_TO_SHUTTLE SOURCE_DIR
set -euo pipefail
shuttle=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
if ! command -v mpirun >/dev/null; then echo "SKIP: mpirun not found (apt-get install openmpi-bin)"; exit 0; fi
"$shuttle" generate --issues 3 --values 4 --parties 2 --seed 21 --name duo -o "$tmp/duo.json" >/dev/null
"$shuttle" generate --issues 4 --values 3 --parties 2 --seed 22 --name other -o "$tmp/other.json" >/dev/null
args=(-a boulware,linear,conceder,tit-for-tat -s "$tmp/duo.json" -s "$tmp/other.json" --rounds 50 --seed 3 -q)
probe=$("$shuttle" tournament -q -a x -s "$tmp/duo.json" --mpi -o "$tmp/probe" 2>&1 </dev/null || true)
if grep -q "without Open MPI" <<<"$probe"; then
  echo "SKIP: this shuttle was built without Open MPI"; exit 0
fi
rm -rf "$tmp/probe"
# Open MPI's own allocations are not ours to check under AddressSanitizer.
export ASAN_OPTIONS=detect_leaks=0
mpi=(mpirun --allow-run-as-root --oversubscribe -np 2)

"$shuttle" tournament "${args[@]}" -j 1 -o "$tmp/single" >/dev/null
"${mpi[@]}" "$shuttle" tournament "${args[@]}" --mpi -o "$tmp/mpi" >"$tmp/mpi.out"
[ "$(wc -l <"$tmp/mpi/results.csv")" -eq 65 ] || fail "expected 64 results (2 scenarios x 2 rotations x 16 pairs)"
diff <(sort "$tmp/single/results.csv") <(sort "$tmp/mpi/results.csv") >/dev/null || fail "MPI results differ"
cmp -s "$tmp/single/summary.csv" "$tmp/mpi/summary.csv" || fail "MPI summary differs"
[ "$(grep -c '^boulware ' "$tmp/mpi.out")" -eq 1 ] || fail "the summary should be printed once (by rank 0)"

# Half a run on one machine, finished by two ranks.
mkdir "$tmp/half"
cp "$tmp/single/tournament.json" "$tmp/half/"
head -n 30 "$tmp/single/results.jsonl" >"$tmp/half/results.jsonl"
"${mpi[@]}" "$shuttle" tournament "${args[@]}" --mpi --resume -o "$tmp/half" >/dev/null
diff <(sort "$tmp/single/results.csv") <(sort "$tmp/half/results.csv") >/dev/null || fail "MPI resume differs"
echo "tournament MPI e2e: ok"
