//! Byte encodings shared by every part of the protocol: the Fiat–Shamir
//! transcript, length-prefixed fields, point and scalar decoding, and the hex
//! forms used in JSON. `docs/ballot-protocol.md` is the normative description;
//! the JavaScript implementation (`ui/src/lib/ballot/ballot.js`) mirrors it.

use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use sha2::{Digest, Sha512};

use crate::Context;

/// Protocol name and version, the first field of every transcript and tag.
pub(crate) const PROTOCOL: &[u8] = b"conclave-ballot/v1";

/// Why bytes could not be read as a protocol value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodingError {
    /// Not exactly 64 lowercase hexadecimal digits.
    #[error("expected 64 lowercase hex digits")]
    Hex,
    /// 32 bytes that are not the canonical encoding of a ristretto255 point.
    #[error("not a canonical ristretto255 point encoding")]
    Point,
    /// 32 bytes that are not a scalar below the group order, little-endian.
    #[error("not a canonical scalar (little-endian, below the group order)")]
    Scalar,
    /// The identity point where a public key is expected.
    #[error("the identity point is not a valid public key")]
    IdentityKey,
}

/// Appends `u32 big-endian length || bytes` to `out`: the one field layout
/// used by transcripts, AAD, canonical ballot bytes and the box root.
pub(crate) fn put_field(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&field_len(bytes).to_be_bytes());
    out.extend_from_slice(bytes);
}

fn field_len(bytes: &[u8]) -> u32 {
    // Every field is bounded far below 4 GiB (ids are checked, points are 32 bytes).
    u32::try_from(bytes.len()).expect("protocol field shorter than 4 GiB")
}

/// A Fiat–Shamir transcript: SHA-512 over length-prefixed fields, starting
/// with the protocol tag and the proof's own label.
pub(crate) struct Transcript(Sha512);

impl Transcript {
    /// Starts a transcript for one kind of proof (e.g. `zero-or-one`).
    pub(crate) fn new(label: &str) -> Self {
        let mut t = Transcript(Sha512::new());
        t.field(PROTOCOL);
        t.field(label.as_bytes());
        t
    }

    pub(crate) fn field(&mut self, bytes: &[u8]) {
        self.0.update(field_len(bytes).to_be_bytes());
        self.0.update(bytes);
    }

    pub(crate) fn point(&mut self, p: &RistrettoPoint) {
        self.field(p.compress().as_bytes());
    }

    /// The meeting id (UTF-8) then the round number (u32 big-endian), two fields.
    pub(crate) fn context(&mut self, ctx: &Context) {
        self.field(ctx.meeting_id.as_bytes());
        self.field(&ctx.round.to_be_bytes());
    }

    /// The challenge: the 64-byte digest read little-endian, reduced mod ℓ.
    pub(crate) fn challenge(self) -> Scalar {
        let digest: [u8; 64] = self.0.finalize().into();
        Scalar::from_bytes_mod_order_wide(&digest)
    }
}

/// Decodes a canonical ristretto255 point (the identity is allowed).
pub(crate) fn decode_point(bytes: &[u8; 32]) -> Result<RistrettoPoint, EncodingError> {
    CompressedRistretto(*bytes).decompress().ok_or(EncodingError::Point)
}

/// Decodes a canonical little-endian scalar.
pub(crate) fn decode_scalar(bytes: &[u8; 32]) -> Result<Scalar, EncodingError> {
    Option::from(Scalar::from_canonical_bytes(*bytes)).ok_or(EncodingError::Scalar)
}

pub(crate) fn hex32_decode(s: &str) -> Result<[u8; 32], EncodingError> {
    if s.len() != 64 || !s.bytes().all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c)) {
        return Err(EncodingError::Hex);
    }
    let mut out = [0u8; 32];
    hex::decode_to_slice(s, &mut out).map_err(|_| EncodingError::Hex)?;
    Ok(out)
}

/// Serde for `[u8; 32]` as 64 lowercase hex digits (no validation beyond hex).
pub(crate) mod hex32 {
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        let s = String::deserialize(d)?;
        super::hex32_decode(&s).map_err(D::Error::custom)
    }
}

/// Serde for a ristretto255 point as the hex of its 32-byte compressed form;
/// reading rejects non-canonical encodings.
pub(crate) mod hex_point {
    use curve25519_dalek::ristretto::RistrettoPoint;
    use serde::{de::Error, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(p: &RistrettoPoint, s: S) -> Result<S::Ok, S::Error> {
        super::hex32::serialize(&p.compress().to_bytes(), s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<RistrettoPoint, D::Error> {
        let bytes = super::hex32::deserialize(d)?;
        super::decode_point(&bytes).map_err(D::Error::custom)
    }
}

/// Serde for a scalar as the hex of its 32 little-endian bytes; reading
/// rejects non-canonical scalars.
pub(crate) mod hex_scalar {
    use curve25519_dalek::scalar::Scalar;
    use serde::{de::Error, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(x: &Scalar, s: S) -> Result<S::Ok, S::Error> {
        super::hex32::serialize(x.as_bytes(), s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Scalar, D::Error> {
        let bytes = super::hex32::deserialize(d)?;
        super::decode_scalar(&bytes).map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_is_length_prefixed_big_endian() {
        let mut out = Vec::new();
        put_field(&mut out, b"abc");
        assert_eq!(out, [0, 0, 0, 3, b'a', b'b', b'c']);
    }

    #[test]
    fn hex_must_be_lowercase_and_64_digits() {
        assert!(hex32_decode(&"ab".repeat(32)).is_ok());
        assert_eq!(hex32_decode(&"AB".repeat(32)), Err(EncodingError::Hex));
        assert_eq!(hex32_decode(&"ab".repeat(31)), Err(EncodingError::Hex));
    }

    #[test]
    fn scalar_equal_to_group_order_is_not_canonical() {
        // ℓ = 2^252 + 27742317777372353535851937790883648493, little-endian.
        let l = hex32_decode("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010").unwrap();
        assert_eq!(decode_scalar(&l), Err(EncodingError::Scalar));
    }
}
