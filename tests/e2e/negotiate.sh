#!/usr/bin/env bash
# End-to-end: shuttle negotiate (--json, transcript, --log), shuttle replay (a faithful log
# matches; a log with one line edited does not, and says where), determinism of the CLI.
# Usage: bash negotiate.sh PATH_TO_SHUTTLE SOURCE_DIR
set -u
SHUTTLE=$(realpath "$1")
SRC=$(realpath "$2")
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

SCENARIO="$SRC/examples/car-sale.json"
if [ ! -f "$SCENARIO" ]; then
  SCENARIO="$TMP/generated.json"
  "$SHUTTLE" generate --issues 4 --values 6 --parties 2 --seed 3 -o "$SCENARIO" >/dev/null ||
    { echo "FAIL: cannot generate a scenario" >&2; exit 1; }
fi

# 1. --json: one object with the documented fields, consistent with each other.
"$SHUTTLE" negotiate --party boulware --party conceder --rounds 200 --seed 7 --json --log "$TMP/run.jsonl" \
  "$SCENARIO" >"$TMP/out.json" 2>"$TMP/err.txt"
status=$?
if [ $status -ne 0 ]; then
  fail "negotiate --json exited $status: $(cat "$TMP/err.txt")"
else
  python3 - "$TMP/out.json" <<'EOF' && pass "negotiate --json" || fail "negotiate --json output: $(head -c 400 "$TMP/out.json")"
import json, sys
j = json.load(open(sys.argv[1]))
for key in ("agreement", "utilities", "rounds", "metrics"):
    assert key in j, key
assert len(j["utilities"]) == 2
assert isinstance(j["rounds"], int) and 1 <= j["rounds"] <= 200
m = j["metrics"]
assert m["agreement"] == (j["agreement"] is not None)
assert abs(m["welfare"] - sum(j["utilities"])) < 1e-9
assert 0 <= m["time"] <= 1 and m["pareto_distance"] >= 0
if j["agreement"] is not None:
    assert isinstance(j["agreement"], dict) and len(j["agreement"]) >= 1
EOF
fi

# 2. The log file: a header line, then one JSON object per event; the last one closes the session.
if [ -f "$TMP/run.jsonl" ]; then
  python3 - "$TMP/run.jsonl" "$TMP/out.json" <<'EOF' && pass "log file" || fail "log file contents"
import json, sys
lines = open(sys.argv[1]).read().splitlines()
header = json.loads(lines[0])
assert header["format"] == "shuttle-event-log" and header["seed"] == 7
assert header["agents"] == ["boulware", "conceder"]
events = [json.loads(l) for l in lines[1:]]
assert events[0]["type"] == "start"
assert events[-1]["type"] in ("agreement", "no-agreement")
out = json.load(open(sys.argv[2]))
assert len(events) == out["events"]
if out["agreement"] is not None:
    assert events[-1]["outcome"] == out["agreement"]
EOF
else
  fail "--log wrote no file"
fi

# 3. Replay of the faithful log matches (exit 0).
"$SHUTTLE" replay "$TMP/run.jsonl" >"$TMP/replay.txt" 2>&1
status=$?
if [ $status -eq 0 ] && grep -q "matches" "$TMP/replay.txt"; then pass "replay matches"
else fail "replay of a faithful log: exit $status: $(cat "$TMP/replay.txt")"; fi

# 4. Same seed, same log, byte for byte.
"$SHUTTLE" negotiate --party boulware --party conceder --rounds 200 --seed 7 --transcript none \
  --log "$TMP/run2.jsonl" "$SCENARIO" >/dev/null 2>&1
if cmp -s "$TMP/run.jsonl" "$TMP/run2.jsonl"; then pass "same seed, same log"
else fail "two runs with the same seed wrote different logs"; fi

# 5. Tampered logs: change the last event's outcome (or text), or one offer in the middle.
tamper() {  # tamper IN OUT WHICH(last|middle-offer): edits exactly one line
  python3 - "$1" "$2" "$3" <<'EOF'
import json, sys
src, dst, which = sys.argv[1:]
lines = open(src).read().splitlines()
header = json.loads(lines[0])
issues = {i["name"]: i for i in header["scenario"]["issues"]}
def other_value(issue, value):
    if "values" in issue:
        values = [v if isinstance(v, str) else v.get("name", v.get("label")) for v in issue["values"]]
        return next(v for v in values if v != value)
    step = issue.get("step") or 1  # Another value of the issue: the next on a real issue's grid.
    return value + step if value + step <= issue.get("upper", value + step) else value - step
if which == "last":
    idx = len(lines) - 1
else:
    offers = [i for i in range(2, len(lines)) if json.loads(lines[i])["type"] == "offer"]
    idx = offers[len(offers) // 2]
event = json.loads(lines[idx])
if "outcome" in event:
    name = next(iter(event["outcome"]))
    event["outcome"][name] = other_value(issues[name], event["outcome"][name])
else:
    event["text"] = (event.get("text") or "") + " (edited)"
lines[idx] = json.dumps(event, separators=(",", ":"))
open(dst, "w").write("\n".join(lines) + "\n")
print(idx + 1)
EOF
}
for which in last middle-offer; do
  line=$(tamper "$TMP/run.jsonl" "$TMP/tampered-$which.jsonl" $which) || { fail "could not tamper ($which)"; continue; }
  if cmp -s "$TMP/run.jsonl" "$TMP/tampered-$which.jsonl"; then fail "tampering ($which) changed nothing"; continue; fi
  "$SHUTTLE" replay "$TMP/tampered-$which.jsonl" >"$TMP/replay-$which.txt" 2>&1
  status=$?
  if [ $status -eq 1 ] && grep -q "does NOT match" "$TMP/replay-$which.txt" &&
     grep -q "line $line" "$TMP/replay-$which.txt"; then
    pass "tampered log ($which, line $line) fails replay: $(head -c 160 "$TMP/replay-$which.txt")"
  else
    fail "tampered log ($which, line $line): exit $status: $(cat "$TMP/replay-$which.txt")"
  fi
done

# 6. A malformed log is bad input (exit 3) naming the line.
sed '3s/"type":"[a-z-]*"/"type":"bogus"/' "$TMP/run.jsonl" >"$TMP/bad.jsonl"
"$SHUTTLE" replay "$TMP/bad.jsonl" >"$TMP/bad.txt" 2>&1
status=$?
if [ $status -eq 3 ] && grep -q "line 3" "$TMP/bad.txt"; then pass "malformed log: exit 3 with the line"
else fail "malformed log: exit $status: $(cat "$TMP/bad.txt")"; fi

# 7. The transcript: a header, first and last moves, and the result.
"$SHUTTLE" negotiate --party boulware --party conceder --rounds 200 "$SCENARIO" >"$TMP/text.txt" 2>&1
if grep -q "^ *round" "$TMP/text.txt" && grep -qE "more moves|offer" "$TMP/text.txt" &&
   grep -qE "^(Agreement|No agreement)" "$TMP/text.txt"; then pass "transcript"
else fail "transcript: $(head -c 600 "$TMP/text.txt")"; fi

# 8. Usage errors exit 2.
"$SHUTTLE" negotiate --party boulware "$SCENARIO" >/dev/null 2>&1
status=$?
if [ $status -eq 2 ]; then pass "one agent for two parties: exit 2"; else fail "agent count mismatch: exit $status"; fi

if [ $failures -ne 0 ]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "all negotiate e2e checks passed"
