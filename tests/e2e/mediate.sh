#!/usr/bin/env bash
# End-to-end: `shuttle mediate` on the resuming-talks example (impasse, diagnosis, --relax to an
# agreement), with JSON output, an event log that `shuttle replay`-style readers accept, reticent
# parties on a generated scenario, a six-party game under a 5-of-6 agreement rule, and the CLI's
# errors.
# Usage: bash mediate.sh PATH_TO_SHUTTLE SOURCE_DIR
source "$(dirname "$0")/lib/checks.bash" "$@"
EXAMPLE="$SOURCE/examples/resuming-talks.json"

# Evaluates a Python expression on the JSON in $WORK/out (bound to j); fails with the message.
check() {
  python3 - "$WORK/out" "$1" <<'PY' || fail "$2"
import json, sys
j = json.load(open(sys.argv[1]))
if not eval(sys.argv[2]):
    print(json.dumps(j, indent=1)[:4000], file=sys.stderr)
    sys.exit(1)
PY
}

# 1. Under the stated red lines: impasse, with a diagnosis naming both sides' demands.
run mediate "$EXAMPLE" || fail "mediate exited $?: $(cat "$WORK/err")"
grep -q "impasse" "$WORK/out" || fail "no impasse in the text output"
grep -q "Impasse diagnosis" "$WORK/out" || fail "no diagnosis in the text output"
grep -q "Israel: border reference must not be" "$WORK/out" || fail "the diagnosis does not name Israel's demand"
grep -q "Palestinians: border reference must be" "$WORK/out" || fail "the diagnosis does not name the Palestinian demand"
grep -q "Cheapest relaxation" "$WORK/out" || fail "no relaxation in the diagnosis"

run mediate --json "$EXAMPLE" || fail "mediate --json exited $?"
check 'j["status"] == "impasse" and j["agreement"] is None' "JSON status is not an impasse"
check 'all(k in j for k in ["status", "agreement", "utilities", "visits", "gap_by_visit", "statements", "diagnosis"])' \
  "JSON lacks a required field"
check 'len(j["gap_by_visit"]) == j["visits"] == len(j["statements"])' "one gap and one statement per visit"
check '{c["party"] for c in j["diagnosis"]["conflict"]} == {"Israel", "Palestinians"}' "the conflict is not across parties"
check 'len(j["diagnosis"]["relaxation"]) == 2' "the relaxation should drop one demand from each of the two conflicts"
check 'all(0 <= g <= 1 for g in j["gap_by_visit"])' "a gap outside [0, 1]"

# 2. Taking the cheapest relaxation: agreement, within the remaining red lines.
run mediate --relax --json --log "$WORK/talks.jsonl" "$EXAMPLE" || fail "mediate --relax exited $?: $(cat "$WORK/err")"
check 'j["status"] == "agreement"' "no agreement once relaxed"
check 'j["relaxation"]["before"]["status"] == "impasse"' "the JSON does not keep the impasse before the relaxation"
check 'j["agreement"]["prisoner release"] != "before talks"' "the agreement crosses Israel's remaining red line"
check 'all(j["agreement"][i] == "for final-status talks" for i in ["borders", "security", "Jerusalem", "refugees"])' \
  "deferred final-status issues were negotiated"
check 'all(u >= 0.35 for u in j["utilities"].values())' "an agreement below a reservation value"
check 'j["gap_by_visit"][-1] == 0' "the gap does not close at the agreement"
check 'all("Israel" not in s and "Palestinians" not in s and "freeze" not in s for s in j["statements"])' \
  "a public statement names a party or a value"
[ -s "$WORK/talks.jsonl" ] || fail "no event log written"
head -1 "$WORK/talks.jsonl" | grep -q '"protocol":"shuttle"\|"protocol": "shuttle"' || fail "the log header is not a shuttle log"

run mediate --relax "$EXAMPLE" || fail "mediate --relax (text) exited $?"
grep -q "Taking the cheapest relaxation" "$WORK/out" || fail "the text output does not show the relaxation"
grep -q "^Agreement after" "$WORK/out" || fail "the text output does not show the agreement"

# 3. Deterministic: the same command twice gives the same output.
run mediate --json --party reticent --party strategic --seed 7 "$EXAMPLE" && cp "$WORK/out" "$WORK/first"
run mediate --json --party reticent --party strategic --seed 7 "$EXAMPLE"
cmp -s "$WORK/first" "$WORK/out" || fail "two identical runs differ"

# 4. Reticent parties on a generated scenario with a zone of agreement; every criterion.
run generate --issues 4 --values 4 --parties 2 --seed 5 --opposition 0.6 -o "$WORK/gen.json" || fail "generate exited $?"
for criterion in nash ks egalitarian welfare; do
  run mediate --json --criterion "$criterion" --party reticent --party reticent "$WORK/gen.json" \
    || fail "mediate --criterion $criterion exited $?: $(cat "$WORK/err")"
  check 'j["status"] == "agreement" and j["visits"] < 30' "reticent parties did not agree under $criterion"
done

# 5. A date deadline becomes a visit limit.
run mediate --json --party reticent --party reticent --start 2013-07-01 --deadline 2013-07-29 \
  --days-per-visit 7 "$WORK/gen.json" || fail "mediate with a deadline exited $?: $(cat "$WORK/err")"
check 'j["visits"] <= 5' "the deadline (5 visits) was not kept"

# 5b. The engine's questions and its search after agreement are on by default, recorded in the
# log's start, and off with --no-questions --improve-visits 0.
CAR="$SOURCE/examples/car-sale.json"
run mediate --party reticent --party reticent --log "$WORK/asks.jsonl" "$CAR" \
  || fail "mediate (questions) exited $?: $(cat "$WORK/err")"
grep -q '"type":"ask"' "$WORK/asks.jsonl" || fail "the mediator asked no question"
grep -q '\\"ask\\":true' "$WORK/asks.jsonl" || fail "the start does not record ask"
run mediate --party reticent --party reticent --no-questions --improve-visits 0 \
  --log "$WORK/quiet.jsonl" "$CAR" || fail "mediate --no-questions exited $?: $(cat "$WORK/err")"
! grep -q '"type":"ask"' "$WORK/quiet.jsonl" || fail "--no-questions still asked"
grep -q '\\"improve_visits\\":0' "$WORK/quiet.jsonl" || fail "the start does not record improve_visits 0"
run mediate --improve-visits -1 "$CAR"
[ $? -eq 2 ] || fail "a negative --improve-visits should be a usage error (2)"

# 6. A six-party game whose deal needs five parties, the developer and the federal agency among
# them: no outcome suits all six, reticent parties agree under the rule, the log replays, and the
# parties outside the coalition hear the outcome but not who accepted (only the mediator's settle
# names them).
HARBOR="$SOURCE/examples/harbor-expansion.json"
SIX=(--party reticent --party reticent --party reticent --party reticent --party reticent --party reticent)
run mediate --json "${SIX[@]}" --log "$WORK/harbor.jsonl" "$HARBOR" \
  || fail "mediate harbor exited $?: $(cat "$WORK/err")"
check 'j["status"] == "agreement"' "the six-party game did not agree under its rule"
check 'j["utilities"]["developer"] >= 0.58 and j["utilities"]["federal_agency"] >= 0.55' \
  "a required party is below its reservation value"
check 'sum(u >= rv for u, rv in zip(j["utilities"].values(), [0.58, 0.55, 0.45, 0.5, 0.72, 0.5])) >= 5' \
  "fewer than five parties are at or above their reservation values"
python3 - "$WORK/harbor.jsonl" <<'PY' || fail "the settle of the six-party game is wrong or leaks"
import json, sys
events = [json.loads(line) for line in open(sys.argv[1])][1:]
settles = [e for e in events if e["type"] == "settle"]
assert settles and all(e["audience"] == "mediator" for e in settles), settles
accepted = json.loads(settles[-1]["text"])["accepted"]
assert len(accepted) >= 5 and 0 in accepted and 1 in accepted, accepted
for e in events:
    if e["audience"] != "mediator":
        assert "accepted" not in e.get("text", ""), e
PY
run replay "$WORK/harbor.jsonl" || fail "replay of the six-party log exited $?: $(cat "$WORK/err")"
grep -q "replay matches" "$WORK/out" || fail "the six-party log does not replay"

# 7. The car sale with its price settled last by blind bidding (--bid-last): the dealer claims
# (it gains most from a high price); the log's last round of bids settles by the rule, no bid is
# heard outside its party's caucus, and the log replays.
CAR="$SOURCE/examples/car-sale.json"
run mediate --bid-last price --margin-percent 0 --margin-amount 200 --party reticent --party reticent \
  --json --log "$WORK/bid.jsonl" "$CAR" || fail "mediate --bid-last exited $?: $(cat "$WORK/err")"
check 'j["status"] == "agreement" and j["bidding"][-1]["settled"] and len(j["bidding"]) <= 3' "no agreement with the price by blind bidding"
python3 - "$WORK/bid.jsonl" <<'PY' || fail "the bidding step's log is wrong"
import json, sys
events = [json.loads(l) for l in open(sys.argv[1])][1:]
start = next(e for e in events if e["type"] == "start")
bidding = json.loads(start["text"])["bidding"]
assert bidding["rules"]["claimant"] == 1 and bidding["rules"]["margin_amount"] == 200, bidding
bids = {}
for e in events:
    if e["type"] == "answer" and '"bid"' in e.get("text", ""):
        assert e["audience"] == f"caucus:{e['actor']}", e
        bids[e["actor"]] = json.loads(e["text"])["bid"]
demand, offer = bids[1], bids[0]
price = next(e for e in events if e["type"] == "agreement")["outcome"]["price"]
if offer >= demand:
    assert price == demand, (demand, offer, price)
else:
    assert demand - offer <= 200, (demand, offer)
    assert abs(price - (demand + offer) / 2) <= 25, (demand, offer, price)
notes = [e for e in events if e["type"] == "note" and e["actor"] == "system"]
assert notes and all(e["audience"].startswith("caucus:") for e in notes), notes
PY
run replay "$WORK/bid.jsonl" || fail "replay of the bidding log exited $?: $(cat "$WORK/err")"
grep -q "replay matches" "$WORK/out" || fail "the bidding log does not replay"
run mediate --bid-last warranty "$CAR"
[ $? -eq 2 ] || fail "--bid-last on a discrete issue should be a usage error (2): $(cat "$WORK/err")"
grep -q "'warranty' is discrete" "$WORK/err" || fail "the error does not say the issue is discrete"
run mediate --claimant dealer "$CAR"
[ $? -eq 2 ] || fail "--claimant without --bid-last should be a usage error (2)"

# 8. Errors: usage, unknown party kind, criterion, malformed dates.
run mediate --party truthful "$EXAMPLE"
[ $? -eq 2 ] || fail "one --party for two parties should be a usage error (2)"
run mediate --party truthful --party sly "$EXAMPLE"
[ $? -eq 2 ] || fail "an unknown caucus party should be a usage error (2): $(cat "$WORK/err")"
grep -q "unknown caucus party 'sly'" "$WORK/err" || fail "the error does not name the unknown party"
run mediate --criterion fairest "$EXAMPLE"
[ $? -eq 2 ] || fail "an unknown criterion should be a usage error (2)"
run mediate --deadline 2013-02-30 --start 2013-01-01 "$EXAMPLE"
[ $? -eq 2 ] || fail "a malformed date should be a usage error (2)"
run mediate "$WORK/missing.json"
[ $? -eq 4 ] || fail "a missing file should be an I/O error (4)"

finish mediate
