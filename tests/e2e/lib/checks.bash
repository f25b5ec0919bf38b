# Shared by the CLI end-to-end scripts (tests/e2e/*.sh): `source` it with the script's arguments.
#   source "$(dirname "$0")/lib/checks.bash" "$@"    # sets SHUTTLE, SOURCE, WORK
# Then `fail MESSAGE` counts a failed check, `run ARGS...` runs the CLI into $WORK/out and
# $WORK/err (returning its exit status), and `finish NAME` ends the script: status 1 when a check
# failed. $WORK is removed on exit (made writable first: some tests make read-only folders).
set -u
SHUTTLE=${1:?usage: SCRIPT PATH_TO_SHUTTLE SOURCE_DIR}
SOURCE=${2:-}
WORK=$(mktemp -d)
trap 'chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

run() {
  "$SHUTTLE" "$@" >"$WORK/out" 2>"$WORK/err"
}

finish() {
  if [ "$failures" -ne 0 ]; then
    echo "$1: $failures check(s) failed" >&2
    exit 1
  fi
  echo "$1: all checks passed"
}
