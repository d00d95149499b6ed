//! Exponential ElGamal on ristretto255: the joint public key, ciphertexts and
//! the context (meeting and round) that every proof is bound to.

use std::ops::Add;

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_TABLE;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::Identity;
use serde::{Deserialize, Serialize};

use crate::encoding::{self, hex_point, EncodingError};

/// Where a ballot or a decryption belongs: every Fiat–Shamir challenge binds
/// it, so a proof made for one meeting or round fails in any other.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Context {
    /// The meeting's stable id (any UTF-8 string, e.g. a UUID).
    pub meeting_id: String,
    /// The voting round within the meeting.
    pub round: u32,
}

impl Context {
    /// A context for `round` of meeting `meeting_id`.
    pub fn new(meeting_id: impl Into<String>, round: u32) -> Self {
        Context { meeting_id: meeting_id.into(), round }
    }
}

/// The joint ElGamal public key `Y = x·G` (never the identity), with its
/// compressed bytes kept for transcripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(pub(crate) RistrettoPoint, [u8; 32]);

impl PublicKey {
    /// Reads a public key from its 32-byte compressed form.
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<Self, EncodingError> {
        Self::from_point(encoding::decode_point(bytes)?)
    }

    pub(crate) fn from_point(p: RistrettoPoint) -> Result<Self, EncodingError> {
        if p == RistrettoPoint::identity() {
            return Err(EncodingError::IdentityKey);
        }
        Ok(PublicKey(p, p.compress().to_bytes()))
    }

    /// The 32-byte compressed form.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.1
    }

    /// The lowercase hex of [`to_bytes`](Self::to_bytes), as in JSON.
    pub fn to_hex(&self) -> String {
        hex::encode(self.to_bytes())
    }

    /// Reads the hex form.
    pub fn from_hex(s: &str) -> Result<Self, EncodingError> {
        Self::from_bytes(&encoding::hex32_decode(s)?)
    }
}

impl Serialize for PublicKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for PublicKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        PublicKey::from_hex(&s).map_err(serde::de::Error::custom)
    }
}

/// An exponential ElGamal ciphertext `(a, b) = (r·G, m·G + r·Y)`.
///
/// Ciphertexts add component-wise, which adds their plaintexts. JSON form:
/// `{"a": hex, "b": hex}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ciphertext {
    #[serde(with = "hex_point")]
    pub(crate) a: RistrettoPoint,
    #[serde(with = "hex_point")]
    pub(crate) b: RistrettoPoint,
}

impl Ciphertext {
    /// The encryption of 0 with randomness 0: the neutral element of the sum.
    pub fn zero() -> Self {
        Ciphertext { a: RistrettoPoint::identity(), b: RistrettoPoint::identity() }
    }

    /// `Enc(m; r)` under `pk`, for any scalar `m` (tests build invalid ballots with it).
    pub(crate) fn encrypt(pk: &PublicKey, m: &Scalar, r: &Scalar) -> Self {
        Ciphertext { a: RISTRETTO_BASEPOINT_TABLE * r, b: RISTRETTO_BASEPOINT_TABLE * m + pk.0 * r }
    }

    /// The two compressed points `a || b`.
    pub fn to_bytes(&self) -> [u8; 64] {
        let mut out = [0u8; 64];
        out[..32].copy_from_slice(self.a.compress().as_bytes());
        out[32..].copy_from_slice(self.b.compress().as_bytes());
        out
    }
}

impl Add for Ciphertext {
    type Output = Ciphertext;

    fn add(self, other: Ciphertext) -> Ciphertext {
        Ciphertext { a: self.a + other.a, b: self.b + other.b }
    }
}
