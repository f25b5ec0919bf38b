#!/usr/bin/env bash
# End-to-end: shuttle negotiate --protocol blind-bidding on examples/injury-claim.json: the
# settlement by each rule, secret bids in the log, replay, the rules as options, the car-sale
# example's price (a real issue) on its own, and the errors
# (a scenario of many issues, rules given to another protocol, an unknown claimant or rule).
# Usage: bash blind_bidding.sh PATH_TO_SHUTTLE SOURCE_DIR
source "$(dirname "$0")/lib/checks.bash" "$@"
pass() { echo "ok: $*"; }
CLAIM="$SOURCE/examples/injury-claim.json"

# settles NAME EXPECTED_AMOUNT EXPECTED_ROUNDS ARGS...: runs negotiate --json and checks the result.
settles() {
  local name=$1 amount=$2 rounds=$3
  shift 3
  "$SHUTTLE" negotiate --protocol blind-bidding --json "$@" "$CLAIM" >"$WORK/out.json" 2>"$WORK/err.txt"
  local status=$?
  if [ $status -ne 0 ]; then fail "$name: exit $status: $(cat "$WORK/err.txt")"; return; fi
  python3 - "$WORK/out.json" "$amount" "$rounds" <<'PY' && pass "$name" || fail "$name: $(head -c 400 "$WORK/out.json")"
import json, sys
j = json.load(open(sys.argv[1]))
amount, rounds = sys.argv[2], int(sys.argv[3])
if amount == "none":
    assert j["agreement"] is None, j["agreement"]
else:
    assert j["agreement"] == {"amount": int(amount)}, j["agreement"]
assert j["rounds"] == rounds, j["rounds"]
PY
}

# 1. The default rules, three rounds: linear bidders reach their limits in round 3, where the offer
# (60,000) crosses the demand (35,000): settled at the demand.
settles "bidders cross in round 3, at the demand" 35000 3 --party bidder --party bidder \
  --log "$WORK/run.jsonl"
# 2. The same bids settle at the midpoint when the crossing rule says so.
settles "--crossing midpoint" 47500 3 --party bidder --party bidder --crossing midpoint
# 3. Conceders come within 30% in round 2 (54,039 and 42,426): the midpoint.
settles "conceders within 30% in round 2" 48232 2 --party bidder:e=2 --party bidder:e=2
# 4. A fixed margin of 40,000 catches round 2 (67,500 and 30,000) with the percentage off.
settles "--margin-amount 40000" 48750 2 --party bidder --party bidder --margin-percent 0 \
  --margin-amount 40000
# 5. Hardliners never move: no settlement after the round limit.
settles "hardliners, --rounds 5" none 5 --party hardliner --party hardliner --rounds 5
# 6. The claimant by name is the default's party; naming the insurer (by name or index) makes it
# the claimant, whose demand of 0 the first offer meets.
settles "--claimant claimant" 35000 3 --party bidder --party bidder --claimant claimant
settles "--claimant insurer" 0 1 --party bidder --party bidder --claimant insurer
settles "--claimant 1" 0 1 --party bidder --party bidder --claimant 1

# 7. The log: bids heard by their bidder alone; the rest public and free of bids; the settlement.
if [ -f "$WORK/run.jsonl" ]; then
  python3 - "$WORK/run.jsonl" <<'PY' && pass "log: secret bids, public rounds" || fail "log contents"
import json, sys
lines = open(sys.argv[1]).read().splitlines()
events = [json.loads(l) for l in lines[1:]]
assert events[0]["type"] == "start"
assert '"blind_bidding"' in events[0]["text"]
bids = [e for e in events if e["type"] == "offer"]
assert len(bids) == 6
for e in bids:
    assert e["audience"] == "caucus:%d" % e["actor"], e
notes = [e for e in events if e["type"] == "note"]
assert [n["text"] for n in notes] == ["round 1 of 3: no settlement", "round 2 of 3: no settlement"]
for e in events:
    if e["type"] != "offer":
        assert e["audience"] == "public", e
        assert "outcome" not in e or e["type"] == "agreement", e
assert events[-1]["type"] == "agreement" and events[-1]["outcome"] == {"amount": 35000}
PY
  "$SHUTTLE" replay "$WORK/run.jsonl" >"$WORK/replay.txt" 2>&1
  status=$?
  if [ $status -eq 0 ] && grep -q "matches" "$WORK/replay.txt"; then pass "replay matches"
  else fail "replay: exit $status: $(cat "$WORK/replay.txt")"; fi
else
  fail "--log wrote no file"
fi

# 8. The transcript names the protocol and the settlement.
"$SHUTTLE" negotiate --protocol blind-bidding --party bidder --party bidder "$CLAIM" >"$WORK/text.txt" 2>&1
if grep -q "^blind-bidding: .*deadline 3 rounds" "$WORK/text.txt" &&
   grep -q "^Agreement in round 3 .*amount=35000" "$WORK/text.txt"; then pass "transcript"
else fail "transcript: $(head -c 600 "$WORK/text.txt")"; fi

# 9. The car-sale example's price alone: a real issue (24,000 to 28,000 in steps of 50), the dealer
# the claimant. With a 5% margin the bids come down the 50-euro grid and reach the reservation
# prices in round 3 (dealer 25,600, utility 0.4; buyer 26,600, utility 0.35), where the offer
# crosses the demand: settled at the demand.
python3 - "$SOURCE/examples/car-sale.json" "$WORK/price.json" <<'PY' || fail "could not cut the price out of car-sale"
import json, sys
s = json.load(open(sys.argv[1]))
s["issues"] = [i for i in s["issues"] if i["name"] == "price"]
for p in s["parties"]:
    p["profile"]["weights"] = {"price": 1}
    p["profile"]["evaluators"] = {"price": p["profile"]["evaluators"]["price"]}
del s["agenda"]
json.dump(s, open(sys.argv[2], "w"))
PY
"$SHUTTLE" negotiate --protocol blind-bidding --json --party bidder --party bidder --claimant dealer \
  --margin-percent 5 --log "$WORK/price.jsonl" "$WORK/price.json" >"$WORK/out.json" 2>"$WORK/err.txt"
status=$?
if [ $status -ne 0 ]; then fail "car-sale price: exit $status: $(cat "$WORK/err.txt")"
else
  python3 - "$WORK/out.json" "$WORK/price.jsonl" <<'PY' && pass "car-sale price, a real issue" || fail "car-sale price: $(head -c 400 "$WORK/out.json")"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["agreement"] == {"price": 25600} and j["rounds"] == 3, (j["agreement"], j["rounds"])
bids = [e["outcome"]["price"] for e in map(json.loads, open(sys.argv[2]).read().splitlines()[1:])
        if e["type"] == "offer"]
assert bids[-2:] == [25600, 26600] and all(b % 50 == 0 for b in bids), bids
PY
fi

# expect_error NAME STATUS TEXT ARGS...: negotiate must exit STATUS saying TEXT.
expect_error() {
  local name=$1 want=$2 text=$3
  shift 3
  "$SHUTTLE" negotiate "$@" >"$WORK/err.txt" 2>&1
  local status=$?
  if [ $status -eq "$want" ] && grep -q -- "$text" "$WORK/err.txt"; then pass "$name: exit $want"
  else fail "$name: exit $status (want $want): $(cat "$WORK/err.txt")"; fi
}
expect_error "many issues" 3 "exactly one integer or real issue" --protocol blind-bidding \
  --party bidder --party bidder "$SOURCE/examples/car-sale.json"
expect_error "rules without blind-bidding" 2 "give them with --protocol blind-bidding" \
  --party bidder --party bidder --margin-percent 10 "$CLAIM"
expect_error "unknown claimant" 2 "no such party" --protocol blind-bidding --party bidder \
  --party bidder --claimant plaintiff "$CLAIM"
expect_error "unknown crossing rule" 2 "known: demand, midpoint" --protocol blind-bidding \
  --party bidder --party bidder --crossing split "$CLAIM"
expect_error "margin past 100%" 2 "margin-percent" --protocol blind-bidding --party bidder \
  --party bidder --margin-percent 120 "$CLAIM"

finish blind-bidding
