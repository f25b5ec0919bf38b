#!/usr/bin/env bash
# shuttle report: tournament, negotiation and mediation reports render in headless Chromium with
# every chart drawn (DOM: each chart div holds an svg; screenshot: each chart's box is not blank).
# Skips (exit 0) when Chromium is not installed. Logs come from the Python module when it is built
# (beside the CLI in python/), else from `shuttle negotiate` / `shuttle mediate`.
# Usage: bash report.sh PATH_TO_SHUTTLE SOURCE_DIR
set -euo pipefail
shuttle=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
source_dir=$2
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then echo "SKIP: chromium not found (apt-get install chromium)"; exit 0; fi
py=/usr/bin/python3
[ -x "$py" ] || py=python3

chrome() {
  # Virtual time lets vega-embed's promises settle before the DOM is dumped or the shot taken.
  "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d -p "$tmp")" --virtual-time-budget=20000 "$@" 2>/dev/null
}

# check NAME HTML EXPECTED_CHART_IDS...
check() {
  local name=$1 html=$2; shift 2
  [ -s "$html" ] || fail "$name: no report written"
  if grep -qE '(src|href)="(https?:)?//' "$html"; then fail "$name: the report loads something from the network"; fi
  chrome --dump-dom "file://$html" >"$tmp/$name.dom" || fail "$name: chromium could not load the page"
  "$py" - "$tmp/$name.dom" "$@" >"$tmp/$name.layout" <<'PY' || fail "$name: DOM check failed"
import json, re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
expected = sys.argv[2:]
if 'data-charts="done"' not in dom:
    sys.exit("charts never finished rendering")
for cid in expected:
    m = re.search(r'<div class="chart[^"]*" id="chart-%s"([^>]*)>(.*?)</div>\s*(<h2|<pre|<footer|<ol)' % re.escape(cid), dom, re.S)
    if not m:
        sys.exit("chart %s missing" % cid)
    if 'data-rendered="yes"' not in m.group(1):
        sys.exit("chart %s not rendered: %s" % (cid, m.group(1)))
    if "<svg" not in m.group(2) or len(re.findall(r"<path|<line|<rect|<text", m.group(2))) < 10:
        sys.exit("chart %s has no drawing" % cid)
layout = re.search(r'<pre id="layout"[^>]*>(.*?)</pre>', dom, re.S).group(1)
print(layout.replace("&quot;", '"'))
PY
  local height
  height=$("$py" -c 'import json,sys; b=json.load(open(sys.argv[1])); print(int(max(x["y"]+x["height"] for x in b))+80)' "$tmp/$name.layout")
  chrome --screenshot="$tmp/$name.png" --window-size=1200,"$height" "file://$html" >/dev/null || fail "$name: no screenshot"
  "$py" - "$tmp/$name.png" "$tmp/$name.layout" <<'PY' || fail "$name: a chart is blank in the screenshot"
import json, sys
try:
    from PIL import Image
except ImportError:
    print("python3-pil missing: pixel check skipped"); sys.exit(0)
img = Image.open(sys.argv[1]).convert("RGB")
for box in json.load(open(sys.argv[2])):
    x, y, w, h = (int(box[k]) for k in ("x", "y", "width", "height"))
    region = img.crop((x, y, min(x + w, img.width), min(y + h, img.height)))
    pixels = list(region.getdata())
    ink = sum(1 for p in pixels if min(p) < 235) / max(1, len(pixels))
    colours = len(set(p for p in pixels if min(p) < 235))
    if ink < 0.01 or colours < 3:
        sys.exit("chart %s looks blank: %.3f of its pixels inked, %d colours" % (box["id"], ink, colours))
    print("%-20s %5.1f%% inked, %d colours" % (box["id"], 100 * ink, colours))
PY
}

# Tournament report.
"$shuttle" generate --issues 3 --values 4 --parties 2 --seed 31 --name duo -o "$tmp/duo.json" >/dev/null
"$shuttle" tournament -q -a boulware,conceder,tit-for-tat -s "$tmp/duo.json" --rounds 60 -o "$tmp/tour" >/dev/null
"$shuttle" report "$tmp/tour" -o "$tmp/tournament.html"
check tournament "$tmp/tournament.html" utility agreement-rate welfare distances distribution head-to-head

# Negotiation and mediation reports.
module_dir=$(dirname "$shuttle")/python
if ls "$module_dir"/shuttle*.so >/dev/null 2>&1; then
  PYTHONPATH=$module_dir "$py" - "$tmp/duo.json" "$tmp" <<'PY'
import sys, shuttle
s = shuttle.load_scenario(sys.argv[1])
shuttle.negotiate(s, ["boulware", "conceder"], rounds=80, seed=2)["log"].save(sys.argv[2] + "/negotiation.jsonl")
shuttle.mediate(s, ["reticent", "reticent"], max_visits=25)["log"].save(sys.argv[2] + "/mediation.jsonl")
PY
elif "$shuttle" --help | grep -q '^ *negotiate ' && "$shuttle" --help | grep -q '^ *mediate '; then
  # Their options are the protocol and mediation tools' own: if these guesses do not fit, say so.
  if ! "$shuttle" negotiate --party boulware --party conceder --rounds 80 --log "$tmp/negotiation.jsonl" "$tmp/duo.json" >/dev/null 2>&1 ||
     ! "$shuttle" mediate --party reticent --party reticent --visits 25 --log "$tmp/mediation.jsonl" "$tmp/duo.json" >/dev/null 2>&1; then
    echo "report e2e: tournament ok; negotiation and mediation skipped (no Python module; negotiate/mediate options differ)"
    exit 0
  fi
else
  echo "report e2e: tournament ok; negotiation and mediation skipped (no Python module, no negotiate/mediate)"
  exit 0
fi
"$shuttle" report "$tmp/negotiation.jsonl" -o "$tmp/negotiation.html"
check negotiation "$tmp/negotiation.html" utility-space utility-over-time
"$shuttle" report "$tmp/mediation.jsonl" -o "$tmp/mediation.html"
check mediation "$tmp/mediation.html" utility-space utility-over-time gap-over-visits
grep -q '<ol class="items">' "$tmp/mediation.html" || fail "mediation report lists no statements"
echo "report e2e: ok"
