#!/usr/bin/env bash
# shuttle serve over loopback: a whole mediated session, the authorization matrix (markers scanned
# in every body and header), bad input, restart, rate limiting. Usage: service_api.sh SHUTTLE SOURCE_DIR
set -euo pipefail
exec python3 "$(dirname "$0")/service_api.py" "$1" "$2"
