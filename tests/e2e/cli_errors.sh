#!/usr/bin/env bash
# End-to-end: the CLI's exit statuses and messages for bad command lines and bad files, as
# README.md's exit table promises (2 usage, 3 bad input, 4 IO).
# Usage: bash cli_errors.sh PATH_TO_SHUTTLE SOURCE_DIR
source "$(dirname "$0")/lib/checks.bash" "$@"

# expect STATUS PATTERN -- ARGS...: runs the CLI, checks the exit status and that stderr matches
# the grep -E pattern.
expect() {
  local want=$1 pattern=$2
  shift 3
  "$SHUTTLE" "$@" >"$WORK/out" 2>"$WORK/err"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    fail "shuttle $*: exit $got, expected $want; stderr: $(head -c 600 "$WORK/err")"
  elif ! grep -Eq -- "$pattern" "$WORK/err"; then
    fail "shuttle $*: stderr does not match /$pattern/: $(head -c 600 "$WORK/err")"
  fi
}

CAR=$SOURCE/examples/car-sale.json

# 1. A file that may not be written is an IO error (exit 4), as a missing one is. Root ignores
# the mode bits of a folder, so it writes into sysfs instead, which refuses new files.
DENIED=""
mkdir "$WORK/readonly" && chmod 555 "$WORK/readonly"
if ! ( : >"$WORK/readonly/probe" ) 2>/dev/null; then
  DENIED=$WORK/readonly/x.json
elif ( : >/sys/kernel/shuttle-probe.json ) 2>&1 | grep -q "Permission denied"; then
  DENIED=/sys/kernel/x.json
fi
if [ -n "$DENIED" ]; then
  expect 4 "Permission denied" -- convert "$CAR" -o "$DENIED"
else
  echo "SKIP: no folder here refuses to be written (permission denied)" >&2
fi

# 2. A tournament checks its command line before any negotiation runs: a usage error (exit 2)
# naming the bad argument (an unknown agent used to fail each of its jobs, and the run exited 0).
expect 2 "--agents: unknown agent 'nosuch' \(known: .*boulware" -- \
  tournament -a nosuch,boulware -s "$CAR" -o "$WORK/t2" -q
[ -e "$WORK/t2/results.csv" ] && fail "tournament with an unknown agent wrote results"
expect 2 "--agents: .*boulware:e=x" -- tournament -a "boulware:e=x" -a conceder -s "$CAR" -o "$WORK/t3" -q
expect 2 "--protocol: unknown protocol 'foo'" -- tournament -a boulware,conceder -s "$CAR" -o "$WORK/t4" -q --protocol foo
expect 2 "--repetitions 0" -- tournament -a boulware,conceder -s "$CAR" -o "$WORK/t5" -q -r 0

# 3. Unknown names given to negotiate and mediate are usage errors (exit 2), not bad input (3),
# and the message lists the known names.
expect 2 "--party: unknown agent 'nosuch' \(known: .*boulware" -- \
  negotiate --party nosuch --party boulware "$CAR"
expect 2 "--protocol: unknown protocol 'foo' \(known: sao, .*adjusted-winner\)" -- \
  negotiate --protocol foo --party boulware --party conceder "$CAR"
expect 2 "--party: unknown .*'foo'.*truthful" -- \
  mediate --party foo --party truthful "$SOURCE/examples/resuming-talks.json"

# 4. adjusted-winner writes no event log: asking for one is a usage error, not silently ignored.
printf 'item,A,B\nhouse,60,50\ncar,40,50\n' >"$WORK/split.csv"
expect 2 "adjusted-winner has no event log" -- \
  negotiate --protocol adjusted-winner --log "$WORK/aw.jsonl" "$WORK/split.csv"
[ -e "$WORK/aw.jsonl" ] && fail "adjusted-winner --log wrote a file"
"$SHUTTLE" negotiate --protocol adjusted-winner "$WORK/split.csv" >"$WORK/out" 2>"$WORK/err" ||
  fail "adjusted-winner without --log: exit $?: $(cat "$WORK/err")"

# 5. A JSON syntax error is reported as one, with the file, line and column (exit 3).
printf '{\n"version": 1,\n"name": "x",, }\n' >"$WORK/broken.json"
expect 3 "loading '$WORK/broken.json': .*line 3, column 13" -- analyze "$WORK/broken.json"
grep -q "neither a Shuttle scenario" "$WORK/err" && fail "a syntax error was reported as an unknown JSON kind"

finish cli_errors
