# Sourced by package-windows.sh and test-windows.sh: the environment of the
# Windows cross-build, kept in one place because any difference (a compiler,
# a flag) makes cargo rebuild everything from cold.
#
# rustup's toolchains here have neither the Windows target nor rust-src, and
# cannot download them; Debian's rustc-web/cargo-web/rust-web-src have the
# std sources, so std itself is built for the target (-Zbuild-std, which
# needs RUSTC_BOOTSTRAP on a stable compiler). ~/.cargo/bin comes first in
# PATH, hence the full paths.
export CARGO=/usr/bin/cargo
export RUSTC=/usr/bin/rustc
export RUSTDOC=/usr/bin/rustdoc
export RUSTC_BOOTSTRAP=1
export WIN_TARGET=x86_64-pc-windows-gnu
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
export CC_x86_64_pc_windows_gnu=x86_64-w64-mingw32-gcc
export CXX_x86_64_pc_windows_gnu=x86_64-w64-mingw32-g++
export AR_x86_64_pc_windows_gnu=x86_64-w64-mingw32-ar
export RC_x86_64_pc_windows_gnu=x86_64-w64-mingw32-windres
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/var/tmp/conclave-target}
# The two cores are shared: one compiler job unless told otherwise.
export CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-1}
# The cross-build's flags, for cargo build and cargo run alike.
WIN_CARGO_FLAGS=(-Zbuild-std=std,panic_abort --target "$WIN_TARGET")
# Where the built conclave.exe and WebView2Loader.dll are.
WIN_RELEASE_DIR="$CARGO_TARGET_DIR/$WIN_TARGET/release"
# Where the window-less debug build is (package-windows.sh --cli).
WIN_DEBUG_DIR="$CARGO_TARGET_DIR/$WIN_TARGET/debug"
