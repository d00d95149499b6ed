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

/// The image in `bytes` in grey, within the size limit.
fn grey(bytes: &[u8]) -> Option<image::GrayImage> {
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
    Some(reader()?.decode().ok()?.to_luma8())
}

/// The QR payload found in a grey image, by rxing (a port of ZXing, whose
/// hybrid binariser copes with noise, blur and a slight tilt); a large scan
/// that yields nothing is tried again at half size.
fn find_code(luma: &image::GrayImage) -> Option<Vec<u8>> {
    let (w, h) = luma.dimensions();
    decode(luma).or_else(|| {
        (w.min(h) > 2000)
            .then(|| image::imageops::resize(luma, w / 2, h / 2, image::imageops::FilterType::Triangle))
            .and_then(|half| decode(&half))
    })
}

/// The QR code rxing reads in `luma`, as its content bytes: the byte
/// segments where the decoder reports them, else its content bytes (the
/// port of zxing-cpp reports those as the raw bytes).
fn decode(luma: &image::GrayImage) -> Option<Vec<u8>> {
    use rxing::{
        BarcodeFormat, DecodeHints, RXingResultMetadataType as Meta, RXingResultMetadataValue as Value,
    };
    let (w, h) = luma.dimensions();
    let mut hints = DecodeHints::default();
    let r = rxing::helpers::detect_in_luma_with_hints(
        luma.as_raw().clone(),
        w,
        h,
        Some(BarcodeFormat::QR_CODE),
        &mut hints,
    )
    .ok()?;
    Some(match r.getRXingResultMetadata().get(&Meta::BYTE_SEGMENTS) {
        Some(Value::ByteSegments(segments)) => segments.concat(),
        _ => r.getRawBytes().to_vec(),
    })
}

/// Checks the page QR code in an image (PNG or JPEG).
pub fn scan_image(bytes: &[u8], lang: Lang) -> ScanVerdict {
    let mut v = ScanVerdict::default();
    let Some(luma) = grey(bytes) else {
        v.problems.push(Msg::ScanNotImage.render(lang));
        return v;
    };
    let Some(scanned) = find_code(&luma).and_then(|p| page_seal::read(&p)) else {
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
