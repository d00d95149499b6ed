//! The trustees' escrow: a 32-byte key that any two trustees rebuild from
//! their shares and that nobody holds alone, for a secret that must stay
//! usable when one trustee has left (the meeting's document-signing key,
//! whose everyday wrapping is under the chair's passphrase).
//!
//! With the election secret `x` shared as `s_i = x + a·i`, and `P` a point
//! hashed from the meeting id (so nobody knows its discrete logarithm), the
//! escrow point is `x·P`. The setup computes it while `x` still exists; later
//! two trustees give `s_i·P` and `s_j·P`, whose Lagrange combination at 0 is
//! `x·P`: `x` itself is never rebuilt, and a copy of the file (which holds
//! only `Y = x·G` and the wrapped shares) does not give `x·P`.
//!
//! - `P` = `RistrettoPoint::from_uniform_bytes(SHA-512(fields "conclave-ballot/v1", "escrow-base", meeting id))`
//! - key = SHA-256(fields "conclave-ballot/v1", "escrow-key", meeting id, `x·P`)
//! - [`EscrowedSecret`]: XChaCha20-Poly1305 under that key, AAD = fields
//!   "conclave-ballot/v1", "escrow-wrap", purpose, meeting id, public value.
//!
//! "fields" means each length-prefixed as in `docs/ballot-protocol.md`.

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::VartimeMultiscalarMul;
use rand_core::{CryptoRng, RngCore};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256, Sha512};
use zeroize::Zeroizing;

use crate::encoding::{put_field, PROTOCOL};
use crate::trustee::{aead_open, aead_seal, hex_array, KeyError, ShareSecret};

/// The meeting's escrow base point `P`.
fn base(meeting_id: &str) -> RistrettoPoint {
    let mut fields = Vec::with_capacity(64);
    put_field(&mut fields, PROTOCOL);
    put_field(&mut fields, b"escrow-base");
    put_field(&mut fields, meeting_id.as_bytes());
    let wide: [u8; 64] = Sha512::digest(&fields).into();
    RistrettoPoint::from_uniform_bytes(&wide)
}

/// The escrow key, zeroized on drop; never stored.
#[derive(Clone)]
pub struct EscrowKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for EscrowKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EscrowKey(<redacted>)")
    }
}

impl EscrowKey {
    fn from_point(meeting_id: &str, point: &RistrettoPoint) -> EscrowKey {
        let mut fields = Vec::with_capacity(96);
        put_field(&mut fields, PROTOCOL);
        put_field(&mut fields, b"escrow-key");
        put_field(&mut fields, meeting_id.as_bytes());
        put_field(&mut fields, point.compress().as_bytes());
        let mut key = Zeroizing::new([0u8; 32]);
        key.copy_from_slice(&Sha256::digest(&fields));
        EscrowKey(key)
    }

    /// From the election secret itself, at the setup.
    pub(crate) fn from_secret(meeting_id: &str, x: &Scalar) -> EscrowKey {
        let point = Zeroizing::new(base(meeting_id) * x);
        EscrowKey::from_point(meeting_id, &point)
    }

    /// From two trustees' opened shares: `λ_i·s_i·P + λ_j·s_j·P = x·P`.
    /// Refused when both are the same trustee.
    pub fn combine(meeting_id: &str, a: &ShareSecret, b: &ShareSecret) -> Result<EscrowKey, KeyError> {
        if a.index == b.index {
            return Err(KeyError::SameTrustee(a.index));
        }
        let (i, j) = (Scalar::from(a.index), Scalar::from(b.index));
        let lambda_i = j * (j - i).invert();
        let lambda_j = i * (i - j).invert();
        let p = base(meeting_id);
        let point = Zeroizing::new(RistrettoPoint::vartime_multiscalar_mul(
            [lambda_i * a.secret, lambda_j * b.secret],
            [p, p],
        ));
        Ok(EscrowKey::from_point(meeting_id, &point))
    }
}

/// A 32-byte secret encrypted under the trustees' escrow key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscrowedSecret {
    /// What the secret is for, e.g. `meeting-signing-key`.
    pub purpose: String,
    /// The meeting it belongs to.
    pub meeting_id: String,
    /// The secret's public value, which the holder checks the opened secret against.
    #[serde(with = "hex_array")]
    pub public: [u8; 32],
    /// XChaCha20-Poly1305 nonce, 24 random bytes.
    #[serde(with = "hex_array")]
    pub nonce: [u8; 24],
    /// The encrypted 32 bytes followed by the 16-byte tag.
    #[serde(with = "hex_array")]
    pub ciphertext: [u8; 48],
}

impl EscrowedSecret {
    /// Encrypts `secret` under `key`.
    pub fn wrap<R: RngCore + CryptoRng>(
        key: &EscrowKey,
        purpose: &str,
        meeting_id: &str,
        public: [u8; 32],
        secret: &[u8; 32],
        rng: &mut R,
    ) -> EscrowedSecret {
        let mut w = EscrowedSecret {
            purpose: purpose.to_owned(),
            meeting_id: meeting_id.to_owned(),
            public,
            nonce: [0; 24],
            ciphertext: [0; 48],
        };
        rng.fill_bytes(&mut w.nonce);
        w.ciphertext = aead_seal(&key.0, &w.nonce, &w.aad(), secret);
        w
    }

    /// The secret; another key or any edit gives [`KeyError::WrongPassphrase`].
    pub fn open(&self, key: &EscrowKey) -> Result<Zeroizing<[u8; 32]>, KeyError> {
        aead_open(&key.0, &self.nonce, &self.aad(), &self.ciphertext)
    }

    fn aad(&self) -> Vec<u8> {
        let mut aad = Vec::with_capacity(160);
        put_field(&mut aad, PROTOCOL);
        put_field(&mut aad, b"escrow-wrap");
        put_field(&mut aad, self.purpose.as_bytes());
        put_field(&mut aad, self.meeting_id.as_bytes());
        put_field(&mut aad, &self.public);
        aad
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{KdfParams, TrusteeSetup};
    use rand_core::OsRng;

    const PASS: [&str; 3] = ["chair pass one", "second scrutineer", "third scrutineer"];

    #[test]
    fn any_two_trustees_rebuild_the_setup_key_and_one_cannot() -> Result<(), KeyError> {
        let setup = TrusteeSetup::generate("m-1", PASS, KdfParams::INSECURE_FOR_TESTS, &mut OsRng)?;
        let secret = [7u8; 32];
        let sealed = EscrowedSecret::wrap(&setup.escrow, "test", "m-1", [1; 32], &secret, &mut OsRng);
        let shares: Vec<ShareSecret> =
            setup.wrapped.iter().zip(PASS).map(|(w, p)| w.open(p)).collect::<Result<_, _>>()?;
        for (a, b) in [(0, 1), (0, 2), (1, 2), (2, 0)] {
            let key = EscrowKey::combine("m-1", &shares[a], &shares[b])?;
            assert_eq!(*sealed.open(&key)?, secret, "trustees {a} and {b}");
        }
        assert_eq!(EscrowKey::combine("m-1", &shares[0], &shares[0]).err(), Some(KeyError::SameTrustee(1)));
        // Another meeting's base gives another key.
        let other = EscrowKey::combine("m-2", &shares[0], &shares[1])?;
        assert_eq!(sealed.open(&other).err(), Some(KeyError::WrongPassphrase));
        Ok(())
    }

    #[test]
    fn an_edited_escrow_does_not_open() -> Result<(), KeyError> {
        let setup = TrusteeSetup::generate("m-1", PASS, KdfParams::INSECURE_FOR_TESTS, &mut OsRng)?;
        let sealed = EscrowedSecret::wrap(&setup.escrow, "test", "m-1", [1; 32], &[9; 32], &mut OsRng);
        let mut planted = sealed.clone();
        planted.public = [2; 32];
        assert_eq!(planted.open(&setup.escrow).err(), Some(KeyError::WrongPassphrase));
        let mut flipped = sealed;
        flipped.ciphertext[0] ^= 1;
        assert_eq!(flipped.open(&setup.escrow).err(), Some(KeyError::WrongPassphrase));
        Ok(())
    }
}
