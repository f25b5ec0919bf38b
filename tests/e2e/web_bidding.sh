#!/usr/bin/env bash
# The blind-bidding step and the agreement rule in a real browser: `shuttle serve` on loopback with
# a temporary database, examples/car-sale.json with the price settled last by bids (the first stages
# settled through the API), then the console, both parties' rooms and the public page in headless
# Chromium (playwright-core, web/node_modules): the buyer bids from its room, each round's result
# reaches both rooms, no bid reaches the other party or the public (DOM or network); and
# examples/harbor-expansion.json's agreement rule in words on its public page. Screenshots go to
# $WEB_ROOMS_SHOTS, default: e2e-shots/web_bidding beside the shuttle binary.
# Usage: bash web_bidding.sh PATH_TO_SHUTTLE SOURCE_DIR
set -euo pipefail
source "$(dirname "$0")/lib/browser_test.bash"
run_browser_test web_bidding web_bidding.mjs "$1" "$2"
