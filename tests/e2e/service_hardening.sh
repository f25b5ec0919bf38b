#!/usr/bin/env bash
# shuttle serve under attack (issue 12's findings, each reproduced then checked): deep JSON, huge
# integer ranges, slow clients, headers, content types, Host, odd paths, file modes, links file.
# Usage: service_hardening.sh SHUTTLE SOURCE_DIR
set -euo pipefail
exec python3 "$(dirname "$0")/service_hardening.py" "$1" "$2"
