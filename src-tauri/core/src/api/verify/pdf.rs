//! A sealed PDF checked offline: the byte signature over the whole file,
//! the meeting key's seal on the data and on the PDF key, then (for
//! documents drawn by today's layout) every page against a fresh render of
//! the signed data as a second opinion.

use crate::api::print::{describe, render_sealed};
use crate::i18n::{Lang, Msg};
use crate::print::seal::{self, Seal, MARKER};
use crate::print::signature::{self, Problem};
use crate::print::{minutes, publicity};
use serde::Serialize;
use ts_rs::TS;

/// The answer of `conclave verify`.
#[derive(Debug, Clone, Default, Serialize, TS)]
#[ts(export)]
pub struct Verdict {
    pub authentic: bool,
    pub problems: Vec<String>,
    pub meeting: Option<String>,
    /// `results`, `minutes` or `publicity`.
    pub kind: Option<String>,
    #[ts(type = "number | null")]
    pub round: Option<i64>,
    pub code: Option<String>,
    pub key_fingerprint: Option<String>,
    /// Whether the pages were also compared with a fresh render (only for
    /// documents drawn by the current layout version and the same faces).
    pub rerendered: bool,
}

/// The Info dictionary's keywords as text (PDFDocEncoding or UTF-16BE).
pub fn keywords_text(doc: &lopdf::Document) -> Option<String> {
    let info = doc.trailer.get(b"Info").ok()?;
    let info = match info {
        lopdf::Object::Reference(id) => doc.get_object(*id).ok()?,
        other => other,
    };
    let bytes = info.as_dict().ok()?.get(b"Keywords").ok()?.as_str().ok()?.to_vec();
    if bytes.starts_with(&[0xFE, 0xFF]) {
        let units: Vec<u16> =
            bytes[2..].chunks(2).map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])).collect();
        return Some(String::from_utf16_lossy(&units));
    }
    Some(bytes.iter().map(|&b| b as char).collect())
}

/// Most bytes one stream of a PDF under verification may inflate to.
const MAX_INFLATE: usize = 256 * 1024 * 1024;

/// The signed data of a sealed PDF whose byte signature and seal hold (not
/// re-rendered).
pub fn sealed_data(bytes: &[u8]) -> Option<serde_json::Value> {
    let doc = load_bounded(bytes)?;
    let sealed = seal::read(&doc)?;
    signed_by_seal(bytes, &doc, &sealed).ok()?;
    serde_json::from_str(&sealed.data).ok()
}

/// The byte signature holds, is by the PDF key the seal names, the meeting
/// key vouches for that PDF key, and the seal's data signature holds.
fn signed_by_seal(bytes: &[u8], doc: &lopdf::Document, sealed: &Seal) -> Result<(), Msg> {
    let checked = signature::check(bytes, doc).map_err(|p| match p {
        Problem::Missing => Msg::VerifyNoByteSignature,
        Problem::Range => Msg::VerifyChangedAfterSigning,
        Problem::Digest => Msg::VerifyBytesChanged,
        Problem::Several => Msg::VerifySeveralSignatures,
        Problem::Container | Problem::Signature => Msg::VerifyBadSignature,
    })?;
    if !seal::vouches_for(sealed, &checked.key) || !seal::valid(sealed) {
        return Err(Msg::VerifyBadSignature);
    }
    Ok(())
}

fn load_bounded(bytes: &[u8]) -> Option<lopdf::Document> {
    lopdf::Document::load_mem_with_options(bytes, lopdf::LoadOptions::with_max_decompressed_size(MAX_INFLATE))
        .ok()
}

/// What a reader sees of each page: its drawing operations (with font
/// resource names, random per render, replaced by one placeholder), its
/// boxes and rotation, whether it carries annotations, and the embedded font
/// programs. Two renders of the same data compare equal; a changed number,
/// an added comment or stamp, a crop that hides a row, or a font whose
/// glyphs were redrawn do not.
/// `None` when a page cannot be read: such a document is not authentic.
fn page_contents(doc: &lopdf::Document) -> Option<Vec<Vec<u8>>> {
    let mut out: Vec<Vec<u8>> = doc
        .get_pages()
        .values()
        .map(|id| {
            let bytes = doc.get_page_content_with_limit(*id, MAX_INFLATE).ok()?;
            let mut ops = lopdf::content::Content::decode(&bytes).ok()?.operations;
            for op in &mut ops {
                if op.operator == "Tf" {
                    if let Some(name) = op.operands.first_mut() {
                        *name = lopdf::Object::Name(b"F".to_vec());
                    }
                }
            }
            let mut page = lopdf::content::Content { operations: ops }.encode().ok()?;
            if let Ok(dict) = doc.get_dictionary(*id) {
                for key in [&b"MediaBox"[..], b"CropBox", b"BleedBox", b"TrimBox", b"ArtBox", b"Rotate"] {
                    page.extend_from_slice(format!("|{:?}", dict.get(key).ok()).as_bytes());
                }
                page.extend_from_slice(format!("|annotations {}", shown_annotations(doc, dict)?).as_bytes());
            }
            Some(page)
        })
        .collect::<Option<_>>()?;
    let mut fonts: Vec<Vec<u8>> = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter_map(|d| ["FontFile", "FontFile2", "FontFile3"].iter().find_map(|k| d.get(k.as_bytes()).ok()))
        .filter_map(|r| r.as_reference().ok())
        .filter_map(|id| {
            doc.get_object(id).ok()?.as_stream().ok()?.decompressed_content_with_limit(MAX_INFLATE).ok()
        })
        .collect();
    fonts.sort();
    out.extend(fonts);
    Some(out)
}

/// How many annotations a page carries besides the invisible signature
/// widget; `None` when the list cannot be read.
fn shown_annotations(doc: &lopdf::Document, page: &lopdf::Dictionary) -> Option<usize> {
    let annots = match page.get(b"Annots") {
        Err(_) => return Some(0),
        Ok(lopdf::Object::Reference(id)) => doc.get_object(*id).ok()?,
        Ok(other) => other,
    };
    let is_signature = |o: &lopdf::Object| {
        o.as_reference()
            .ok()
            .and_then(|id| doc.get_dictionary(id).ok())
            .and_then(|d| d.get(b"FT").ok()?.as_name().ok())
            .is_some_and(|ft| ft == b"Sig")
    };
    Some(annots.as_array().ok()?.iter().filter(|o| !is_signature(o)).count())
}

/// Checks a sealed PDF: the byte signature over the whole file and the
/// meeting's seal first; then, for a document drawn by the current layout,
/// that every page shows exactly what the signed data renders to.
pub fn verify_pdf(bytes: &[u8], lang: Lang) -> Verdict {
    let mut v = Verdict::default();
    let Some(doc_in) = load_bounded(bytes) else {
        v.problems.push(Msg::VerifyNotPdf.render(lang));
        return v;
    };
    let Some(sealed) = seal::read(&doc_in) else {
        v.problems.push(
            if keywords_text(&doc_in).is_some_and(|k| k.contains(MARKER)) {
                Msg::VerifyNoByteSignature
            } else {
                Msg::VerifyNoSeal
            }
            .render(lang),
        );
        return v;
    };
    v.code = Some(seal::code(&sealed.data));
    v.key_fingerprint = Some(seal::fingerprint(&sealed.public_key));
    if let Err(msg) = signed_by_seal(bytes, &doc_in, &sealed) {
        v.problems.push(msg.render(lang));
        return v;
    }
    let Some(doc) = describe(&sealed) else {
        v.problems.push(Msg::VerifyNoSeal.render(lang));
        return v;
    };
    v.meeting = Some(doc.meeting);
    v.round = doc.round;
    v.kind = Some(doc.kind);
    // The code shown in the document's properties must be the seal's.
    if keywords_text(&doc_in).is_some_and(|k| k.contains(MARKER) && !k.contains(&seal::code(&sealed.data))) {
        v.problems.push(Msg::VerifyContentChanged.render(lang));
        return v;
    }
    if sealed.layout == seal::LAYOUT && sealed.faces == crate::fonts::faces_digest() {
        v.rerendered = true;
        let same = render_sealed(&sealed).and_then(|(rendered, _)| load_bounded(&rendered.pdf)).is_some_and(
            |expected| page_contents(&expected).is_some_and(|e| Some(e) == page_contents(&doc_in)),
        );
        if !same {
            v.problems.push(Msg::VerifyContentChanged.render(lang));
            return v;
        }
    }
    v.authentic = true;
    v
}

/// "第 2 轮表决结果" / "会议记录" / "公示名单" for a verdict.
pub fn document_name(v: &Verdict, lang: Lang) -> String {
    kind_name(v.kind.as_deref(), v.round, lang)
}

/// The name of a sealed document of `kind`.
pub fn kind_name(kind: Option<&str>, round: Option<i64>, lang: Lang) -> String {
    match kind {
        Some(minutes::KIND) => Msg::VerifyDocMinutes.render(lang),
        Some(publicity::KIND) => Msg::VerifyDocPublicity.render(lang),
        _ => Msg::VerifyDocResults { round: round.unwrap_or(0) }.render(lang),
    }
}
