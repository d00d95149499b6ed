#!/usr/bin/env bash
# Reading benchmark: generates a 150-candidate package (small files, each
# candidate's first file a 20-page PDF) and times the window (bench/reading.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${1:-/var/tmp/conclave-bench-reading}
[ -f "$WORK/pkg/dossier.json" ] || python3 bench/gen_package.py "$WORK/pkg" --gib 0.05 --pdf-pages 20
if [ -z "${DISPLAY:-}" ]; then
  Xvfb :97 -screen 0 1366x768x24 -nolisten tcp & xvfb=$!
  trap 'kill $xvfb' EXIT
  export DISPLAY=:97
  sleep 1
fi
export PATH="$HOME/.cargo/bin:$PATH"
node bench/reading.mjs "$WORK/pkg"
