//! The paper check: every page of a sealed document carries a QR code with
//! the rows that page shows, signed by the meeting's key, so that a photo or
//! scan of the paper can be checked (`conclave verify --scan`) and a person
//! can compare what the page must say with what it says.
//!
//! The QR code (byte mode, error correction L) holds, for a second
//! implementation:
//!
//! ```text
//! "CQ1" | public key (32 bytes, Ed25519) | signature (64 bytes) | raw DEFLATE of the body
//! ```
//!
//! The body is UTF-8 text: a first line `code \t kind \t round \t page \t
//! pages \t meeting name` (round empty when the document has none), then one
//! line per table row the page draws, its cells joined by tabs (a table's
//! header row as it is printed on that page, then its rows). The signature
//! is Ed25519 over SHA-256(`"conclave-page-v1"` | body).

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};

const MAGIC: &[u8] = b"CQ1";
const CONTEXT: &[u8] = b"conclave-page-v1";
/// Most bytes a body may inflate to when read back.
const MAX_BODY: u64 = 64 * 1024;

/// What a page says, as its QR code carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub code: String,
    pub kind: String,
    pub round: Option<i64>,
    pub page: usize,
    pub pages: usize,
    pub meeting: String,
    pub rows: Vec<Vec<String>>,
}

fn clean(cell: &str) -> String {
    cell.replace(['\t', '\n', '\r'], " ")
}

impl Page {
    /// The body text the signature covers.
    pub fn body(&self) -> String {
        // No round (minutes, 公示 list): an empty field.
        let round = match self.round {
            Some(r) => r.to_string(),
            None => String::new(),
        };
        let mut out = format!(
            "{}\t{}\t{round}\t{}\t{}\t{}",
            clean(&self.code),
            clean(&self.kind),
            self.page,
            self.pages,
            clean(&self.meeting)
        );
        for row in &self.rows {
            out.push('\n');
            out.push_str(&row.iter().map(|c| clean(c)).collect::<Vec<_>>().join("\t"));
        }
        out
    }

    fn from_body(body: &str) -> Option<Page> {
        let mut lines = body.split('\n');
        let head: Vec<&str> = lines.next()?.split('\t').collect();
        let [code, kind, round, page, pages, meeting] = head[..] else { return None };
        Some(Page {
            code: code.into(),
            kind: kind.into(),
            round: if round.is_empty() { None } else { Some(round.parse().ok()?) },
            page: page.parse().ok()?,
            pages: pages.parse().ok()?,
            meeting: meeting.into(),
            rows: lines.map(|l| l.split('\t').map(String::from).collect()).collect(),
        })
    }
}

fn digest(body: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(CONTEXT);
    h.update(body.as_bytes());
    h.finalize().into()
}

/// The meeting key's signature of a page body.
pub fn sign(body: &str, secret: &[u8; 32]) -> [u8; 64] {
    SigningKey::from_bytes(secret).sign(&digest(body)).to_bytes()
}

/// The QR code's bytes for `page`, signed by `signature` (all zeros while
/// the page is being laid out the first time).
pub fn payload(page: &Page, public_key: &[u8; 32], signature: &[u8; 64]) -> Option<Vec<u8>> {
    let mut deflate = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    deflate.write_all(page.body().as_bytes()).ok()?;
    let compressed = deflate.finish().ok()?;
    Some([MAGIC, public_key, signature, &compressed].concat())
}

/// A QR code's bytes read back.
#[derive(Debug, Clone)]
pub struct Scanned {
    pub page: Page,
    /// Hex Ed25519 public key the page names.
    pub public_key: String,
    /// Whether the signature is that key's over the page.
    pub valid: bool,
}

/// Reads a page payload; `None` when it is not one.
pub fn read(payload: &[u8]) -> Option<Scanned> {
    let rest = payload.strip_prefix(MAGIC)?;
    if rest.len() < 96 {
        return None;
    }
    let (key, rest) = rest.split_at(32);
    let (sig, compressed) = rest.split_at(64);
    let mut body = String::new();
    flate2::read::DeflateDecoder::new(compressed).take(MAX_BODY).read_to_string(&mut body).ok()?;
    let page = Page::from_body(&body)?;
    let key: [u8; 32] = key.try_into().ok()?;
    let sig: [u8; 64] = sig.try_into().ok()?;
    let valid = VerifyingKey::from_bytes(&key)
        .is_ok_and(|k| k.verify(&digest(&body), &Signature::from_bytes(&sig)).is_ok());
    Some(Scanned { page, public_key: hex::encode(key), valid })
}

/// The QR code of `data` in byte mode (never Kanji or other modes a reader
/// would turn into other bytes): its width and dark modules, row by row.
pub fn qr(data: &[u8]) -> Option<(usize, Vec<bool>)> {
    use qrcode::bits::Bits;
    use qrcode::{EcLevel, QrCode, Version};
    (1..=40).find_map(|v| {
        let mut bits = Bits::new(Version::Normal(v));
        bits.push_byte_data(data).ok()?;
        // Level L: a page is printed and scanned, not torn; the smaller
        // version gives bigger modules in the same square.
        bits.push_terminator(EcLevel::L).ok()?;
        let code = QrCode::with_bits(bits, EcLevel::L).ok()?;
        let width = code.width();
        Some((width, code.to_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_reads_back_and_its_signature_holds_only_for_its_rows() {
        let secret = [5u8; 32];
        let key = SigningKey::from_bytes(&secret).verifying_key().to_bytes();
        let page = Page {
            code: "B756-AB0E-4129-2347".into(),
            kind: "results".into(),
            round: Some(2),
            page: 1,
            pages: 3,
            meeting: "2025年度评审会议（韦秀𠮷）".into(),
            rows: vec![vec!["序号".into(), "姓名".into()], vec!["1".into(), "曹丽\t".into()]],
        };
        let sig = sign(&page.body(), &secret);
        let bytes = payload(&page, &key, &sig).expect("a payload");
        let back = read(&bytes).expect("reads back");
        assert!(back.valid);
        assert_eq!(back.page.rows[1], vec!["1".to_string(), "曹丽 ".to_string()]);
        assert_eq!(Page { rows: back.page.rows.clone(), ..page.clone() }.body(), back.page.body());

        let other = Page { rows: vec![vec!["1".into(), "曹丽丽".into()]], ..page.clone() };
        let forged = payload(&other, &key, &sig).expect("a payload");
        assert!(!read(&forged).expect("reads").valid, "another row under the same signature");
        assert!(read(b"CQ1 short").is_none());
        assert!(qr(&bytes).is_some());
    }
}
