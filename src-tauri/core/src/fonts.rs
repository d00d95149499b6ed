//! The bundled faces, compiled into the binary once.
//!
//! Printed documents use the mainland (SC) faces of Noto CJK (Source Han):
//! Noto Serif CJK SC for the body, Noto Sans CJK SC Bold for titles,
//! headings and table headers (both SIL OFL 1.1, from Debian's
//! `fonts-noto-cjk`, found by `build.rs`). Hanazono Mincho A/B are the
//! per-glyph fallback for what the SC faces lack (CJK Extension B and later:
//! 𪚥), and are what the UI serves over the `conclave:` protocol beside the
//! system's Noto Sans CJK SC.

use sha2::{Digest, Sha256};
use std::sync::OnceLock;

/// Noto Serif CJK (a collection: JP, KR, SC, TC, HK).
pub static NOTO_SERIF: &[u8] = include_bytes!(env!("CONCLAVE_NOTO_SERIF"));
/// Noto Sans CJK Bold (a collection: JP, KR, SC, TC, HK, then the Mono faces).
pub static NOTO_SANS_BOLD: &[u8] = include_bytes!(env!("CONCLAVE_NOTO_SANS_BOLD"));
/// The index of the SC face in both collections.
pub const NOTO_SC_INDEX: usize = 2;
/// HanaMinA: BMP ideographs including Extension A (䶮) and most of B.
pub static HANAMIN_A: &[u8] = include_bytes!("../../../assets/fonts/HanaMinA.ttf");
/// HanaMinB: the supplementary planes (Extension B and later: 𠮷 𪚥).
pub static HANAMIN_B: &[u8] = include_bytes!("../../../assets/fonts/HanaMinB.ttf");

/// A bundled font by its file name, as the UI asks for it.
pub fn by_name(name: &str) -> Option<&'static [u8]> {
    match name {
        "HanaMinA.ttf" => Some(HANAMIN_A),
        "HanaMinB.ttf" => Some(HANAMIN_B),
        _ => None,
    }
}

/// The first 16 hex digits of the SHA-256 of every face the documents are
/// drawn with: two builds with other font files draw other pages.
pub fn faces_digest() -> &'static str {
    static DIGEST: OnceLock<String> = OnceLock::new();
    DIGEST.get_or_init(|| {
        let mut h = Sha256::new();
        for face in [NOTO_SERIF, NOTO_SANS_BOLD, HANAMIN_A, HANAMIN_B] {
            h.update(Sha256::digest(face));
        }
        hex::encode(h.finalize())[..16].to_string()
    })
}
