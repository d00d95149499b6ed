//! Finds the Noto CJK SC faces the printed documents use (Debian's
//! `fonts-noto-cjk`, SIL OFL 1.1) so that they are compiled into the binary:
//! every copy of one build draws the same glyphs.

use std::path::Path;

fn main() {
    println!("cargo:rerun-if-env-changed=CONCLAVE_NOTO_DIR");
    let dir = std::env::var("CONCLAVE_NOTO_DIR").unwrap_or_else(|_| "/usr/share/fonts/opentype/noto".into());
    for (var, file) in [
        ("CONCLAVE_NOTO_SERIF", "NotoSerifCJK-Regular.ttc"),
        ("CONCLAVE_NOTO_SANS_BOLD", "NotoSansCJK-Bold.ttc"),
    ] {
        let path = Path::new(&dir).join(file);
        if !path.is_file() {
            panic!(
                "{} not found: install Debian's fonts-noto-cjk (scripts/setup.sh does) or set CONCLAVE_NOTO_DIR",
                path.display()
            );
        }
        println!("cargo:rustc-env={var}={}", path.display());
        println!("cargo:rerun-if-changed={}", path.display());
    }
}
