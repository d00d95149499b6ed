#!/usr/bin/env bash
# Builds the installable packages with the Tauri bundler: a .deb (Debian 12+,
# Ubuntu 22.04+) and an .rpm. Prints where they are. Nothing is downloaded but
# registry packages (apt, crates.io, npm): the AppImage is not built, because
# the bundler fetches linuxdeploy and its plugins from elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/var/tmp/conclave-target}
if ! cargo tauri --version >/dev/null 2>&1; then
  echo "package: installing tauri-cli (the bundler)"
  cargo install tauri-cli --version '^2' --locked --quiet
fi
(cd src-tauri && cargo tauri build --ci --bundles deb,rpm)
bundle="$CARGO_TARGET_DIR/release/bundle"
ls -la "$bundle"/deb/*.deb "$bundle"/rpm/*.rpm
