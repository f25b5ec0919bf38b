#!/usr/bin/env bash
# Web rooms in a real browser: `shuttle serve` on loopback with a temporary database, a session from
# examples/resuming-talks.json created through the API, then the mediator, two parties and the
# public in separate headless-Chromium contexts (playwright-core, web/node_modules) run a whole
# mediation through the pages. Checks what each page shows and that nothing one party confides
# reaches the other's page (DOM or network). Screenshots (desktop and 390px phone width) go to
# $WEB_ROOMS_SHOTS, default: e2e-shots/web_rooms beside the shuttle binary (the build folder).
# Fails (never skips) when Chromium or playwright-core is missing: CI installs them via make test.
# Usage: bash web_rooms.sh PATH_TO_SHUTTLE SOURCE_DIR
set -euo pipefail
shuttle=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
source_dir=$(cd "$2" && pwd)
fail() { echo "FAIL: $*" >&2; exit 1; }

[ -x "$shuttle" ] || fail "no shuttle binary at $shuttle"
"$shuttle" --help | grep -q '^ *serve ' || fail "this shuttle has no serve command"
[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing (Debian package chromium: scripts/install-deps.sh test)"
command -v node >/dev/null || fail "node is missing (Debian package nodejs)"

# playwright-core comes from web/package-lock.json; a tree installed before it was added lacks it.
web=$source_dir/web
if [ ! -f "$web/node_modules/playwright-core/package.json" ]; then
  command -v npm >/dev/null || fail "playwright-core is not installed in $web/node_modules and npm is missing"
  echo "web_rooms: npm ci in $web (playwright-core missing)"
  ( flock 9; [ -f "$web/node_modules/playwright-core/package.json" ] ||
      (cd "$web" && npm ci --no-audit --no-fund --loglevel=error) ) 9>/tmp/shuttle-web-npm-ci.lock ||
    fail "npm ci in $web failed"
fi
[ -f "$web/node_modules/playwright-core/package.json" ] || fail "playwright-core missing from $web/node_modules"

shots=${WEB_ROOMS_SHOTS:-$(dirname "$shuttle")/e2e-shots/web_rooms}
mkdir -p "$shots"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TMPDIR=$tmp
node "$source_dir/tests/e2e/web_rooms.mjs" "$shuttle" "$source_dir" "$shots" "$tmp"
