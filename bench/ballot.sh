#!/usr/bin/env bash
# Ballot benchmark (issue 28): the terminal's ballot code in headless
# Chromium, today's path against the Workers' (bench/ballot.mjs).
# Needs `cd ui && npm ci` and `cd tests/e2e && npm ci`.
set -euo pipefail
cd "$(dirname "$0")/.."
node bench/ballot.mjs
