#!/usr/bin/env bash
# Tests the Windows build under Wine, as a secretary would use it and against
# the Linux build: conclave.exe's CLI (check, a whole meeting with CRLF on
# standard input, sealed prints, the archive), the archives and PDFs of each
# build verified by the other, the window's refusal without WebView2, the
# portable zip, and the installer and uninstaller run silently.
#
#   scripts/test-windows.sh        builds what is missing (scripts/package-windows.sh)
#   scripts/test-windows.sh --cli  the window-less conclave.exe only (package-windows.sh
#                                  --cli: the same CLI and server without Tauri, a
#                                  shorter cross-build): every check but the window's
#                                  refusal, the zip and the installer. What CI runs.
#
# CONCLAVE_WINDOWS_NO_BUILD=1 uses the packages as built; CONCLAVE_LINUX_BIN
# names a Linux conclave to compare with (default: the host debug build in
# CARGO_TARGET_DIR, built if missing); WINEPREFIX defaults to its own folder
# under /var/tmp. Ends with "N passed, M failed"; exits 1 on any failure.
#
# What Wine cannot show: the window (Wine has no WebView2 Runtime), a real
# Windows console's code page, Windows Firewall, UAC and per-machine installs.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
# shellcheck source=windows/env.sh
source scripts/windows/env.sh
fixtures=${CONCLAVE_FIXTURES:-$root/../shared/fixtures}
[ -d "$fixtures" ] || fixtures=$root/tests/fixtures
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
bundle="$CARGO_TARGET_DIR/windows-bundle"
setup="$bundle/Conclave_${version}_x64-setup.exe"
portable="$bundle/Conclave_${version}_x64.zip"
exe="$WIN_RELEASE_DIR/conclave.exe"
cli=0
if [ "${1:-}" = "--cli" ]; then
  cli=1
  exe="$WIN_DEBUG_DIR/conclave.exe"
fi

# The test's own tools (package-windows.sh installs Wine and mingw): jq reads
# the CLI's JSON, pdftotext the PIN slips and the 公示 list.
need=()
for p in jq poppler-utils unzip; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

if [ "${CONCLAVE_WINDOWS_NO_BUILD:-0}" != 1 ]; then
  if [ "$cli" = 1 ]; then scripts/package-windows.sh --cli; else scripts/package-windows.sh; fi
fi
built=("$exe")
[ "$cli" = 1 ] || built+=("$setup" "$portable")
for f in "${built[@]}"; do
  [ -f "$f" ] || { echo "test-windows: $f is missing: run scripts/package-windows.sh" >&2; exit 1; }
done

# The Linux build to compare with; built with rustup's cargo (not the
# cross-build's Debian one) and none of the cross-build's variables.
linux=${CONCLAVE_LINUX_BIN:-$CARGO_TARGET_DIR/debug/conclave}
if [ ! -x "$linux" ]; then
  echo "test-windows: building the Linux conclave for comparison"
  (cd src-tauri && env -u CARGO -u RUSTC -u RUSTDOC -u RUSTC_BOOTSTRAP PATH="$HOME/.cargo/bin:$PATH" \
    nice -n 19 cargo build --locked -p conclave --bin conclave)
fi

# Wine: 64-bit only (no wine32 needed), quiet, its own prefix. No Mono or
# Gecko: nothing here needs them and their install prompts would block.
WINE=${WINE:-/usr/lib/wine/wine64}
export WINEPREFIX=${WINEPREFIX:-/var/tmp/conclave-wine}
export WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree=;mshtml="
# Output is compared as Chinese text: a UTF-8 locale for Wine's code pages.
export LANG=C.UTF-8
# Each run names its own data folder; the installed program's default one is
# checked at the end.
unset CONCLAVE_DATA_DIR
if [ ! -f "$WINEPREFIX/system.reg" ]; then
  echo "test-windows: making the Wine prefix $WINEPREFIX"
  mkdir -p "$WINEPREFIX"
  "$WINE" wineboot --init >/dev/null 2>&1
  /usr/lib/wine/wineserver64 -w 2>/dev/null || wineserver -w
fi
# Wine 8.0 lacks ProcessPrng, which Rust's std imports from
# bcryptprimitives.dll: a stand-in over BCryptGenRandom (test harness only).
sys32="$WINEPREFIX/drive_c/windows/system32"
if [ ! -f "$sys32/bcryptprimitives.dll" ] || [ scripts/windows/processprng.c -nt "$sys32/bcryptprimitives.dll" ]; then
  x86_64-w64-mingw32-gcc -O2 -shared -o "$sys32/bcryptprimitives.dll" scripts/windows/processprng.c -lbcrypt
fi
wineuser=$(ls "$WINEPREFIX/drive_c/users" | grep -v -x Public | head -1)
appdata="$WINEPREFIX/drive_c/users/$wineuser/AppData/Roaming"
localappdata="$WINEPREFIX/drive_c/users/$wineuser/AppData/Local"

work=$(mktemp -d /var/tmp/conclave-wintest.XXXXXX)
trap 'rm -rf "$work"' EXIT

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   $*"; }
bad() { failed=$((failed + 1)); echo "FAIL $*"; }
# check NAME COMMAND...: one check, passed when COMMAND succeeds.
check() {
  local name=$1
  shift
  if "$@"; then ok "$name"; else bad "$name"; fi
}
# A Linux path as Windows sees it under Wine (Z: is /).
winpath() { local p=${1//\//\\}; echo "Z:$p"; }

# run BIN DATA STDIN ARGS...: runs one build, Linux or Windows, with DATA as
# its data folder and STDIN as standard input; sets rc, out, err.
run() {
  local bin=$1 data=$2 input=$3
  shift 3
  local env_data=$data
  local -a cmd=("$bin")
  if [ "$bin" = win ]; then
    cmd=("$WINE" "$exe")
    env_data=$(winpath "$data")
  elif [ "$bin" = linux ]; then
    cmd=("$linux")
  fi
  # From a file, not a pipe: a program that exits before reading would
  # give printf a SIGPIPE.
  printf '%s' "$input" >"$work/in"
  set +e
  CONCLAVE_DATA_DIR="$env_data" timeout 300 "${cmd[@]}" "$@" <"$work/in" >"$work/out" 2>"$work/err"
  rc=$?
  set -e
  out=$(cat "$work/out")
  err=$(cat "$work/err")
}
# A path argument for BIN.
arg() { if [ "$1" = win ]; then winpath "$2"; else echo "$2"; fi; }

chair="7KQ2M-9XDFT-HB4WC-R8NPZ-3EVJA"
scrut_a="M4TRW-8ZHKB-2QXDN-6CPVJ-9FGSE"
scrut_b="H3NXP-7WQKD-5RBZT-8MJCF-2VGYA"

echo "== conclave.exe starts and reports its version"
run win "$work/none" "" --version
check "--version prints $version" grep -q "$version" <<<"$out"

echo "== check: every fixture, the Windows build's JSON the same as Linux's"
for f in "$fixtures"/* "$fixtures"/invalid/*; do
  [ "$(basename "$f")" = invalid ] && continue
  run linux "$work/none" "" check --json "$f"
  lrc=$rc lout=$out
  run win "$work/none" "" check --json "$(winpath "$f")"
  if [ "$rc" = "$lrc" ] && [ "$out" = "$lout" ] && [ -n "$out" ]; then
    ok "check --json ${f#"$fixtures"/} (exit $rc)"
  else
    bad "check --json ${f#"$fixtures"/}: windows exit $rc, linux $lrc"
    diff <(echo "$lout") <(echo "$out") | head -5 || true
  fi
done

# meeting BIN DIR: a whole meeting through BIN's CLI, as the headless tests
# run it with the Linux binary (src-tauri/tests/it/headless.rs, meeting.rs).
# Secrets go in with CRLF line ends, as a Windows console or file gives them.
# Leaves DIR/archive.zip, DIR/results.pdf, DIR/minutes.pdf, DIR/publicity.pdf.
meeting() {
  local b=$1 dir=$2 tag=$1
  local data="$dir/data"
  mkdir -p "$data"
  run "$b" "$data" "" new-meeting "2025年度实验系列高级职称评审会" --date 2026-12-01
  local db=${out%$'\r'}
  check "$tag: new-meeting prints the database path" test "$rc" = 0 -a -n "$db"
  local where=$db
  [ "$b" = win ] && where=$(printf '%s' "$db" | sed 's|^Z:||; s|\\|/|g')
  check "$tag: the database is in the data folder" test -f "$where"
  for p in committee-25.json batch-small.zip; do
    run "$b" "$data" "" import "$(arg "$b" "$fixtures/$p")" --meeting "$db"
    check "$tag: import $p" test "$rc" = 0
  done
  local -a present=()
  for i in $(seq 1 20); do present+=("$(printf 'M%02d' "$i")"); done
  run "$b" "$data" "" signin --meeting "$db" "${present[@]}"
  check "$tag: signin of 20 members" test "$rc" = 0
  run "$b" "$data" "" recusal propose --meeting "$db" --json
  check "$tag: recusals proposed from the fixtures' conflicts" test "$rc" = 0 -a "$(jq '.proposed' <<<"$out" 2>/dev/null || echo 0)" -gt 0
  run "$b" "$data" "" recusal confirm --meeting "$db" --all
  check "$tag: recusals confirmed" test "$rc" = 0
  run "$b" "$data" "$chair"$'\r\n'"$scrut_a"$'\r\n'"$scrut_b"$'\r\n' \
    trustees setup --meeting "$db" --chair 李鹏伟 --scrutineer 监票人甲 --scrutineer 监票人乙
  check "$tag: trustees setup with CRLF passphrases" test "$rc" = 0
  local said=$out
  run "$b" "$data" "" status --meeting "$db" --json
  local signing
  signing=$(jq -r '.ceremony.signing_fingerprint' <<<"$out")
  check "$tag: the ceremony's fingerprint is printed" grep -qF "$signing" <<<"$said"
  run "$b" "$data" "" print key-ceremony --meeting "$db" --out "$(arg "$b" "$dir/ceremony.pdf")"
  check "$tag: key ceremony sheet prints the fingerprint" \
    grep -qF "$signing" < <(pdftotext -enc UTF-8 -layout "$dir/ceremony.pdf" - 2>/dev/null)

  # PIN slips, read back from the PDF (names, then PINs, row by row).
  run "$b" "$data" "" print pins --meeting "$db" --out "$(arg "$b" "$dir/pins.pdf")"
  check "$tag: PIN slips printed" test "$rc" = 0
  declare -gA PIN=()
  local -a names=()
  local line id
  while IFS= read -r line; do
    if [[ $line == 姓名：* ]]; then
      line=${line#姓名：}
      names+=("${line// /}")
    elif [[ $line =~ ^[0-9]{6}$ ]]; then
      id=$(jq -r --arg n "${names[0]}" '.members[] | select(.name == $n) | .id' "$fixtures/committee-25.json")
      PIN[$id]=$line
      names=("${names[@]:1}")
    fi
  done < <(pdftotext -enc UTF-8 "$dir/pins.pdf" - 2>/dev/null | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')
  check "$tag: one PIN per member present (${#PIN[@]})" test "${#PIN[@]}" = 20

  run "$b" "$data" "${PIN[M09]}"$'\r\n' round open --meeting "$db"
  check "$tag: a member's PIN opens no round, said in Chinese" test "$rc" = 1 -a -n "$(grep -F 不是主任委员 <<<"$err")"
  run "$b" "$data" "${PIN[M02]}"$'\r\n' round open --meeting "$db"
  local round=${out%$'\r'}
  check "$tag: the vice chair opens a round (CRLF PIN)" test "$rc" = 0 -a -n "$round"

  run "$b" "$data" "" status --meeting "$db" --json
  local status=$out
  local -a cands
  mapfile -t cands < <(jq -r '.rounds[0].candidates[]' <<<"$status")
  local recused
  recused=$(jq -r '.recusals[] | "\(.member)=\(.candidate)"' <<<"$status")
  declare -A want=()
  local k=0 ci v items tracker good=0 first_bad=""
  for m in "${present[@]}"; do
    items=()
    for ci in "${!cands[@]}"; do
      grep -qx "$m=${cands[$ci]}" <<<"$recused" && continue
      case $(((k + ci) % 5)) in
        0 | 1 | 2) v=for ;;
        3) v=against ;;
        *) if ((ci % 2 == 0)); then v=for; else v=abstain; fi ;;
      esac
      items+=("${cands[$ci]}=$v")
      want[${cands[$ci]}:$v]=$((${want[${cands[$ci]}:$v]:-0} + 1))
    done
    run "$b" "$data" "${PIN[$m]}"$'\r\n' round cast --meeting "$db" --round "$round" \
      --choices "$(IFS=,; echo "${items[*]}")"
    # The tracker first (a later version may print more after it).
    tracker=${out%%[[:space:]]*}
    if [ "$rc" = 0 ] && [[ $tracker =~ ^[0-9A-Z]{4}-[0-9A-Z]{4}$ ]]; then
      good=$((good + 1))
    elif [ -z "${first_bad:-}" ]; then
      first_bad="$m: exit $rc, out ${out:0:200}, err ${err:0:300}"
    fi
    k=$((k + 1))
  done
  check "$tag: 20 ballots cast with CRLF PINs, each given a tracker ($good)" test "$good" = 20
  [ -z "$first_bad" ] || echo "     first refused: $first_bad"
  run "$b" "$data" "" status --meeting "$db" --json
  check "$tag: the last ballot closed the round, nothing counted yet" \
    test "$(jq -r '.rounds[0].status + "/" + (.rounds[0].results | length | tostring)' <<<"$out")" = closed/0

  local -a tally=(round tally --meeting "$db" --round "$round" --trustee 李鹏伟 --trustee 监票人乙)
  run "$b" "$data" "$chair"$'\r\n'"wrong-passphrase"$'\r\n' "${tally[@]}"
  check "$tag: a wrong passphrase is named" test "$rc" = 1 -a -n "$(grep -F '监票人乙 的口令不正确' <<<"$err")"
  run "$b" "$data" "$chair"$'\r\n'"$scrut_b"$'\r\n' "${tally[@]}"
  check "$tag: two trustees tally (CRLF passphrases)" test "$rc" = 0
  run "$b" "$data" "" status --meeting "$db" --json
  local counted=0 c f a ab
  for c in "${cands[@]}"; do
    read -r f a ab < <(jq -r --arg c "$c" '.rounds[0].results[] | select(.candidate == $c) | "\(.for) \(.against) \(.abstain)"' <<<"$out")
    [ "$f" = "${want[$c:for]:-0}" ] && [ "$a" = "${want[$c:against]:-0}" ] && [ "$ab" = "${want[$c:abstain]:-0}" ] &&
      counted=$((counted + 1))
  done
  check "$tag: the count is what was cast, for each of ${#cands[@]} candidates" test "$counted" = "${#cands[@]}" -a "$counted" -gt 0

  run "$b" "$data" "${PIN[M02]}"$'\r\n' round confirm --meeting "$db" --round "$round"
  check "$tag: the result is confirmed" test "$rc" = 0 -a -n "$(grep -F 已确认 <<<"$out")"
  run "$b" "$data" "$chair"$'\r\n' print results --meeting "$db" --round "$round" --out "$(arg "$b" "$dir/results.pdf")"
  check "$tag: the sealed results sheet is printed" test "$rc" = 0 -a -f "$dir/results.pdf"
  run "$b" "$data" "$chair"$'\r\n' print minutes --meeting "$db" --out "$(arg "$b" "$dir/minutes.pdf")"
  check "$tag: the sealed minutes are printed" test "$rc" = 0 -a -f "$dir/minutes.pdf"
  run "$b" "$data" "$chair"$'\r\n' print publicity --meeting "$db" --start 2025-09-30 --out "$(arg "$b" "$dir/publicity.pdf")"
  check "$tag: the 公示 list counts 5 working days" \
    grep -qF "公示期：2025-09-30至2025-10-13（5个工作日）" < <(pdftotext -enc UTF-8 "$dir/publicity.pdf" - 2>/dev/null | tr -d ' \n')
  run "$b" "$data" "wrong-passphrase"$'\r\n' export --meeting "$db" --out "$(arg "$b" "$dir/archive.zip")"
  check "$tag: export refuses a wrong passphrase and writes nothing" test "$rc" = 1 -a ! -e "$dir/archive.zip"
  run "$b" "$data" "$chair"$'\r\n' export --meeting "$db" --out "$(arg "$b" "$dir/archive.zip")"
  check "$tag: the meeting is exported" test "$rc" = 0 -a -f "$dir/archive.zip"
  run "$b" "$data" "$scrut_a"$'\r\n'"$scrut_b"$'\r\n' export --meeting "$db" --out "$(arg "$b" "$dir/by-trustees.zip")" \
    --trustee 监票人甲 --trustee 监票人乙
  check "$tag: two scrutineers export when the chair has left" test "$rc" = 0 -a -f "$dir/by-trustees.zip"
}

echo "== A whole meeting through the Windows build's CLI"
meeting win "$work/win"
echo "== The same meeting through the Linux build's CLI"
meeting linux "$work/linux"

echo "== Each build verifies the other's archives and sealed PDFs"
for by in win linux; do
  for from in win linux; do
    for f in archive.zip by-trustees.zip results.pdf minutes.pdf publicity.pdf; do
      [ -f "$work/$from/$f" ] || { bad "verify by $by of $from's $f: not made"; continue; }
      run "$by" "$work/none" "" verify "$(arg "$by" "$work/$from/$f")"
      check "verify by $by of $from's $f" test "$rc" = 0
    done
  done
done
# A changed byte is caught by the Windows build.
if [ -f "$work/linux/results.pdf" ]; then
  cp "$work/linux/results.pdf" "$work/changed.pdf"
  size=$(stat -c %s "$work/changed.pdf")
  printf 'X' | dd of="$work/changed.pdf" bs=1 seek=$((size / 2)) conv=notrunc status=none
  run win "$work/none" "" verify "$(winpath "$work/changed.pdf")"
  check "verify by win of a PDF with one byte changed: refused" test "$rc" = 1
fi

if [ "$cli" = 1 ]; then
  echo "== The window-less build started without a subcommand says what it is"
  run win "$work/none" ""
  check "conclave.exe (no arguments) exits 2 saying it has no window ($rc)" \
    test "$rc" = 2 -a -n "$(grep -F 不带窗口 <<<"$err")"
  echo "$passed passed, $failed failed"
  [ "$failed" = 0 ]
  exit
fi

echo "== The window without the WebView2 Runtime says what is missing"
run win "$work/none" ""
check "conclave.exe (no arguments) exits 2 naming WebView2, not a crash ($rc)" \
  test "$rc" = 2 -a -n "$(grep -F WebView2 <<<"$err")"

echo "== The portable zip"
mkdir -p "$work/portable"
unzip -q "$portable" -d "$work/portable"
check "the zip holds conclave.exe, WebView2Loader.dll and README.txt" \
  test -f "$work/portable/conclave.exe" -a -f "$work/portable/WebView2Loader.dll" -a -f "$work/portable/README.txt"
set +e
pv=$("$WINE" "$work/portable/conclave.exe" --version 2>/dev/null)
set -e
check "the unzipped conclave.exe runs" grep -q "$version" <<<"$pv"

echo "== The installer and uninstaller, silent (per user)"
instdir="$localappdata/Programs/Conclave"
shortcut="$appdata/Microsoft/Windows/Start Menu/Programs/Conclave 职称评审会议.lnk"
datadir="$appdata/cn.conclave.app"
# A meeting left by an earlier run would make "kept" prove nothing.
rm -rf "$datadir"
set +e
timeout 300 "$WINE" "$setup" /S
src=$?
/usr/lib/wine/wineserver64 -w
set -e
check "the installer exits 0 ($src)" test "$src" = 0
for f in conclave.exe WebView2Loader.dll README.txt uninstall.exe; do
  check "installed $f" test -f "$instdir/$f"
done
check "the Start menu has 「Conclave 职称评审会议」" test -f "$shortcut"
set +e
reg=$("$WINE" reg query 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\Conclave' 2>/dev/null | tr -d '\r')
set -e
# (reg.exe prints in the console's code page: the Chinese name is not compared.)
check "Apps & features lists it, with a silent uninstall" grep -qF 'uninstall.exe" /S' <<<"$reg"
# The installed program keeps a meeting in the default data folder.
set +e
made=$(timeout 120 "$WINE" "$instdir/conclave.exe" new-meeting "卸载后保留的会议" --date 2026-12-01 2>/dev/null | tr -d '\r')
set -e
check "the installed conclave.exe makes a meeting in %APPDATA%\\cn.conclave.app" \
  test -n "$made" -a -d "$datadir" -a -n "$(find "$datadir" -name meeting.db 2>/dev/null)"
set +e
timeout 300 "$WINE" "$instdir/uninstall.exe" /S
urc=$?
# The uninstaller copies itself to a temporary folder and runs from there:
# wait for every process of the prefix to end.
/usr/lib/wine/wineserver64 -w
set -e
check "the uninstaller exits 0 ($urc)" test "$urc" = 0
check "the program is gone" test ! -e "$instdir/conclave.exe" -a ! -e "$instdir/uninstall.exe"
check "the Start-menu entry is gone" test ! -e "$shortcut"
check "the meetings are kept" test -n "$(find "$datadir" -name meeting.db 2>/dev/null)"

echo "== The installer and uninstaller, silent, for all users (/ALLUSERS)"
# Wine's user counts as an administrator, so this takes the per-machine path.
machinedir="$WINEPREFIX/drive_c/Program Files/Conclave"
machinelink="$WINEPREFIX/drive_c/ProgramData/Microsoft/Windows/Start Menu/Programs/Conclave 职称评审会议.lnk"
set +e
timeout 300 "$WINE" "$setup" /S /ALLUSERS
src=$?
/usr/lib/wine/wineserver64 -w
reg=$("$WINE" reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\Conclave' 2>/dev/null | tr -d '\r')
set -e
check "/ALLUSERS installs under Program Files ($src)" test "$src" = 0 -a -f "$machinedir/conclave.exe" -a -f "$machinedir/WebView2Loader.dll"
check "/ALLUSERS puts 「Conclave 职称评审会议」 in every user's Start menu" test -f "$machinelink"
check "/ALLUSERS registers the uninstaller for the machine" grep -qF 'uninstall.exe" /S /ALLUSERS' <<<"$reg"
set +e
timeout 300 "$WINE" "$machinedir/uninstall.exe" /S /ALLUSERS
urc=$?
/usr/lib/wine/wineserver64 -w
set -e
check "/ALLUSERS uninstalls ($urc)" test "$urc" = 0 -a ! -e "$machinedir/conclave.exe" -a ! -e "$machinelink"
check "the meetings are still kept" test -n "$(find "$datadir" -name meeting.db 2>/dev/null)"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
