#!/usr/bin/env bash
# Builds the Windows packages on Debian/Ubuntu, from Debian's packages,
# crates.io and npm only: conclave.exe cross-built for x86_64-pc-windows-gnu
# (the window and the CLI in one binary, as on Linux), an NSIS installer
# Conclave_<version>_x64-setup.exe and a portable Conclave_<version>_x64.zip.
# Prints where they are.
#
#   scripts/package-windows.sh            everything
#   scripts/package-windows.sh --exe-only conclave.exe only
#   scripts/package-windows.sh --cli      the window-less conclave.exe (the
#                                         same CLI and meeting-room server,
#                                         no Tauri; a debug build): what CI
#                                         tests under Wine (test-windows.sh --cli)
#
# A cold build takes 25-40 minutes at one job; CARGO_BUILD_JOBS raises that.
# docs: /work/shared/design/platform-notes.md, "Windows and other targets".
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
exe_only=0
cli=0
case "${1:-}" in
  --exe-only) exe_only=1 ;;
  --cli) exe_only=1 cli=1 ;;
esac

# apt-get only for what is missing, so a second run installs nothing.
# rustc-web/cargo-web/rust-web-src: a compiler with the std sources to build
# std for the target (rustup cannot fetch the target here); mingw-w64: the
# linker, C compiler and windres; nsis: makensis; wine: test-windows.sh.
need=()
for p in rustc-web cargo-web rust-web-src mingw-w64 nsis wine wine64 zip; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "package-windows: installing ${need[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

# shellcheck source=windows/env.sh
source scripts/windows/env.sh

# The version is the workspace's, as in tauri.conf.json.
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)

if [ "$cli" = 1 ]; then
  echo "package-windows: building the window-less conclave.exe $version (debug, $CARGO_BUILD_JOBS jobs)"
  (cd src-tauri && nice -n 19 "$CARGO" build --locked "${WIN_CARGO_FLAGS[@]}" -p conclave --bin conclave --no-default-features)
  exe="$WIN_DEBUG_DIR/conclave.exe"
  files=("$exe")
else
  # The UI is embedded in the binary (custom-protocol), so build it first.
  if [ ! -d ui/node_modules ]; then
    (cd ui && npm ci --no-audit --no-fund)
  fi
  (cd ui && npm run build --silent)
  echo "package-windows: building conclave.exe $version ($CARGO_BUILD_JOBS jobs at low priority)"
  (cd src-tauri && nice -n 19 "$CARGO" build --release --locked "${WIN_CARGO_FLAGS[@]}" -p conclave --bin conclave)
  exe="$WIN_RELEASE_DIR/conclave.exe"
  loader="$WIN_RELEASE_DIR/WebView2Loader.dll"
  files=("$exe" "$loader")
fi
for f in "${files[@]}"; do
  [ -f "$f" ] || { echo "package-windows: $f was not built" >&2; exit 1; }
done
# The exe must need nothing beyond Windows itself and the loader beside it
# (no mingw runtime DLLs): list its imports and refuse any other.
imports=$(x86_64-w64-mingw32-objdump -p "$exe" | sed -n 's/^\s*DLL Name: //p' | sort -u)
others=$(echo "$imports" | grep -viE '^(api-ms-win-.*|kernel32|user32|gdi32|advapi32|shell32|ole32|oleaut32|combase|rpcrt4|comctl32|comdlg32|uxtheme|dwmapi|ws2_32|bcrypt|bcryptprimitives|ntdll|crypt32|secur32|userenv|shlwapi|version|winspool|imm32|dwrite|d2d1|propsys|uiautomationcore|iphlpapi|dbghelp|msimg32|opengl32|gdiplus|winmm|setupapi|powrprof|msvcrt|webview2loader)\.dll$' || true)
if [ -n "$others" ]; then
  echo "package-windows: conclave.exe imports DLLs that Windows does not have: $others" >&2
  exit 1
fi
[ "$exe_only" = 1 ] && { ls -la "${files[@]}"; exit 0; }

# The files to ship, staged outside the clone (never committed).
out="$CARGO_TARGET_DIR/windows-bundle"
stage="$out/stage"
rm -rf "$stage"
mkdir -p "$stage"
cp "$exe" "$loader" src-tauri/icons/icon.ico "$stage/"
# mingw's linker keeps the symbol tables (most of the exe's size); the
# shipped copy goes without them.
x86_64-w64-mingw32-strip --strip-all "$stage/conclave.exe"
# README.txt with CRLF line ends, for Notepad on older Windows 10.
sed "s/@VERSION@/$version/; s/\$/\r/" scripts/windows/README.txt >"$stage/README.txt"

setup="$out/Conclave_${version}_x64-setup.exe"
makensis -V2 -INPUTCHARSET UTF8 "-XTarget amd64-unicode" \
  -DVERSION="$version" -DSTAGE="$stage" -DOUTFILE="$setup" scripts/windows/conclave.nsi

zipfile="$out/Conclave_${version}_x64.zip"
rm -f "$zipfile"
(cd "$stage" && zip -q -9 -X "$zipfile" conclave.exe WebView2Loader.dll README.txt)

cd "$root"
ls -la "$exe" "$setup" "$zipfile"
