//! The bundled CJK faces (Hanazono Mincho A/B: CJK Unified Ideographs with
//! Extensions A and B), compiled into the binary once and shared by the UI
//! (served over the `conclave:` protocol) and, later, the PDF writer.

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
