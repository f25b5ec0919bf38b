# Sourced by the browser end-to-end tests (web_rooms.sh, web_seat.sh): checks Chromium, node and
# playwright-core (installing web/node_modules with npm ci when it lacks it), then runs one node
# script as: node SCRIPT SHUTTLE SOURCE_DIR SHOTS_DIR TMP_DIR. Fails (never skips) when something
# is missing: CI installs them via make test.
# Usage: run_browser_test NAME SCRIPT PATH_TO_SHUTTLE SOURCE_DIR
run_browser_test() {
  local name=$1 script=$2
  local shuttle source_dir web shots
  shuttle=$(cd "$(dirname "$3")" && pwd)/$(basename "$3")
  source_dir=$(cd "$4" && pwd)
  fail() { echo "FAIL: $*" >&2; exit 1; }
  [ -x "$shuttle" ] || fail "no shuttle binary at $shuttle"
  "$shuttle" --help | grep -q '^ *serve ' || fail "this shuttle has no serve command"
  [ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing (Debian package chromium: scripts/install-deps.sh test)"
  command -v node >/dev/null || fail "node is missing (Debian package nodejs)"
  # playwright-core comes from web/package-lock.json; a tree installed before it was added lacks it.
  web=$source_dir/web
  if [ ! -f "$web/node_modules/playwright-core/package.json" ]; then
    command -v npm >/dev/null || fail "playwright-core is not installed in $web/node_modules and npm is missing"
    echo "$name: npm ci in $web (playwright-core missing)"
    ( flock 9; [ -f "$web/node_modules/playwright-core/package.json" ] ||
        (cd "$web" && npm ci --no-audit --no-fund --loglevel=error) ) 9>/tmp/shuttle-web-npm-ci.lock ||
      fail "npm ci in $web failed"
  fi
  [ -f "$web/node_modules/playwright-core/package.json" ] || fail "playwright-core missing from $web/node_modules"
  shots=${WEB_ROOMS_SHOTS:-$(dirname "$shuttle")/e2e-shots/$name}
  mkdir -p "$shots"
  browser_test_tmp=$(mktemp -d)
  trap 'rm -rf "$browser_test_tmp"' EXIT
  export TMPDIR=$browser_test_tmp
  node "$source_dir/tests/e2e/$script" "$shuttle" "$source_dir" "$shots" "$browser_test_tmp"
}
