#!/usr/bin/env bash
# Crash safety of shuttle serve: at least 20 kill -9 at random points of scripted sessions; every
# acknowledged event survives and each session ends as an uninterrupted run does.
# Usage: service_crash.sh SHUTTLE SOURCE_DIR   (scripts/soak.sh runs it with many more kills)
set -euo pipefail
exec python3 "$(dirname "$0")/service_crash.py" "$1" "$2" --kills "${SHUTTLE_CRASH_KILLS:-20}"
