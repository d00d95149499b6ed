//! The tally: homomorphic sums of ciphertexts, each trustee's partial
//! decryption with its Chaum–Pedersen proof, and the combination of two
//! partial decryptions (Lagrange at 0) into a count by small discrete log.

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{Identity, VartimeMultiscalarMul};
use rand_core::{CryptoRng, RngCore};
use serde::{Deserialize, Serialize};

use crate::elgamal::{Ciphertext, Context};
use crate::encoding::{hex_point, hex_scalar, Transcript};
use crate::proofs::{self, Dleq};
use crate::trustee::{ShareSecret, TrusteeKeys};

/// One trustee's share of the decryption of a ciphertext `(a, b)`:
/// `d = s_i·a`, with a proof that `log_G(Y_i) = log_a(d)`.
/// JSON: `{"trustee": 1, "d": hex, "proof": {"c": hex, "z": hex}}`; reading
/// rejects invalid points and non-canonical scalars (the proof is checked by
/// [`verify_partial`] and [`combine`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartialDecryption {
    /// The trustee index, 1, 2 or 3.
    pub trustee: u8,
    #[serde(with = "hex_point")]
    d: RistrettoPoint,
    proof: DecryptionProof,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DecryptionProof {
    #[serde(with = "hex_scalar")]
    c: Scalar,
    #[serde(with = "hex_scalar")]
    z: Scalar,
}

/// Why a partial decryption or a count was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[allow(missing_docs)] // the messages say it
pub enum TallyError {
    #[error("trustee index {0} is not 1, 2 or 3")]
    UnknownTrustee(u8),
    #[error("trustee {0}'s share does not belong to these trustee keys")]
    ShareNotInKeys(u8),
    #[error("both partial decryptions come from trustee {0}; two different trustees are needed")]
    SameTrustee(u8),
    #[error("trustee {trustee}'s decryption proof fails")]
    BadDecryptionProof { trustee: u8 },
    #[error("the decrypted count is not between 0 and {max}")]
    CountNotFound { max: u64 },
}

/// The component-wise sum: an encryption of the sum of the plaintexts.
pub fn sum_ciphertexts(cts: &[Ciphertext]) -> Ciphertext {
    cts.iter().fold(Ciphertext::zero(), |acc, ct| acc + *ct)
}

/// Trustee `share.index()`'s partial decryption of `ct`, with its proof.
pub fn partial_decrypt<R: RngCore + CryptoRng>(
    share: &ShareSecret,
    keys: &TrusteeKeys,
    ctx: &Context,
    ct: &Ciphertext,
    rng: &mut R,
) -> Result<PartialDecryption, TallyError> {
    let public = keys.share(share.index).ok_or(TallyError::UnknownTrustee(share.index))?;
    if public.0 != share.public {
        return Err(TallyError::ShareNotInKeys(share.index));
    }
    let d = ct.a * share.secret;
    let t = transcript(ctx, share.index, keys, ct, &d);
    let Dleq { c, z } = proofs::prove_dleq(t, &ct.a, &share.secret, rng);
    Ok(PartialDecryption { trustee: share.index, d, proof: DecryptionProof { c, z } })
}

/// Checks a partial decryption of `ct` against the trustee's public value.
pub fn verify_partial(
    keys: &TrusteeKeys,
    ctx: &Context,
    ct: &Ciphertext,
    part: &PartialDecryption,
) -> Result<(), TallyError> {
    let public = keys.share(part.trustee).ok_or(TallyError::UnknownTrustee(part.trustee))?;
    let t = transcript(ctx, part.trustee, keys, ct, &part.d);
    let proof = Dleq { c: part.proof.c, z: part.proof.z };
    if !proofs::verify_dleq(t, &ct.a, &public.0, &part.d, &proof) {
        return Err(TallyError::BadDecryptionProof { trustee: part.trustee });
    }
    Ok(())
}

/// Verifies two partial decryptions from different trustees and recovers the
/// count `m` in `0..=max` from `m·G = b − (λ_i·d_i + λ_j·d_j)`.
pub fn combine(
    keys: &TrusteeKeys,
    ctx: &Context,
    ct: &Ciphertext,
    parts: &[PartialDecryption; 2],
    max: u64,
) -> Result<u64, TallyError> {
    let [p, q] = parts;
    if p.trustee == q.trustee {
        return Err(TallyError::SameTrustee(p.trustee));
    }
    verify_partial(keys, ctx, ct, p)?;
    verify_partial(keys, ctx, ct, q)?;
    let (i, j) = (Scalar::from(p.trustee), Scalar::from(q.trustee));
    // Lagrange coefficients at 0 for the points {i, j}: λ_i = j/(j−i), λ_j = i/(i−j).
    let lambda_i = j * (j - i).invert();
    let lambda_j = i * (i - j).invert();
    let shared = RistrettoPoint::vartime_multiscalar_mul([lambda_i, lambda_j], [p.d, q.d]);
    discrete_log(&(ct.b - shared), max).ok_or(TallyError::CountNotFound { max })
}

/// The `m` in `0..=max` with `m·G = target`, by walking `0, G, 2G, …`.
fn discrete_log(target: &RistrettoPoint, max: u64) -> Option<u64> {
    let mut acc = RistrettoPoint::identity();
    for m in 0..=max {
        if acc == *target {
            return Some(m);
        }
        acc += RISTRETTO_BASEPOINT_POINT;
    }
    None
}

/// `partial-decryption`: context, trustee index (1 byte), Y, Y_i, a, b, d;
/// then the commitments `w·G`, `w·a`.
fn transcript(
    ctx: &Context,
    index: u8,
    keys: &TrusteeKeys,
    ct: &Ciphertext,
    d: &RistrettoPoint,
) -> Transcript {
    let mut t = Transcript::new("partial-decryption");
    t.context(ctx);
    t.field(&[index]);
    t.field(&keys.joint().to_bytes());
    // Callers have checked the index, so the share exists.
    t.field(&keys.share(index).map_or([0; 32], |s| s.to_bytes()));
    t.point(&ct.a);
    t.point(&ct.b);
    t.point(d);
    t
}
