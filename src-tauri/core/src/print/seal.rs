//! The digital seal: the SHA-256 of a document's canonical data, signed with
//! the meeting's Ed25519 key, printed as a verification code and a QR code and
//! embedded (hex) in the PDF's keywords.

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Marks the keywords entry that holds a seal.
pub const MARKER: &str = "conclave-seal-v1";

/// What a sealed PDF carries.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seal {
    /// The canonical data (JSON text) the document shows.
    pub data: String,
    /// Hex Ed25519 signature of SHA-256(data).
    pub signature: String,
    /// Hex public key of the meeting.
    pub public_key: String,
    /// The layout version the document was drawn with ([`LAYOUT`] today):
    /// a re-render is compared with the page only for the current one.
    #[serde(default)]
    pub layout: u32,
    /// [`crate::fonts::faces_digest`] of the build that drew it.
    #[serde(default)]
    pub faces: String,
    /// Hex SEC1 (compressed) P-256 key that signs the PDF's bytes (see
    /// [`super::signature`]), derived from the meeting's key.
    #[serde(default)]
    pub pdf_key: String,
    /// Hex Ed25519 signature, by `public_key`, of [`PDF_KEY_CONTEXT`] followed
    /// by the `pdf_key` bytes: the meeting vouches for its document key.
    #[serde(default)]
    pub pdf_key_signature: String,
    /// Hex Ed25519 signatures of each page's QR body (see
    /// [`super::page_seal`]), in page order.
    #[serde(default)]
    pub pages: Vec<String>,
}

/// The version of the drawing code. Bump it whenever a page would come out
/// different for the same data; documents of older versions verify by their
/// byte signature alone.
pub const LAYOUT: u32 = 7;

/// What the meeting key signs to vouch for its PDF key.
pub const PDF_KEY_CONTEXT: &[u8] = b"conclave-pdf-key-v1";

/// What a sealed document is, for the verdict.
#[derive(Debug, Clone)]
pub struct SealedDoc {
    pub kind: String,
    pub meeting: String,
    pub round: Option<i64>,
}

/// What a seal's data says the document is, without drawing it.
pub fn describe(sealed: &Seal) -> Option<SealedDoc> {
    let value: serde_json::Value = serde_json::from_str(&sealed.data).ok()?;
    let kind = value.get("kind")?.as_str()?;
    if ![super::results::KIND, super::minutes::KIND, super::publicity::KIND].contains(&kind) {
        return None;
    }
    Some(SealedDoc {
        kind: kind.to_string(),
        meeting: value.get("meeting")?.get("name")?.as_str()?.to_string(),
        round: if kind == super::results::KIND { Some(value.get("round")?.as_i64()?) } else { None },
    })
}

/// A fresh key pair (secret, public), 32 bytes each.
pub fn new_key() -> Option<([u8; 32], [u8; 32])> {
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).ok()?;
    let public = SigningKey::from_bytes(&secret).verifying_key().to_bytes();
    Some((secret, public))
}

pub fn digest(data: &str) -> [u8; 32] {
    Sha256::digest(data.as_bytes()).into()
}

pub fn sign(data: &str, secret: &[u8; 32]) -> Seal {
    let key = SigningKey::from_bytes(secret);
    let signature = key.sign(&digest(data));
    let pdf_key = pdf_signing_key(secret).verifying_key().to_encoded_point(true).as_bytes().to_vec();
    let vouch = key.sign(&[PDF_KEY_CONTEXT, &pdf_key].concat());
    Seal {
        data: data.to_string(),
        signature: hex::encode(signature.to_bytes()),
        public_key: hex::encode(key.verifying_key().to_bytes()),
        layout: LAYOUT,
        faces: crate::fonts::faces_digest().to_string(),
        pdf_key: hex::encode(pdf_key),
        pdf_key_signature: hex::encode(vouch.to_bytes()),
        pages: Vec::new(),
    }
}

/// The P-256 key that signs a meeting's PDF bytes, derived from the
/// meeting's secret: the first SHA-256 of `"conclave-pdf-p256-v1"`, the
/// secret and a counter byte (0, 1, …) that is a valid scalar.
pub fn pdf_signing_key(secret: &[u8; 32]) -> p256::ecdsa::SigningKey {
    (0u8..=255)
        .find_map(|counter| {
            let mut h = Sha256::new();
            h.update(b"conclave-pdf-p256-v1");
            h.update(secret);
            h.update([counter]);
            p256::ecdsa::SigningKey::from_slice(&h.finalize()).ok()
        })
        .expect("one of 256 hashes is below the group order")
}

/// True when the seal's meeting key vouches for `pdf_key` (SEC1 bytes).
pub fn vouches_for(seal: &Seal, pdf_key: &[u8]) -> bool {
    let Some(key) = verifying_key(&seal.public_key) else { return false };
    let Some(sig) = hex::decode(&seal.pdf_key_signature).ok().and_then(|s| <[u8; 64]>::try_from(s).ok())
    else {
        return false;
    };
    hex::decode(&seal.pdf_key).is_ok_and(|k| k == pdf_key)
        && key.verify(&[PDF_KEY_CONTEXT, pdf_key].concat(), &Signature::from_bytes(&sig)).is_ok()
}

fn verifying_key(public_key_hex: &str) -> Option<VerifyingKey> {
    let key = <[u8; 32]>::try_from(hex::decode(public_key_hex).ok()?).ok()?;
    VerifyingKey::from_bytes(&key).ok()
}

/// True when the signature is the public key's over the data.
pub fn valid(seal: &Seal) -> bool {
    let Some(key) = verifying_key(&seal.public_key) else { return false };
    let Some(sig) = hex::decode(&seal.signature).ok().and_then(|s| <[u8; 64]>::try_from(s).ok()) else {
        return false;
    };
    key.verify(&digest(&seal.data), &Signature::from_bytes(&sig)).is_ok()
}

/// The short code printed under the QR: the first 16 hex digits of the data's
/// hash, in four groups.
pub fn code(data: &str) -> String {
    let h = hex::encode(digest(data)).to_uppercase();
    format!("{}-{}-{}-{}", &h[0..4], &h[4..8], &h[8..12], &h[12..16])
}

/// The key's fingerprint as people compare it: 8 groups of 4 hex digits.
pub fn fingerprint(public_key_hex: &str) -> String {
    let h = hex::encode(Sha256::digest(public_key_hex.as_bytes())).to_uppercase();
    h.as_bytes()
        .chunks(4)
        .take(8)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The keywords shown in a viewer's document properties: the marker and the
/// verification code. The seal itself is in the stream [`embed`] adds.
pub fn keywords(seal: &Seal) -> Vec<String> {
    vec![MARKER.to_string(), code(&seal.data)]
}

/// The Info dictionary key that holds the seal: a compressed stream of its JSON.
pub const INFO_KEY: &[u8] = b"ConclaveSeal";
/// Most bytes a seal stream may inflate to when read.
const MAX_SEAL: usize = 64 * 1024 * 1024;

fn info_dict(doc: &mut lopdf::Document) -> Option<&mut lopdf::Dictionary> {
    let id = doc.trailer.get(b"Info").ok()?.as_reference().ok()?;
    doc.get_object_mut(id).ok()?.as_dict_mut().ok()
}

/// Puts `seal` into the PDF's metadata: a Flate stream referenced from the
/// Info dictionary (hex in a string would take eight bytes per byte).
pub fn embed(doc: &mut lopdf::Document, seal: &Seal) -> Option<()> {
    let json = serde_json::to_vec(seal).ok()?;
    let mut stream = lopdf::Stream::new(lopdf::Dictionary::new(), json);
    stream.compress().ok()?;
    let id = doc.add_object(stream);
    info_dict(doc)?.set(INFO_KEY, lopdf::Object::Reference(id));
    Some(())
}

/// The seal embedded in a PDF, if any.
pub fn read(doc: &lopdf::Document) -> Option<Seal> {
    let info = doc.trailer.get(b"Info").ok()?.as_reference().ok()?;
    let info = doc.get_object(info).ok()?.as_dict().ok()?;
    let id = info.get(INFO_KEY).ok()?.as_reference().ok()?;
    let stream = doc.get_object(id).ok()?.as_stream().ok()?;
    let json = stream.decompressed_content_with_limit(MAX_SEAL).ok()?;
    serde_json::from_slice(&json).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seal_verifies_and_any_change_breaks_it() {
        let (secret, _) = new_key().expect("OS randomness");
        let seal = sign("{\"for\":17}", &secret);
        assert!(valid(&seal));
        assert!(!valid(&Seal { data: "{\"for\":18}".into(), ..seal.clone() }), "one digit changed");
        let (other, _) = new_key().expect("OS randomness");
        assert!(!valid(&Seal { public_key: sign("x", &other).public_key, ..seal.clone() }), "another key");
        assert!(vouches_for(&seal, &hex::decode(&seal.pdf_key).expect("hex")));
        assert!(!vouches_for(&seal, &[2u8; 33]), "another PDF key");
    }
}
