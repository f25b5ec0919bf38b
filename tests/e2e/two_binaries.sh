#!/usr/bin/env bash
# End-to-end: `shuttle` hands `serve` and `tournament --mpi` to `shuttle-full` beside it, and does
# not itself load cpp-httplib or Open MPI (their loading was most of a short command's run time).
# Usage: bash two_binaries.sh PATH_TO_SHUTTLE SOURCE_DIR
source "$(dirname "$0")/lib/checks.bash" "$@"

[ -x "$(dirname "$SHUTTLE")/shuttle-full" ] || fail "no shuttle-full beside $SHUTTLE"
libs=$(ldd "$SHUTTLE")
echo "$libs" | grep -q -E 'httplib|libmpi|libssl' && fail "shuttle loads what only shuttle-full needs: $libs"

# `serve --help` is answered by shuttle-full (its options), under the name the user typed.
"$SHUTTLE" serve --help >"$WORK/out" 2>&1 || fail "shuttle serve --help failed: $(cat "$WORK/out")"
grep -q -- '--port' "$WORK/out" || fail "serve --help does not list --port: $(cat "$WORK/out")"
grep -q "$SHUTTLE serve" "$WORK/out" || fail "serve --help does not show the name typed: $(head -3 "$WORK/out")"
# `shuttle --help` still lists serve.
"$SHUTTLE" --help | grep -q '^  serve ' || fail "shuttle --help does not list serve"

# Alone, shuttle says what is missing, with exit status 1, for serve and for tournament --mpi.
cp "$SHUTTLE" "$WORK/shuttle"
for args in "serve --port 0" "tournament --mpi -a boulware -s x -o $WORK/t"; do
  "$WORK/shuttle" $args >"$WORK/out" 2>"$WORK/err"
  status=$?
  [ "$status" = 1 ] || fail "lone shuttle $args: exit status $status, not 1"
  grep -q "shuttle-full, which could not be started" "$WORK/err" || fail "lone shuttle $args: unclear error: $(cat "$WORK/err")"
done
# Other commands do not need it.
"$WORK/shuttle" generate --issues 2 --values 3 --parties 2 --seed 1 -o "$WORK/g.json" || fail "lone shuttle generate failed"
"$WORK/shuttle" analyze "$WORK/g.json" >/dev/null || fail "lone shuttle analyze failed"

finish two_binaries
