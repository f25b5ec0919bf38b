#!/usr/bin/env bash
# Installs the Debian packages Shuttle needs to build and test, only those missing.
# Usage: scripts/install-deps.sh [build|test|fuzz|bench|all]   (default: build)
set -euo pipefail
what=${1:-build}
build_pkgs=(g++ cmake ninja-build make pkg-config libfmt-dev libpugixml-dev nlohmann-json3-dev
            libcli11-dev libgtest-dev libbenchmark-dev libsqlite3-dev libsodium-dev
            libcpp-httplib-dev)
test_pkgs=(clang libclang-rt-dev clang-format python3)
# Tournament across machines, Python bindings, reports rendered in a headless browser.
tour_pkgs=(openmpi-bin libopenmpi-dev pybind11-dev python3-dev python3-pytest python3-numpy python3-pil
           chromium)
# Whole-process timing and HTTP load (make bench).
bench_pkgs=(hyperfine wrk python3)
# npm ships inside some nodejs packages (NodeSource's conflicts with Debian's npm): ask only if absent.
command -v npm >/dev/null 2>&1 || tour_pkgs+=(npm)
case "$what" in
  build) pkgs=("${build_pkgs[@]}") ;;
  test) pkgs=("${build_pkgs[@]}" "${test_pkgs[@]}" "${tour_pkgs[@]}") ;;
  all) pkgs=("${build_pkgs[@]}" "${test_pkgs[@]}" "${tour_pkgs[@]}" "${bench_pkgs[@]}") ;;
  bench) pkgs=("${build_pkgs[@]}" "${bench_pkgs[@]}") ;;
  fuzz) pkgs=("${build_pkgs[@]}" "${test_pkgs[@]}") ;;
  *) echo "install-deps.sh: unknown set '$what' (build, test, fuzz, bench, all)" >&2; exit 2 ;;
esac
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
