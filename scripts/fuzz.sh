#!/usr/bin/env bash
# Runs every libFuzzer target in BUILD_DIR for SECONDS each: first over its regression inputs
# (fuzz/regressions/<target>, every crash ever found), then fuzzing from its seeds
# (fuzz/seeds/<target>) with a scratch corpus. Fails on the first crash, leak or timeout; the
# crashing input is kept in fuzz/crash-<target>-* for a regression test.
# Usage: scripts/fuzz.sh BUILD_DIR SECONDS
set -euo pipefail
build=${1:?usage: fuzz.sh BUILD_DIR SECONDS}
seconds=${2:?usage: fuzz.sh BUILD_DIR SECONDS}
root=$(cd "$(dirname "$0")/.." && pwd)
shopt -s nullglob
targets=("$build"/*_fuzz)
[ ${#targets[@]} -gt 0 ] || { echo "fuzz.sh: no fuzz targets in $build" >&2; exit 1; }
for bin in "${targets[@]}"; do
  name=$(basename "$bin")
  regressions=("$root/fuzz/regressions/$name"/*)
  if [ ${#regressions[@]} -gt 0 ]; then
    "$bin" -runs=0 "${regressions[@]}" >/dev/null 2>&1 || {
      echo "fuzz: $name fails on a regression input:"; "$bin" -runs=0 "${regressions[@]}" 2>&1 | tail -30; exit 1; }
  fi
  corpus=$(mktemp -d)
  trap 'rm -rf "$corpus"' EXIT
  log=$(mktemp)
  seeds=("$root/fuzz/seeds/$name")
  [ -d "${seeds[0]}" ] || { echo "fuzz: $name has no seeds in fuzz/seeds/$name: starting from nothing"; seeds=(); }
  # A target's dictionary (fuzz/<target>.dict) when it has one; the HTTP API fuzzer, the surface
  # facing the network, gets three times the time.
  extra=()
  [ -f "$root/fuzz/$name.dict" ] && extra+=(-dict="$root/fuzz/$name.dict")
  time_for=$seconds
  [ "$name" = http_api_fuzz ] && time_for=$((seconds * 3))
  if ! "$bin" -max_total_time="$time_for" -timeout=10 -rss_limit_mb=2048 -max_len=65536 "${extra[@]}" \
       -artifact_prefix="$root/fuzz/crash-$name-" "$corpus" "${seeds[@]}" >"$log" 2>&1; then
    echo "fuzz: $name found a failure:"; tail -40 "$log"; exit 1
  fi
  runs=$(grep -o 'Done [0-9]* runs' "$log" | tail -1 || true)
  echo "fuzz: $name ok (${runs:-no summary}, ${time_for}s, $(ls "$corpus" | wc -l) corpus inputs)"
  rm -rf "$corpus" "$log"
  trap - EXIT
done
