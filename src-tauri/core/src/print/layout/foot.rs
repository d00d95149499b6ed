//! The foot of a sealed page: its QR code (see [`crate::print::page_seal`])
//! and, beside it, the seal and how to check the file and the paper.

use super::{colon, Layout, Style, MARGIN, QR_FOOT, QR_SIDE};
use crate::i18n::labels::label;
use crate::i18n::Lang;
use crate::print::page_seal;
use crate::print::seal::{self, Seal};

impl Layout {
    /// The page's QR code at the foot on the right, and beside it what it is.
    pub(super) fn page_qr(&mut self, seal: &Seal, page: &page_seal::Page, index: usize, lang: Lang) {
        let key: [u8; 32] =
            hex::decode(&seal.public_key).ok().and_then(|k| k.try_into().ok()).unwrap_or([0; 32]);
        let signature: [u8; 64] = seal
            .pages
            .get(index)
            .and_then(|s| hex::decode(s).ok())
            .and_then(|s| s.try_into().ok())
            .unwrap_or([0; 64]);
        let Some((n, dark)) = page_seal::payload(page, &key, &signature).and_then(|p| page_seal::qr(&p))
        else {
            return;
        };
        self.qr_square(self.width - MARGIN - QR_SIDE, QR_FOOT, QR_SIDE, n, &dark);
        // Beside it, on every page: the seal, and how to check the file and the paper.
        let c = colon(lang);
        let seal_line =
            format!("{}  {}{c}{}", label("seal.title", lang), label("seal.code", lang), page.code);
        self.styled(MARGIN, QR_FOOT + 92.0, 10.5, &seal_line, Style::Strong);
        let key = format!("{}{c}{}", label("seal.key", lang), seal::fingerprint(&seal.public_key));
        self.text(MARGIN, QR_FOOT + 76.0, 8.5, &key);
        self.text(MARGIN, QR_FOOT + 62.0, 8.5, &label("seal.page_qr", lang));
        self.text(MARGIN, QR_FOOT + 48.0, 8.5, &label("seal.how", lang));
        self.text(MARGIN, QR_FOOT + 34.0, 8.5, &label("seal.scan_how", lang));
    }
}

impl Layout {
    /// A QR code of `n` × `n` modules in the square of `side` pt whose lower
    /// left corner is (`x`, `y`), with a quiet zone of four modules inside.
    pub fn qr_square(&mut self, x: f32, y: f32, side: f32, n: usize, dark: &[bool]) {
        let module = side / (n + 8) as f32;
        let (x0, y0) = (x + 4.0 * module, y + 4.0 * module);
        for (i, d) in dark.iter().enumerate() {
            if *d {
                self.square(x0 + (i % n) as f32 * module, y0 + (n - 1 - i / n) as f32 * module, module);
            }
        }
    }
}

/// What page `page` of `total` of the sealed document shows, for its QR.
/// `None` when the seal's data names no document (such a seal renders nothing).
pub(super) fn page_of(
    seal: &Seal,
    page: usize,
    total: usize,
    rows: Vec<Vec<String>>,
) -> Option<page_seal::Page> {
    let doc = seal::describe(seal)?;
    Some(page_seal::Page {
        code: seal::code(&seal.data),
        kind: doc.kind,
        round: doc.round,
        page,
        pages: total,
        meeting: doc.meeting,
        rows,
    })
}
