#!/usr/bin/env bash
# Soak test of the server's crash safety: many kill -9 at random points (default 500), each
# restart checked. Usage: scripts/soak.sh [KILLS] [BUILD_DIR]   (builds the CLI first)
set -euo pipefail
kills=${1:-500}
build=${2:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cmake --build "$build" --target shuttle_cli >/dev/null
python3 "$root/tests/e2e/service_crash.py" "$build/shuttle" "$root" --kills "$kills"
