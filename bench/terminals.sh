#!/usr/bin/env bash
# Terminals benchmark (issue 15), on a release build:
#  1. forty terminals over loopback TLS, each from its own address, pair, sign
#     in, read the agenda and all cast at once against `conclave serve`: p50/p99
#     cast latency and the host's peak RSS (tests/it/terminals.rs, also the
#     SIGKILL fault run);
#  2. headless Chromium as a terminal: the agenda of 150 candidates and the first
#     page of a 40-page, ~20 MB scanned PDF (bench/terminals.mjs), each against
#     curl fetching the same over the same TLS.
# Usage: bench/terminals.sh [WORK_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/var/tmp/conclave-target}
WORK=${1:-/var/tmp/conclave-bench-terminals}
mkdir -p "$WORK"

echo "== build (release)"
cargo build --release --locked --quiet

echo "== forty terminals at once (release), and the host killed mid-round"
cargo test --release --locked --quiet -p conclave --test it terminals:: -- --nocapture --test-threads=1 2>&1 |
  grep -oE '(load|fault): .*'

if [ ! -f "$WORK/scan.pdf" ]; then
  for p in $(seq 1 40); do
    convert -size 1654x2339 xc:gray90 -seed "$p" -attenuate 0.45 +noise Gaussian -colorspace Gray \
      -fill black -pointsize 72 -annotate +200+300 "Scanned page $p" -quality 70 "$WORK/page-$p.jpg"
  done
  python3 bench/gen_package.py --scanned-pdf "$WORK/scan-raw.pdf" $(for p in $(seq 1 40); do echo "$WORK/page-$p.jpg"; done)
  qpdf --linearize "$WORK/scan-raw.pdf" "$WORK/scan.pdf"
  rm -f "$WORK"/page-*.jpg "$WORK/scan-raw.pdf"
fi
[ -f "$WORK/pkg/dossier.json" ] ||
  python3 bench/gen_package.py "$WORK/pkg" --gib 0.05 --pdf-pages 20 --first-file "$WORK/scan.pdf"
echo "== a terminal reading (scanned PDF: $(du -m "$WORK/scan.pdf" | cut -f1) MB, $(qpdf --show-npages "$WORK/scan.pdf") pages, linearized)"
node bench/terminals.mjs "$WORK/pkg" ../shared/fixtures/committee-25.json "$CARGO_TARGET_DIR/release/conclave"
