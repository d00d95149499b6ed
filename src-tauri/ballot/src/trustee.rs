//! The trustees' key: a random secret split 2-of-3 with Shamir, each share
//! wrapped under its trustee's passphrase (argon2id → XChaCha20-Poly1305).
//! The secret itself is zeroized as soon as the shares exist; only the joint
//! key `Y` and the share public values `Y_i` are published.

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use curve25519_dalek::constants::RISTRETTO_BASEPOINT_TABLE;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use rand_core::{CryptoRng, RngCore};
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::elgamal::PublicKey;
use crate::encoding::{self, put_field, EncodingError, PROTOCOL};
use crate::escrow::EscrowKey;

/// Trustee indices are 1, 2, 3 (the Shamir evaluation points).
pub const TRUSTEES: [u8; 3] = [1, 2, 3];

/// Argon2id cost parameters (version 0x13, 32-byte output), stored with each
/// wrapped share so that unwrapping uses the parameters it was wrapped with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KdfParams {
    /// Memory in KiB.
    pub m_kib: u32,
    /// Passes over memory.
    pub t: u32,
    /// Lanes.
    pub p: u32,
}

impl KdfParams {
    /// What the app uses: 64 MiB, 3 passes, 1 lane (about half a second on a laptop).
    pub const RECOMMENDED: KdfParams = KdfParams { m_kib: 64 * 1024, t: 3, p: 1 };
    /// Cheap parameters for tests only: they give a passphrase almost no protection.
    pub const INSECURE_FOR_TESTS: KdfParams = KdfParams { m_kib: 64, t: 1, p: 1 };
    /// Upper bounds accepted when unwrapping, so an edited file cannot ask for 4 TiB.
    const MAX: KdfParams = KdfParams { m_kib: 1024 * 1024, t: 16, p: 8 };

    fn derive(&self, passphrase: &str, salt: &[u8; 16]) -> Result<Zeroizing<[u8; 32]>, KeyError> {
        if self.m_kib > Self::MAX.m_kib || self.t > Self::MAX.t || self.p > Self::MAX.p {
            return Err(KeyError::KdfParams(*self));
        }
        let params =
            Params::new(self.m_kib, self.t, self.p, Some(32)).map_err(|_| KeyError::KdfParams(*self))?;
        let mut key = Zeroizing::new([0u8; 32]);
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password_into(passphrase.as_bytes(), salt, &mut *key)
            .map_err(|_| KeyError::KdfParams(*self))?;
        Ok(key)
    }
}

/// Why trustee keys could not be made, read or unwrapped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[allow(missing_docs)] // the messages say it
pub enum KeyError {
    #[error("argon2id parameters out of range: {0:?}")]
    KdfParams(KdfParams),
    #[error("a trustee passphrase is empty")]
    EmptyPassphrase,
    #[error("trustee index {0} is not 1, 2 or 3")]
    InvalidIndex(u8),
    #[error("wrong passphrase (or the wrapped share was altered)")]
    WrongPassphrase,
    #[error("trustee {0} was given twice")]
    SameTrustee(u8),
    #[error("the unwrapped share of trustee {0} does not match its public value")]
    ShareMismatch(u8),
    #[error("the trustees' public values do not belong to one 2-of-3 sharing of the joint key")]
    InconsistentKeys,
    #[error(transparent)]
    Encoding(#[from] EncodingError),
}

/// The public side of a trustee setup: the joint key `Y = x·G` and each
/// share's public value `Y_i = s_i·G`. Reading checks that the values are
/// consistent (`Y = 2·Y_1 − Y_2`, `Y_3 = 2·Y_2 − Y_1`), so any two trustees
/// decrypt under `Y`. JSON: `{"joint": hex, "shares": [hex, hex, hex]}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "TrusteeKeysWire", into = "TrusteeKeysWire")]
pub struct TrusteeKeys {
    joint: PublicKey,
    shares: [PublicKey; 3],
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TrusteeKeysWire {
    joint: PublicKey,
    shares: [PublicKey; 3],
}

impl TryFrom<TrusteeKeysWire> for TrusteeKeys {
    type Error = KeyError;
    fn try_from(w: TrusteeKeysWire) -> Result<Self, KeyError> {
        TrusteeKeys::new(w.joint, w.shares)
    }
}

impl From<TrusteeKeys> for TrusteeKeysWire {
    fn from(k: TrusteeKeys) -> Self {
        TrusteeKeysWire { joint: k.joint, shares: k.shares }
    }
}

impl TrusteeKeys {
    /// Checks that `shares` are the public values of a 2-of-3 sharing of `joint`.
    pub fn new(joint: PublicKey, shares: [PublicKey; 3]) -> Result<Self, KeyError> {
        let [y1, y2, y3] = shares.map(|s| s.0);
        let two = Scalar::from(2u8);
        if joint.0 != two * y1 - y2 || y3 != two * y2 - y1 {
            return Err(KeyError::InconsistentKeys);
        }
        Ok(TrusteeKeys { joint, shares })
    }

    /// The joint public key that ballots are encrypted under.
    pub fn joint(&self) -> &PublicKey {
        &self.joint
    }

    /// Trustee `index`'s public value `Y_i`, for index 1, 2 or 3.
    pub fn share(&self, index: u8) -> Option<&PublicKey> {
        TRUSTEES.contains(&index).then(|| &self.shares[usize::from(index) - 1])
    }
}

/// A fresh trustee setup: the public keys and the three wrapped shares.
#[derive(Debug, Clone)]
pub struct TrusteeSetup {
    /// What everyone may see.
    pub keys: TrusteeKeys,
    /// Share `i` (index `i + 1`), wrapped under the `i`-th passphrase.
    pub wrapped: [WrappedShare; 3],
    /// The key any two trustees rebuild later ([`crate::EscrowKey`]).
    pub escrow: EscrowKey,
}

impl TrusteeSetup {
    /// Makes a random secret, splits it as `s_i = x + a·i` for `i = 1, 2, 3`
    /// and wraps share `i` under `passphrases[i - 1]`. `meeting_id` is bound
    /// into each wrapping. The secret and the coefficient are zeroized here.
    pub fn generate<R: RngCore + CryptoRng>(
        meeting_id: &str,
        passphrases: [&str; 3],
        params: KdfParams,
        rng: &mut R,
    ) -> Result<TrusteeSetup, KeyError> {
        if passphrases.iter().any(|p| p.is_empty()) {
            return Err(KeyError::EmptyPassphrase);
        }
        let x = Zeroizing::new(Scalar::random(rng));
        let a = Zeroizing::new(Scalar::random(rng));
        let shares: [Zeroizing<Scalar>; 3] =
            TRUSTEES.map(|i| Zeroizing::new(*x + *a * Scalar::from(u64::from(i))));
        let public = |s: &Scalar| PublicKey::from_point(RISTRETTO_BASEPOINT_TABLE * s);
        let joint = public(&x)?;
        let keys = TrusteeKeys::new(joint, [public(&shares[0])?, public(&shares[1])?, public(&shares[2])?])?;
        let mut wrapped = Vec::with_capacity(3);
        for (k, share) in shares.iter().enumerate() {
            wrapped.push(WrappedShare::wrap(
                meeting_id,
                TRUSTEES[k],
                &keys,
                share,
                passphrases[k],
                params,
                rng,
            )?);
        }
        let wrapped = wrapped.try_into().expect("three shares");
        let escrow = EscrowKey::from_secret(meeting_id, &x);
        Ok(TrusteeSetup { keys, wrapped, escrow })
    }
}

/// One trustee's share, encrypted under a key derived from their passphrase.
/// Every field except the ciphertext is authenticated as AAD (the salt and the
/// parameters through the key as well).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WrappedShare {
    /// The meeting this share belongs to.
    pub meeting_id: String,
    /// 1, 2 or 3.
    pub index: u8,
    /// The joint public key `Y`.
    pub joint: PublicKey,
    /// This share's public value `Y_i`.
    pub public_share: PublicKey,
    /// Argon2id parameters.
    pub kdf: KdfParams,
    /// Argon2id salt, 16 random bytes.
    #[serde(with = "hex_array")]
    pub salt: [u8; 16],
    /// XChaCha20-Poly1305 nonce, 24 random bytes.
    #[serde(with = "hex_array")]
    pub nonce: [u8; 24],
    /// The encrypted 32-byte share scalar followed by the 16-byte tag.
    #[serde(with = "hex_array")]
    pub ciphertext: [u8; 48],
}

impl WrappedShare {
    fn wrap<R: RngCore + CryptoRng>(
        meeting_id: &str,
        index: u8,
        keys: &TrusteeKeys,
        share: &Scalar,
        passphrase: &str,
        kdf: KdfParams,
        rng: &mut R,
    ) -> Result<WrappedShare, KeyError> {
        let mut w = WrappedShare {
            meeting_id: meeting_id.to_owned(),
            index,
            joint: keys.joint,
            public_share: *keys.share(index).ok_or(KeyError::InvalidIndex(index))?,
            kdf,
            salt: [0; 16],
            nonce: [0; 24],
            ciphertext: [0; 48],
        };
        rng.fill_bytes(&mut w.salt);
        rng.fill_bytes(&mut w.nonce);
        w.ciphertext = seal(kdf, passphrase, &w.salt, &w.nonce, &w.aad(), share.as_bytes())?;
        Ok(w)
    }

    /// Decrypts the share with `passphrase`. A wrong passphrase, or any edit
    /// of the file, gives [`KeyError::WrongPassphrase`].
    pub fn open(&self, passphrase: &str) -> Result<ShareSecret, KeyError> {
        if !TRUSTEES.contains(&self.index) {
            return Err(KeyError::InvalidIndex(self.index));
        }
        let bytes = open(self.kdf, passphrase, &self.salt, &self.nonce, &self.aad(), &self.ciphertext)?;
        let secret = encoding::decode_scalar(&bytes).map_err(|_| KeyError::ShareMismatch(self.index))?;
        let share = ShareSecret { secret, index: self.index, public: self.public_share.0 };
        if RISTRETTO_BASEPOINT_TABLE * &share.secret != share.public {
            return Err(KeyError::ShareMismatch(self.index));
        }
        Ok(share)
    }

    /// Fields `"conclave-ballot/v1"`, `"share-wrap"`, meeting id, index (1
    /// byte), Y, Y_i, m_kib, t, p (u32 big-endian each), salt.
    fn aad(&self) -> Vec<u8> {
        let mut aad = Vec::with_capacity(256);
        put_field(&mut aad, PROTOCOL);
        put_field(&mut aad, b"share-wrap");
        put_field(&mut aad, self.meeting_id.as_bytes());
        put_field(&mut aad, &[self.index]);
        put_field(&mut aad, &self.joint.to_bytes());
        put_field(&mut aad, &self.public_share.to_bytes());
        for n in [self.kdf.m_kib, self.kdf.t, self.kdf.p] {
            put_field(&mut aad, &n.to_be_bytes());
        }
        put_field(&mut aad, &self.salt);
        aad
    }
}

/// Encrypts 32 secret bytes under a key derived from `passphrase`.
fn seal(
    kdf: KdfParams,
    passphrase: &str,
    salt: &[u8; 16],
    nonce: &[u8; 24],
    aad: &[u8],
    secret: &[u8; 32],
) -> Result<[u8; 48], KeyError> {
    let key = kdf.derive(passphrase, salt)?;
    Ok(aead_seal(&key, nonce, aad, secret))
}

/// XChaCha20-Poly1305 over 32 secret bytes under a 32-byte key.
pub(crate) fn aead_seal(key: &[u8; 32], nonce: &[u8; 24], aad: &[u8], secret: &[u8; 32]) -> [u8; 48] {
    let cipher = XChaCha20Poly1305::new(Key::from_slice(key));
    let sealed = cipher
        .encrypt(XNonce::from_slice(nonce), Payload { msg: secret, aad })
        .expect("XChaCha20-Poly1305 encrypts 32 bytes");
    let mut out = [0u8; 48];
    out.copy_from_slice(&sealed);
    out
}

/// Opens what [`aead_seal`] made; any other key or any edit gives
/// [`KeyError::WrongPassphrase`].
pub(crate) fn aead_open(
    key: &[u8; 32],
    nonce: &[u8; 24],
    aad: &[u8],
    ciphertext: &[u8; 48],
) -> Result<Zeroizing<[u8; 32]>, KeyError> {
    let cipher = XChaCha20Poly1305::new(Key::from_slice(key));
    let plain = Zeroizing::new(
        cipher
            .decrypt(XNonce::from_slice(nonce), Payload { msg: ciphertext, aad })
            .map_err(|_| KeyError::WrongPassphrase)?,
    );
    let mut bytes = Zeroizing::new([0u8; 32]);
    bytes.copy_from_slice(&plain);
    Ok(bytes)
}

/// Decrypts what [`seal`] made; any other passphrase or any edit gives
/// [`KeyError::WrongPassphrase`].
fn open(
    kdf: KdfParams,
    passphrase: &str,
    salt: &[u8; 16],
    nonce: &[u8; 24],
    aad: &[u8],
    ciphertext: &[u8; 48],
) -> Result<Zeroizing<[u8; 32]>, KeyError> {
    let key = kdf.derive(passphrase, salt)?;
    aead_open(&key, nonce, aad, ciphertext)
}

/// Any other 32-byte secret (the meeting's document-signing key) wrapped
/// under one passphrase the same way as a share, with its own AAD: fields
/// `"conclave-ballot/v1"`, `"secret-wrap"`, purpose, meeting id, public
/// value, m_kib, t, p (u32 big-endian each), salt. The public value is what
/// the holder checks the opened secret against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WrappedSecret {
    /// What the secret is for, e.g. `meeting-signing-key`.
    pub purpose: String,
    /// The meeting it belongs to.
    pub meeting_id: String,
    /// The secret's public value (for the signing key, its Ed25519 public key).
    #[serde(with = "hex_array")]
    pub public: [u8; 32],
    /// Argon2id parameters.
    pub kdf: KdfParams,
    /// Argon2id salt, 16 random bytes.
    #[serde(with = "hex_array")]
    pub salt: [u8; 16],
    /// XChaCha20-Poly1305 nonce, 24 random bytes.
    #[serde(with = "hex_array")]
    pub nonce: [u8; 24],
    /// The encrypted 32 bytes followed by the 16-byte tag.
    #[serde(with = "hex_array")]
    pub ciphertext: [u8; 48],
}

impl WrappedSecret {
    /// Wraps `secret` under `passphrase` (refused when it is empty).
    pub fn wrap<R: RngCore + CryptoRng>(
        purpose: &str,
        meeting_id: &str,
        public: [u8; 32],
        secret: &[u8; 32],
        passphrase: &str,
        kdf: KdfParams,
        rng: &mut R,
    ) -> Result<WrappedSecret, KeyError> {
        if passphrase.is_empty() {
            return Err(KeyError::EmptyPassphrase);
        }
        let mut w = WrappedSecret {
            purpose: purpose.to_owned(),
            meeting_id: meeting_id.to_owned(),
            public,
            kdf,
            salt: [0; 16],
            nonce: [0; 24],
            ciphertext: [0; 48],
        };
        rng.fill_bytes(&mut w.salt);
        rng.fill_bytes(&mut w.nonce);
        w.ciphertext = seal(kdf, passphrase, &w.salt, &w.nonce, &w.aad(), secret)?;
        Ok(w)
    }

    /// The secret, with `passphrase`; the caller checks it against
    /// [`WrappedSecret::public`].
    pub fn open(&self, passphrase: &str) -> Result<Zeroizing<[u8; 32]>, KeyError> {
        open(self.kdf, passphrase, &self.salt, &self.nonce, &self.aad(), &self.ciphertext)
    }

    fn aad(&self) -> Vec<u8> {
        let mut aad = Vec::with_capacity(256);
        put_field(&mut aad, PROTOCOL);
        put_field(&mut aad, b"secret-wrap");
        put_field(&mut aad, self.purpose.as_bytes());
        put_field(&mut aad, self.meeting_id.as_bytes());
        put_field(&mut aad, &self.public);
        for n in [self.kdf.m_kib, self.kdf.t, self.kdf.p] {
            put_field(&mut aad, &n.to_be_bytes());
        }
        put_field(&mut aad, &self.salt);
        aad
    }
}

/// An unwrapped share `s_i`, zeroized on drop; it never leaves this process.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct ShareSecret {
    pub(crate) secret: Scalar,
    #[zeroize(skip)]
    pub(crate) index: u8,
    #[zeroize(skip)]
    pub(crate) public: RistrettoPoint,
}

impl ShareSecret {
    /// The trustee index (1, 2 or 3).
    pub fn index(&self) -> u8 {
        self.index
    }
}

impl std::fmt::Debug for ShareSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ShareSecret {{ index: {}, secret: <redacted> }}", self.index)
    }
}

/// Serde for fixed-size byte arrays as lowercase hex of exactly that length.
pub(crate) mod hex_array {
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer, const N: usize>(bytes: &[u8; N], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>, const N: usize>(d: D) -> Result<[u8; N], D::Error> {
        let s = String::deserialize(d)?;
        let lowercase = s.bytes().all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c));
        let mut out = [0u8; N];
        if !lowercase || s.len() != 2 * N || hex::decode_to_slice(&s, &mut out).is_err() {
            return Err(D::Error::custom(format!("expected {} lowercase hex digits", 2 * N)));
        }
        Ok(out)
    }
}
