//! A photographed or scanned page checked by its QR code (`conclave verify
//! --scan`): the code's signature by the meeting key, and what the page must
//! say, for a person to compare with the paper.

use crate::i18n::{Lang, Msg};
use crate::print::{page_seal, seal};
use serde::Serialize;
use ts_rs::TS;

/// Most pixels of an image `verify --scan` decodes (a 600-dpi A4 scan is
/// about 35 million).
const MAX_PIXELS: u64 = 64_000_000;

/// The answer of `conclave verify --scan`.
#[derive(Debug, Clone, Default, Serialize, TS)]
#[ts(export)]
pub struct ScanVerdict {
    pub authentic: bool,
    pub problems: Vec<String>,
    pub meeting: Option<String>,
    /// `results`, `minutes` or `publicity`.
    pub kind: Option<String>,
    #[ts(type = "number | null")]
    pub round: Option<i64>,
    pub code: Option<String>,
    #[ts(type = "number | null")]
    pub page: Option<usize>,
    #[ts(type = "number | null")]
    pub pages: Option<usize>,
    /// The rows the page must show (its tables' headers and rows, the
    /// columns its QR carries), cell by cell.
    pub rows: Vec<Vec<String>>,
    pub key_fingerprint: Option<String>,
}

/// Whether `bytes` start like a PNG or a JPEG.
pub fn is_image(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x89PNG") || bytes.starts_with(&[0xFF, 0xD8, 0xFF])
}

/// The QR payloads found in an image.
fn payloads(bytes: &[u8]) -> Option<Vec<Vec<u8>>> {
    let reader = || {
        let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes)).with_guessed_format().ok()?;
        let mut limits = image::Limits::default();
        limits.max_alloc = Some(MAX_PIXELS * 4);
        reader.limits(limits);
        Some(reader)
    };
    // The header's dimensions first: nothing is decoded past the limit.
    let (w, h) = reader()?.into_dimensions().ok()?;
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return None;
    }
    let luma = reader()?.decode().ok()?.to_luma8();
    Some(find_codes(&luma))
}

/// The detector misses codes at some module sizes and beside other
/// drawings: try the whole image, then its quarters and the windows between
/// them, each as it is and enlarged, until one yields a page code.
fn find_codes(luma: &image::GrayImage) -> Vec<Vec<u8>> {
    let (w, h) = luma.dimensions();
    let mut windows = vec![(0, 0, w, h)];
    let (ww, wh) = (w / 2, h / 2);
    for fy in 0..3 {
        for fx in 0..3 {
            windows.push((fx * w / 4, fy * h / 4, ww, wh));
        }
    }
    let mut found = Vec::new();
    for scale in [1.0f64, 2.0, 1.5, 0.5] {
        for &(x, y, cw, ch) in &windows {
            let (sw, sh) = ((f64::from(cw) * scale) as u32, (f64::from(ch) * scale) as u32);
            if sw < 21 || sh < 21 || u64::from(sw) * u64::from(sh) > MAX_PIXELS {
                continue;
            }
            let crop = image::imageops::crop_imm(luma, x, y, cw, ch).to_image();
            let img = if scale == 1.0 {
                crop
            } else {
                image::imageops::resize(&crop, sw, sh, image::imageops::FilterType::Triangle)
            };
            let mut prepared = rqrr::PreparedImage::prepare(img);
            found.extend(prepared.detect_grids().into_iter().filter_map(|grid| {
                let mut out = Vec::new();
                grid.decode_to(&mut out).ok()?;
                Some(out)
            }));
            if found.iter().any(|p| page_seal::read(p).is_some()) {
                return found;
            }
        }
    }
    found
}

/// Checks the page QR code in an image (PNG or JPEG).
pub fn scan_image(bytes: &[u8], lang: Lang) -> ScanVerdict {
    let mut v = ScanVerdict::default();
    let Some(found) = payloads(bytes) else {
        v.problems.push(Msg::ScanNotImage.render(lang));
        return v;
    };
    let Some(scanned) = found.iter().find_map(|p| page_seal::read(p)) else {
        v.problems.push(Msg::ScanNoCode.render(lang));
        return v;
    };
    v.key_fingerprint = Some(seal::fingerprint(&scanned.public_key));
    if !scanned.valid {
        v.problems.push(Msg::ScanBadSignature.render(lang));
        return v;
    }
    let p = scanned.page;
    v.meeting = Some(p.meeting);
    v.kind = Some(p.kind);
    v.round = p.round;
    v.code = Some(p.code);
    v.page = Some(p.page);
    v.pages = Some(p.pages);
    v.rows = p.rows;
    v.authentic = true;
    v
}

impl ScanVerdict {
    /// What the page must say, line by line, for a person to compare;
    /// `None` unless the scan found an authentic page code.
    pub fn lines(&self, lang: Lang) -> Option<Vec<String>> {
        if !self.authentic {
            return None;
        }
        let mut out = vec![Msg::ScanAuthentic {
            meeting: self.meeting.clone()?,
            document: format!(
                "{} · {}",
                super::pdf::kind_name(self.kind.as_deref(), self.round, lang),
                Msg::ScanPage {
                    page: self.page?.try_into().unwrap_or(u32::MAX),
                    pages: self.pages?.try_into().unwrap_or(u32::MAX),
                    code: self.code.clone()?,
                }
                .render(lang)
            ),
            key: self.key_fingerprint.clone()?,
        }
        .render(lang)];
        out.extend(self.rows.iter().map(|row| format!("  {}", row.join(" | "))));
        Some(out)
    }
}
