#!/usr/bin/env bash
# Import benchmark (issues 4 and 16): generates a package of 3,000 files (by
# default 320 MiB over 150 candidates, as in issue 16; BENCH_GIB=2.1 for the
# large one of issue 4), as a folder and as a zip, and times in the same script,
# RUNS times each (default 3):
#   conclave import (folder)  vs  openssl dgst -sha256 + cp -r + sync
#                             and sha256sum + cp -r + sync
#   conclave import (zip)     vs  unzip + sha256sum + sync
#   conclave check (folder, zip)
# with peak RSS from GNU time. conclave's import is durable when it returns
# (its files and rows are synced), so every reference ends with `sync`.
# "speed" = reference seconds / conclave seconds: >= 1.0 is the goal.
# Usage: bench/import.sh [WORK_DIR]   (default /var/tmp/conclave-bench)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${CONCLAVE_BIN:-${CARGO_TARGET_DIR:-target}/release/conclave}
WORK=${1:-/var/tmp/conclave-bench}
GIB=${BENCH_GIB:-0.3125}
FILES=${BENCH_FILES:-3000}
RUNS=${RUNS:-3}
[ -x "$BIN" ] || cargo build --release --locked -p conclave
PKG="$WORK/pkg-$GIB-$FILES"
mkdir -p "$WORK"
if [ ! -f "$PKG/dossier.json" ]; then
  python3 bench/gen_package.py "$PKG" --files "$FILES" --gib "$GIB"
fi
if [ ! -f "$PKG.zip" ]; then
  (cd "$PKG" && zip -q -r -1 "$PKG.zip" .)
fi
files=$(find "$PKG" -type f | wc -l)
bytes=$(du -sb "$PKG" | cut -f1)
echo "package: $files files, $(( bytes / 1048576 )) MiB; zip $(( $(stat -c%s "$PKG.zip") / 1048576 )) MiB; $RUNS runs"
echo "binary: $BIN"
cat "$PKG"/*/* "$PKG.zip" > /dev/null   # warm the page cache for every contender

# t NAME CMD...: wall seconds and peak RSS (KiB) of CMD, appended to NAME's list
t() {
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" > /dev/null
  read -r secs rss < "$WORK/time"
  printf '  %-26s %7.2f s  %7d KiB peak RSS\n' "$name" "$secs" "$rss"
  echo "$secs" >> "$WORK/runs.$name"
  echo "$rss" >> "$WORK/rss.$name"
}
fresh() { rm -rf "$WORK/data" "$WORK/copy" "$WORK/unz"; sync; }
new_meeting() { CONCLAVE_DATA_DIR="$WORK/data" "$BIN" new-meeting bench --date 2025-12-05; }

rm -f "$WORK"/runs.* "$WORK"/rss.*
# Writes slow down the longer the disk has been busy (the first command of a
# series measured up to 3x faster than the same command later), so each pair
# compared runs back to back and swaps order every run (A B, B A, A B ...).
ref_openssl() { fresh; t ref_openssl_cp_sync bash -c "find '$PKG' -type f -print0 | xargs -0 openssl dgst -sha256 > /dev/null && cp -r '$PKG' '$WORK/copy' && sync"; }
ref_sha256sum() { fresh; t ref_sha256sum_cp_sync bash -c "find '$PKG' -type f -print0 | xargs -0 sha256sum > /dev/null && cp -r '$PKG' '$WORK/copy' && sync"; }
ref_unzip() { fresh; t ref_unzip_sha256sum_sync bash -c "unzip -q '$PKG.zip' -d '$WORK/unz' && find '$WORK/unz' -type f -print0 | xargs -0 sha256sum > /dev/null && sync"; }
import_folder() { fresh; local db; db=$(new_meeting); t import_folder "$BIN" import "$PKG" --meeting "$db"; }
import_zip() { fresh; local db; db=$(new_meeting); t import_zip "$BIN" import "$PKG.zip" --meeting "$db"; }
fresh; cp -r "$PKG" "$WORK/copy"; sync   # untimed: the disk busy as in every later run
for run in $(seq "$RUNS"); do
  echo "run $run"
  if [ $((run % 2)) -eq 1 ]; then
    ref_openssl; import_folder; ref_sha256sum; ref_unzip; import_zip
  else
    import_folder; ref_openssl; ref_sha256sum; import_zip; ref_unzip
  fi
  t check_folder "$BIN" check "$PKG"
  t check_zip "$BIN" check "$PKG.zip"
done
fresh

# speed NAME REF: per-run ratios ref/conclave and their median
speed() {
  python3 - "$WORK/runs.$2" "$WORK/runs.$1" <<'EOF'
import statistics, sys
ref = [float(x) for x in open(sys.argv[1])]
ours = [float(x) for x in open(sys.argv[2])]
r = [a / b for a, b in zip(ref, ours)]
print(" ".join(f"{x:.2f}" for x in r), f"(median {statistics.median(r):.2f})")
EOF
}
peak() { sort -n "$WORK/rss.$1" | tail -1; }
echo
echo "speed, reference seconds / conclave seconds (>= 1.0 is the goal), per run:"
echo "  import folder vs openssl sha256 + cp + sync:  $(speed import_folder ref_openssl_cp_sync)"
echo "  import folder vs sha256sum + cp + sync:       $(speed import_folder ref_sha256sum_cp_sync)"
echo "  import zip    vs unzip + sha256sum + sync:    $(speed import_zip ref_unzip_sha256sum_sync)"
echo "peak RSS: import folder $(( $(peak import_folder) / 1024 )) MiB, import zip $(( $(peak import_zip) / 1024 )) MiB (goal < 200 MiB)"
