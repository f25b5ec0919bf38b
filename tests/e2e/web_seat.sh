#!/usr/bin/env bash
# A person in the mediator's seat, in a real browser: `shuttle serve` on loopback, a session of
# examples/car-sale.json with two automated reticent parties, and the test mediating it through
# the console (out-of-order caucuses, an edited suggestion, a structured question, settling both
# stages) while each party's room and the public room are open. Checks the advice on screen, the
# agreement, the replay of the stored log after a restart, and that no marker of one party's
# caucus reaches the other party's room or the public (DOM or network). Screenshots go to
# $WEB_ROOMS_SHOTS, default: e2e-shots/web_seat beside the shuttle binary.
# Usage: bash web_seat.sh PATH_TO_SHUTTLE SOURCE_DIR
set -euo pipefail
source "$(dirname "$0")/lib/browser_test.bash"
run_browser_test web_seat web_seat.mjs "$1" "$2"
