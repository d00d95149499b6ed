#!/usr/bin/env bash
# Import benchmark (issue 4): generates a >= 2 GiB package of 150 candidates and
# 3,000 files, as a folder and as a zip, and times in the same script:
#   conclave import (folder)  vs  sha256sum + cp -r   and  openssl dgst -sha256 + cp -r
#   conclave import (zip)     vs  unzip + sha256sum
#   conclave check (folder, zip)
# with peak RSS from GNU time. Ratios > 1 mean conclave is slower.
# Usage: bench/import.sh [WORK_DIR]   (needs ~9 GiB free; default /var/tmp/conclave-bench)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${CONCLAVE_BIN:-${CARGO_TARGET_DIR:-target}/release/conclave}
WORK=${1:-/var/tmp/conclave-bench}
[ -x "$BIN" ] || cargo build --release --locked
mkdir -p "$WORK"
if [ ! -f "$WORK/pkg/dossier.json" ]; then
  python3 bench/gen_package.py "$WORK/pkg"
fi
if [ ! -f "$WORK/pkg.zip" ]; then
  (cd "$WORK/pkg" && zip -q -r -1 ../pkg.zip .)
fi
files=$(find "$WORK/pkg" -type f | wc -l)
bytes=$(du -sb "$WORK/pkg" | cut -f1)
echo "package: $files files, $(( bytes / 1048576 )) MiB; zip $(( $(stat -c%s "$WORK/pkg.zip") / 1048576 )) MiB"
cat "$WORK/pkg"/*/* > /dev/null   # warm the page cache for every contender

# t NAME CMD...: wall seconds and peak RSS (KiB) of CMD
t() {
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$WORK/time.$name" "$@" > /dev/null
  read -r secs rss < "$WORK/time.$name"
  printf '%-34s %7.2f s  %7d KiB peak RSS\n' "$name" "$secs" "$rss"
  eval "T_${name//[^a-zA-Z0-9]/_}=$secs"
}
fresh() { rm -rf "$WORK/data" "$WORK/copy" "$WORK/unz"; sync; }

fresh; t ref_sha256sum_cp bash -c "find '$WORK/pkg' -type f -print0 | xargs -0 sha256sum > /dev/null && cp -r '$WORK/pkg' '$WORK/copy'"
fresh; t ref_openssl_cp bash -c "find '$WORK/pkg' -type f -print0 | xargs -0 openssl dgst -sha256 > /dev/null && cp -r '$WORK/pkg' '$WORK/copy'"
fresh; t ref_unzip_sha256sum bash -c "unzip -q '$WORK/pkg.zip' -d '$WORK/unz' && find '$WORK/unz' -type f -print0 | xargs -0 sha256sum > /dev/null"
fresh; db=$(CONCLAVE_DATA_DIR="$WORK/data" "$BIN" new-meeting bench --date 2025-12-05)
t conclave_import_folder "$BIN" import "$WORK/pkg" --meeting "$db"
fresh; db=$(CONCLAVE_DATA_DIR="$WORK/data" "$BIN" new-meeting bench --date 2025-12-05)
t conclave_import_zip "$BIN" import "$WORK/pkg.zip" --meeting "$db"
t conclave_check_folder "$BIN" check "$WORK/pkg"
t conclave_check_zip "$BIN" check "$WORK/pkg.zip"
fresh

ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }
echo
echo "import folder / (sha256sum + cp):        $(ratio "$T_conclave_import_folder" "$T_ref_sha256sum_cp")"
echo "import folder / (openssl sha256 + cp):   $(ratio "$T_conclave_import_folder" "$T_ref_openssl_cp")"
echo "import zip    / (unzip + sha256sum):     $(ratio "$T_conclave_import_zip" "$T_ref_unzip_sha256sum")"
echo "check folder  / (sha256sum alone is part of the first reference)"
