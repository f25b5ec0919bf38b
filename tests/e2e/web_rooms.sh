#!/usr/bin/env bash
# Web rooms in a real browser: `shuttle serve` on loopback with a temporary database, a session from
# examples/resuming-talks.json created through the API, then the mediator, two parties and the
# public in separate headless-Chromium contexts (playwright-core, web/node_modules) run a whole
# mediation through the pages. Checks what each page shows and that nothing one party confides
# reaches the other's page (DOM or network). Screenshots (desktop and 390px phone width) go to
# $WEB_ROOMS_SHOTS, default: e2e-shots/web_rooms beside the shuttle binary (the build folder).
# Usage: bash web_rooms.sh PATH_TO_SHUTTLE SOURCE_DIR
set -euo pipefail
source "$(dirname "$0")/lib/browser_test.bash"
run_browser_test web_rooms web_rooms.mjs "$1" "$2"
