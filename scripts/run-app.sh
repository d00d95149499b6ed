#!/usr/bin/env bash
# Sets up what is missing, builds Conclave (release) and opens the window.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo build --release --locked
exec "${CARGO_TARGET_DIR:-target}/release/conclave"
