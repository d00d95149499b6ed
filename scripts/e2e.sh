#!/usr/bin/env bash
# Runs the end-to-end tests against the debug binary, under Xvfb when no
# display is set. Screenshots go to test-output/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
xvfb_pid=""
if [ -z "${DISPLAY:-}" ] || [ "${CONCLAVE_E2E_XVFB:-}" = 1 ]; then
  display=":$(( 90 + RANDOM % 100 ))"
  Xvfb "$display" -screen 0 1366x768x24 -nolisten tcp &
  xvfb_pid=$!
  export DISPLAY=$display
  trap '[ -n "$xvfb_pid" ] && kill $xvfb_pid 2>/dev/null || true' EXIT
  for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done
fi
mkdir -p test-output
cd tests/e2e && npm test
