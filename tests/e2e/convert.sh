#!/usr/bin/env bash
# End-to-end: `shuttle generate` and `shuttle convert` on real files.
# Usage: bash convert.sh PATH_TO_SHUTTLE SOURCE_DIR
source "$(dirname "$0")/lib/checks.bash" "$@"

# The two JSON files hold the same scenario, ignoring the top-level fields named after them
# (GENIUS XML has no description, agenda or metadata).
same_json() {
  python3 - "$@" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for field in sys.argv[3:]:
    a.pop(field, None)
    b.pop(field, None)
if a != b:
    print(json.dumps(a, indent=1, sort_keys=True)[:3000], file=sys.stderr)
    print(json.dumps(b, indent=1, sort_keys=True)[:3000], file=sys.stderr)
    sys.exit(1)
PY
}

# 1. generate -> GENIUS folder -> JSON: the same scenario (but the description, which GENIUS lacks).
run generate --issues 4 --values 5 --parties 3 --seed 11 --opposition 0.7 --reservation 0.25 \
  --name e2e -o "$WORK/original.json" || fail "generate exited $?: $(cat "$WORK/err")"
grep -q '"format": "shuttle-scenario"' "$WORK/original.json" || fail "generate did not write Shuttle JSON"
run convert "$WORK/original.json" -o "$WORK/genius" || fail "convert to GENIUS exited $?: $(cat "$WORK/err")"
for f in e2e_domain.xml party1.xml party2.xml party3.xml; do
  [ -f "$WORK/genius/$f" ] || fail "GENIUS folder lacks $f"
done
run convert "$WORK/genius" -o "$WORK/back.json" || fail "convert folder back exited $?: $(cat "$WORK/err")"
same_json "$WORK/original.json" "$WORK/back.json" description || fail "GENIUS round trip changed the scenario"

# The same with the files named one by one, domain first, and --to overriding the extension.
run convert "$WORK/genius/e2e_domain.xml" "$WORK/genius/party1.xml" "$WORK/genius/party2.xml" \
  "$WORK/genius/party3.xml" --to shuttle -o "$WORK/listed.out" || fail "convert of listed files exited $?: $(cat "$WORK/err")"
cmp -s "$WORK/back.json" "$WORK/listed.out" || fail "listing the files gave another scenario than the folder"

# A second round trip changes nothing at all: the writers are canonical.
run convert "$WORK/back.json" -o "$WORK/genius2" || fail "second convert to GENIUS exited $?"
run convert "$WORK/genius2" -o "$WORK/back2.json" || fail "second convert back exited $?"
cmp -s "$WORK/back.json" "$WORK/back2.json" || fail "second round trip is not byte-identical"

# Same seed, same file; generate straight to a GENIUS folder matches the JSON route.
run generate --issues 4 --values 5 --parties 3 --seed 11 --opposition 0.7 --reservation 0.25 \
  --name e2e -o "$WORK/again.json" || fail "second generate exited $?"
cmp -s "$WORK/original.json" "$WORK/again.json" || fail "generate is not deterministic for a seed"
run generate --issues 4 --values 5 --parties 3 --seed 11 --opposition 0.7 --reservation 0.25 \
  --name e2e -o "$WORK/direct" || fail "generate to a folder exited $?"
for f in e2e_domain.xml party1.xml party2.xml party3.xml; do
  cmp -s "$WORK/genius/$f" "$WORK/direct/$f" || fail "generate -o folder: $f differs from convert's"
done

# 2. The example scenario converts and comes back (its description, agenda and metadata excepted).
# Its price is a real issue in steps of 50: GENIUS XML has no step, so the writer adds Shuttle's
# step attribute to the <issue> (GENIUS itself would read a continuous price), and the reader
# takes it back; without it the price would come back continuous and the comparison would fail.
run convert "$SOURCE/examples/car-sale.json" -o "$WORK/car" || fail "convert car-sale exited $?: $(cat "$WORK/err")"
grep -q '<issue [^>]*name="price" type="real"[^>]* step="50"' "$WORK/car/car-sale_domain.xml" ||
  fail "the GENIUS domain lost the price's step: $(grep 'name="price"' "$WORK/car/car-sale_domain.xml")"
run convert "$WORK/car" -o "$WORK/car.json" || fail "convert car folder exited $?: $(cat "$WORK/err")"
run convert "$SOURCE/examples/car-sale.json" -o "$WORK/car-canonical.json" || fail "convert car-sale to JSON exited $?"
same_json "$WORK/car-canonical.json" "$WORK/car.json" description agenda metadata ||
  fail "car-sale changed through GENIUS XML"

# 3. Errors: a missing file is an I/O error (4) naming the file; a malformed file is bad input (3).
run convert "$WORK/no-such-file.json" -o "$WORK/x.json"
status=$?
[ "$status" -eq 4 ] || fail "missing file: exit $status, want 4"
grep -q "no-such-file.json" "$WORK/err" || fail "missing file: message does not name it: $(cat "$WORK/err")"

printf '{"format": "shuttle-scenario", "version": 1, "name": "x", "issues": [' >"$WORK/truncated.json"
run convert "$WORK/truncated.json" -o "$WORK/x.json"
status=$?
[ "$status" -eq 3 ] || fail "malformed JSON: exit $status, want 3"
grep -q "truncated.json" "$WORK/err" || fail "malformed JSON: message does not name the file: $(cat "$WORK/err")"

sed 's/"reservation_value"/"reservaton_value"/' "$SOURCE/examples/car-sale.json" >"$WORK/typo.json"
run convert "$WORK/typo.json" -o "$WORK/x.json"
status=$?
[ "$status" -eq 3 ] || fail "misspelt field: exit $status, want 3"
grep -q "parties\[0\].profile: unknown field 'reservaton_value'" "$WORK/err" ||
  fail "misspelt field: message lacks the JSON path: $(cat "$WORK/err")"

printf '<negotiation_template><utility_space><objective>' >"$WORK/broken.xml"
run convert "$WORK/broken.xml" -o "$WORK/x.json"
status=$?
[ "$status" -eq 3 ] || fail "malformed XML: exit $status, want 3"

# A piecewise evaluator survives JSON to JSON, and has no GENIUS XML form: convert says which issue.
cat >"$WORK/piecewise.json" <<'JSON'
{"format": "shuttle-scenario", "version": 1, "name": "pw",
 "issues": [{"name": "price", "type": "real", "lower": 22000, "upper": 30000, "step": 1000}],
 "parties": [{"name": "buyer", "profile": {"weights": [1],
   "evaluators": [{"piecewise": [[24000, 1], [26000, 0.7], [28000, 0]]}]}}]}
JSON
run convert "$WORK/piecewise.json" -o "$WORK/piecewise-back.json" ||
  fail "convert piecewise to JSON exited $?: $(cat "$WORK/err")"
grep -q '"piecewise": \[\[24000.0, 1.0\], \[26000.0, 0.7\], \[28000.0, 0.0\]\]' "$WORK/piecewise-back.json" ||
  fail "piecewise points not written back: $(cat "$WORK/piecewise-back.json")"
run convert "$WORK/piecewise.json" -o "$WORK/piecewise-genius"
status=$?
[ "$status" -eq 3 ] || fail "piecewise to GENIUS: exit $status, want 3"
grep -q "party 'buyer'.*issue 'price': a piecewise evaluator has no GENIUS XML form" "$WORK/err" ||
  fail "piecewise to GENIUS: unclear message: $(cat "$WORK/err")"

# An agreement rule has no GENIUS XML form: the six-party game is refused, not written as unanimity.
run convert "$SOURCE/examples/harbor-expansion.json" -o "$WORK/harbor-genius"
status=$?
[ "$status" -eq 3 ] || fail "a rule to GENIUS: exit $status, want 3"
grep -q "agreement_rule: GENIUS XML has no agreement rule" "$WORK/err" ||
  fail "a rule to GENIUS: unclear message: $(cat "$WORK/err")"
[ ! -e "$WORK/harbor-genius" ] || fail "a refused conversion left a folder behind"

# 4. Bad command lines exit 2.
run generate --issues 0 --values 5 --parties 2 --seed 1 -o "$WORK/x.json"
status=$?
[ "$status" -eq 2 ] || fail "--issues 0: exit $status, want 2"
grep -q "issues must be between 1 and 1000" "$WORK/err" || fail "--issues 0: unclear message: $(cat "$WORK/err")"
run generate --issues 3 --values 5 --parties 2 --seed 1 --opposition 1.5 -o "$WORK/x.json"
status=$?
[ "$status" -eq 2 ] || fail "--opposition 1.5: exit $status, want 2"
run generate --issues 3 --values 5 --parties 2 -o "$WORK/x.json"
status=$?
[ "$status" -eq 2 ] || fail "missing --seed: exit $status, want 2"
run convert "$WORK/original.json" -o "$WORK/x.json" --to xml
status=$?
[ "$status" -eq 2 ] || fail "--to xml: exit $status, want 2"

finish convert
