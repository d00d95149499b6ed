#!/usr/bin/env bash
# Installs whatever is missing on a Debian/Ubuntu machine and builds the UI.
# Idempotent: a second run only checks. Used by run-app.sh and test-all.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

# Build: WebKitGTK + rsvg. Tests: WebKitWebDriver, Xvfb, poppler (pdftotext),
# qpdf, imagemagick (screenshots), unzip (benchmark reference). Build and
# print: fonts-noto-cjk (the SC faces compiled into the binary). Terminals:
# Chromium and chromedriver, Firefox ESR (its geckodriver is built from
# crates.io below); WebKit's MiniBrowser comes with libwebkit2gtk.
APT_PACKAGES=(pkg-config build-essential libwebkit2gtk-4.1-dev librsvg2-dev
  webkit2gtk-driver xvfb poppler-utils qpdf imagemagick unzip openssl fonts-noto-cjk
  chromium chromium-driver firefox-esr)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

command -v cargo >/dev/null || { echo "setup: Rust (cargo) is required: https://rustup.rs" >&2; exit 1; }
command -v npm >/dev/null || { echo "setup: Node.js 20+ with npm is required" >&2; exit 1; }

if [ "${1:-}" = "--with-test-tools" ] && ! command -v tauri-driver >/dev/null; then
  echo "setup: installing tauri-driver"
  cargo install tauri-driver --version '^2' --locked --quiet
fi
if [ "${1:-}" = "--with-test-tools" ] && ! command -v geckodriver >/dev/null; then
  echo "setup: installing geckodriver (Firefox as a member's terminal)"
  cargo install geckodriver --version '^0.37' --locked --quiet
fi

npm_ci() {
  # Reinstall only when the lock file changed since the last install.
  local dir=$1
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || ! cmp -s "$dir/package-lock.json" "$dir/node_modules/.conclave-lock"; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$dir/package-lock.json" "$dir/node_modules/.conclave-lock"
  fi
}
npm_ci ui
[ "${1:-}" = "--with-test-tools" ] && npm_ci tests/e2e

(cd ui && npm run build --silent)
