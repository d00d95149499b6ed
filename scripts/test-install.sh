#!/usr/bin/env bash
# The package as a secretary installs it: builds the .deb (scripts/package.sh),
# installs it with apt-get (pulling WebKitGTK 4.1 and GTK 3), checks
# /usr/bin/conclave (--version, `check` on a fixture), starts it under Xvfb and
# sees the start screen (tests/install/installed.mjs), then removes the package:
# the meetings in the user's data folder stay. Prints the sizes and install time.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/var/tmp/conclave-target}
scripts/package.sh
bundle="$CARGO_TARGET_DIR/release/bundle"
deb=$(ls -t "$bundle"/deb/*.deb | head -1)
rpm=$(ls -t "$bundle"/rpm/*.rpm | head -1)
echo "install: $(basename "$deb") $(du -k "$deb" | cut -f1) KiB, $(basename "$rpm") $(du -k "$rpm" | cut -f1) KiB"
dpkg-deb --field "$deb" Package Version Depends

start=$(date +%s%N)
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$deb" >/dev/null
echo "install: apt-get install took $(( ($(date +%s%N) - start) / 1000000 )) ms"
[ "$(command -v conclave)" = /usr/bin/conclave ] || { echo "install: /usr/bin/conclave missing" >&2; exit 1; }
conclave --version
conclave check ../shared/fixtures/batch-small >/dev/null
grep -q 'Name\[zh_CN\]=Conclave 职称评审会议' /usr/share/applications/*onclave*.desktop

home=$(mktemp -d)
data="$home/.local/share/cn.conclave.app"
mkdir -p "$data" test-output/screenshots
xvfb_pid=""
if [ -z "${DISPLAY:-}" ]; then
  display=":$(( 300 + RANDOM % 100 ))"
  Xvfb "$display" -screen 0 1366x768x24 -nolisten tcp &
  xvfb_pid=$!
  export DISPLAY=$display
  for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
fi
trap '[ -n "$xvfb_pid" ] && kill $xvfb_pid 2>/dev/null || true' EXIT
HOME=$home CONCLAVE_BIN=/usr/bin/conclave node tests/install/installed.mjs "$data"

DEBIAN_FRONTEND=noninteractive $SUDO apt-get remove -y -qq conclave >/dev/null
[ ! -e /usr/bin/conclave ] || { echo "install: /usr/bin/conclave still there after removal" >&2; exit 1; }
ls "$data"/meetings/*/meeting.db >/dev/null || { echo "install: the meeting was lost on removal" >&2; exit 1; }
echo "install: 1 passed, 0 failed"
