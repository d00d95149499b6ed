//! The tally: homomorphic sums of ciphertexts, each trustee's partial
//! decryption with its Chaum–Pedersen proof, and the combination of two
//! partial decryptions (Lagrange at 0) into a count by small discrete log.

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{Identity, VartimeMultiscalarMul};
use rand_core::{CryptoRng, RngCore};
use rayon::prelude::*;
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
    combine_verified(ct, parts, max)
}

/// [`combine`] once both proofs are known to hold.
fn combine_verified(ct: &Ciphertext, [p, q]: &[PartialDecryption; 2], max: u64) -> Result<u64, TallyError> {
    let (i, j) = (Scalar::from(p.trustee), Scalar::from(q.trustee));
    // Lagrange coefficients at 0 for the points {i, j}: λ_i = j/(j−i), λ_j = i/(i−j).
    let lambda_i = j * (j - i).invert();
    let lambda_j = i * (i - j).invert();
    let shared = RistrettoPoint::vartime_multiscalar_mul([lambda_i, lambda_j], [p.d, q.d]);
    discrete_log(&(ct.b - shared), max).ok_or(TallyError::CountNotFound { max })
}

/// Checks many partial decryptions on every core, with the commitments
/// encoded in batches; each answer is the one [`verify_partial`] gives for
/// that pair, in the same order, so a bad proof is named by its trustee and
/// its position.
pub fn verify_partials(
    keys: &TrusteeKeys,
    ctx: &Context,
    items: &[(&Ciphertext, &PartialDecryption)],
) -> Vec<Result<(), TallyError>> {
    items.par_chunks(32).flat_map_iter(|chunk| verify_chunk(keys, ctx, chunk)).collect()
}

fn verify_chunk(
    keys: &TrusteeKeys,
    ctx: &Context,
    chunk: &[(&Ciphertext, &PartialDecryption)],
) -> Vec<Result<(), TallyError>> {
    let mut halves = Vec::with_capacity(2 * chunk.len());
    for (ct, part) in chunk {
        let Some(public) = keys.share(part.trustee) else {
            // Placeholders keep the positions; the answer is the error below.
            halves.extend([RistrettoPoint::identity(); 2]);
            continue;
        };
        let proof = Dleq { c: part.proof.c, z: part.proof.z };
        halves.extend(proofs::dleq_half_commitments(&ct.a, &public.0, &part.d, &proof));
    }
    let encoded = RistrettoPoint::double_and_compress_batch(&halves);
    chunk
        .iter()
        .zip(encoded.chunks(2))
        .map(|((ct, part), commitments)| {
            if keys.share(part.trustee).is_none() {
                return Err(TallyError::UnknownTrustee(part.trustee));
            }
            let t = transcript(ctx, part.trustee, keys, ct, &part.d);
            if !proofs::challenge_matches(t, commitments, part.proof.c) {
                return Err(TallyError::BadDecryptionProof { trustee: part.trustee });
            }
            Ok(())
        })
        .collect()
}

/// [`combine`] for many sums at once, with every proof checked by
/// [`verify_partials`]; each answer is the one [`combine`] gives.
pub fn combine_many(
    keys: &TrusteeKeys,
    ctx: &Context,
    items: &[(Ciphertext, [PartialDecryption; 2], u64)],
) -> Vec<Result<u64, TallyError>> {
    let pairs: Vec<(&Ciphertext, &PartialDecryption)> =
        items.iter().flat_map(|(ct, [p, q], _)| [(ct, p), (ct, q)]).collect();
    let checked = verify_partials(keys, ctx, &pairs);
    items
        .par_iter()
        .zip(checked.par_chunks(2))
        .map(|((ct, parts, max), ok)| {
            if parts[0].trustee == parts[1].trustee {
                return Err(TallyError::SameTrustee(parts[0].trustee));
            }
            ok[0].clone()?;
            ok[1].clone()?;
            combine_verified(ct, parts, *max)
        })
        .collect()
}

/// [`partial_decrypt`] of many ciphertexts on every core, in order.
pub fn partial_decrypt_many(
    share: &ShareSecret,
    keys: &TrusteeKeys,
    ctx: &Context,
    cts: &[Ciphertext],
) -> Result<Vec<PartialDecryption>, TallyError> {
    cts.par_iter().map(|ct| partial_decrypt(share, keys, ctx, ct, &mut rand_core::OsRng)).collect()
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
