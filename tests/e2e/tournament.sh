#!/usr/bin/env bash
# shuttle tournament: job count, files, summary, refusal to overwrite, resume after a torn write
# and after SIGINT giving exactly the results of an uninterrupted run.
# Usage: bash tournament.sh PATH_TO_SHUTTLE SOURCE_DIR
set -euo pipefail
shuttle=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$shuttle" generate --issues 3 --values 4 --parties 2 --seed 11 --name duo -o "$tmp/duo.json" >/dev/null
"$shuttle" generate --issues 2 --values 3 --parties 3 --seed 12 --name trio -o "$tmp/trio.json" >/dev/null
args=(-a boulware,conceder,tit-for-tat -s "$tmp/duo.json" -s "$tmp/trio.json" --rounds 40 -q)

"$shuttle" tournament "${args[@]}" --seed 5 -j 2 -o "$tmp/full" >"$tmp/full.out"
# 3 agents; duo: 2 rotations x 3^2 ordered pairs = 18; trio: 3 rotations x 3^3 = 81.
rows=$(($(wc -l <"$tmp/full/results.csv") - 1))
[ "$rows" -eq 99 ] || fail "expected 99 result rows, got $rows"
[ "$(wc -l <"$tmp/full/results.jsonl")" -eq 99 ] || fail "results.jsonl does not have 99 lines"
[ "$(cut -d, -f1 "$tmp/full/results.csv" | tail -n +2 | sort -n | uniq | wc -l)" -eq 99 ] || fail "job indices repeat"
[ "$(wc -l <"$tmp/full/summary.csv")" -eq 4 ] || fail "summary.csv should have a header and 3 agents"
for a in boulware conceder tit-for-tat; do
  grep -q "^$a " "$tmp/full.out" || fail "summary table lacks $a"
done
grep -q "99 negotiations" "$tmp/full.out" || fail "summary table does not count 99 negotiations"

# The same seed on one thread gives the same results (sorted: completion order varies).
"$shuttle" tournament "${args[@]}" --seed 5 -j 1 -o "$tmp/serial" >/dev/null
diff <(sort "$tmp/full/results.csv") <(sort "$tmp/serial/results.csv") >/dev/null || fail "1 thread differs from 2"
cmp -s "$tmp/full/summary.csv" "$tmp/serial/summary.csv" || fail "summaries differ between 1 and 2 threads"
# Another seed gives other results.
"$shuttle" tournament "${args[@]}" --seed 6 -o "$tmp/other" >/dev/null
! diff -q <(sort "$tmp/full/results.csv") <(sort "$tmp/other/results.csv") >/dev/null || fail "seed has no effect"

# An existing folder is not overwritten; a different tournament cannot resume it.
if "$shuttle" tournament "${args[@]}" --seed 5 -o "$tmp/full" 2>"$tmp/err"; then fail "overwrote a results folder"; fi
grep -q "already holds tournament results" "$tmp/err" || fail "no reason given for refusing the folder"
if "$shuttle" tournament "${args[@]}" --seed 9 --resume -o "$tmp/full" 2>"$tmp/err"; then fail "resumed another tournament"; fi
grep -q "different tournament" "$tmp/err" || fail "no reason given for refusing to resume"

# A crash mid-write: 40 complete lines and half of the 41st, no summary.
mkdir "$tmp/torn"
cp "$tmp/full/tournament.json" "$tmp/torn/"
head -n 40 "$tmp/full/results.jsonl" >"$tmp/torn/results.jsonl"
sed -n 41p "$tmp/full/results.jsonl" | head -c 30 >>"$tmp/torn/results.jsonl"
"$shuttle" tournament "${args[@]}" --seed 5 --resume -o "$tmp/torn" >/dev/null 2>"$tmp/resume.err"
diff <(sort "$tmp/full/results.csv") <(sort "$tmp/torn/results.csv") >/dev/null || fail "resumed run differs from the full run"
cmp -s "$tmp/full/summary.csv" "$tmp/torn/summary.csv" || fail "resumed summary differs"

# SIGINT while running (a longer tournament, so the signal lands mid-run), then resume: still the
# results of an uninterrupted run.
long=("${args[@]}" --seed 5 -r 100)
"$shuttle" tournament "${long[@]}" -j 2 -o "$tmp/long" >/dev/null
"$shuttle" tournament "${long[@]}" -j 1 -o "$tmp/int" >/dev/null 2>"$tmp/int.err" &
pid=$!
sleep 0.1
kill -INT "$pid" 2>/dev/null || true
status=0
wait "$pid" || status=$?
if [ "$status" -ne 0 ]; then
  grep -q "resume" "$tmp/int.err" || fail "an interrupted run should say how to resume"
  [ ! -e "$tmp/int/summary.csv" ] || fail "an interrupted run wrote a summary"
  "$shuttle" tournament "${long[@]}" --resume -o "$tmp/int" >/dev/null
fi
diff <(sort "$tmp/long/results.csv") <(sort "$tmp/int/results.csv") >/dev/null || fail "interrupted + resumed differs"
cmp -s "$tmp/long/summary.csv" "$tmp/int/summary.csv" || fail "interrupted + resumed summary differs"
echo "tournament e2e: ok (interrupted run exit status $status)"
