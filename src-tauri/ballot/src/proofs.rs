//! The two sigma protocols, made non-interactive with Fiat–Shamir over a
//! [`Transcript`] that the caller has already filled with the statement.
//!
//! Proofs are stored in their compact form (challenges and responses); the
//! verifier recomputes the commitments and checks that hashing them gives the
//! stored challenge back, which is equivalent to checking the verification
//! equations against stored commitments.

use curve25519_dalek::constants::{RISTRETTO_BASEPOINT_POINT, RISTRETTO_BASEPOINT_TABLE};
use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::VartimeMultiscalarMul;
use rand_core::{CryptoRng, RngCore};
use subtle::ConditionallySelectable;
use zeroize::Zeroizing;

use crate::elgamal::{Ciphertext, PublicKey};
use crate::encoding::Transcript;

/// A disjunctive Chaum–Pedersen proof that a ciphertext encrypts 0 or 1:
/// branch `j` proves `a = r·G` and `b − j·G = r·Y`.
pub(crate) struct ZeroOne {
    pub c: [Scalar; 2],
    pub z: [Scalar; 2],
}

/// A Chaum–Pedersen proof of `log_G(u) = log_h(v)`.
pub(crate) struct Dleq {
    pub c: Scalar,
    pub z: Scalar,
}

/// The two branches' commitments in the transcript's order: branch 0 is the
/// honest one when m = 0, branch 1 when m = 1; chosen in constant time.
pub(crate) fn branch_commits(
    honest: &[RistrettoPoint; 2],
    simulated: &[RistrettoPoint; 2],
    is_one: subtle::Choice,
) -> [[RistrettoPoint; 2]; 2] {
    let pick = |when_zero: &RistrettoPoint, when_one: &RistrettoPoint| {
        RistrettoPoint::conditional_select(when_zero, when_one, is_one)
    };
    [
        [pick(&honest[0], &simulated[0]), pick(&honest[1], &simulated[1])],
        [pick(&simulated[0], &honest[0]), pick(&simulated[1], &honest[1])],
    ]
}

/// Proves that `ct = Enc(m; r)` encrypts 0 or 1, where `is_one` tells which:
/// the true branch is proven, the other simulated. The work and the memory
/// accesses do not depend on `is_one` (constant-time selection). With any
/// other plaintext the proof is made the same way (as if `m` were 0) and fails
/// to verify; tests rely on this to build invalid ballots.
pub(crate) fn prove_zero_one<R: RngCore + CryptoRng>(
    mut t: Transcript,
    pk: &PublicKey,
    ct: &Ciphertext,
    is_one: subtle::Choice,
    r: &Scalar,
    rng: &mut R,
) -> ZeroOne {
    let w = Zeroizing::new(Scalar::random(rng));
    let c_fake = Scalar::random(rng);
    let z_fake = Scalar::random(rng);

    // The true branch commits to w; the simulated branch j = 1 − m is
    // (z·G − c·a, z·Y − c·(b − j·G)) for random c, z.
    let honest = [RISTRETTO_BASEPOINT_TABLE * &*w, pk.0 * *w];
    let j_fake = Scalar::conditional_select(&Scalar::ONE, &Scalar::ZERO, is_one);
    let shifted = ct.b - RISTRETTO_BASEPOINT_TABLE * &j_fake;
    let simulated = [RISTRETTO_BASEPOINT_TABLE * &z_fake - ct.a * c_fake, pk.0 * z_fake - shifted * c_fake];
    let commits = branch_commits(&honest, &simulated, is_one);
    for [a, b] in &commits {
        t.point(a);
        t.point(b);
    }
    let c = t.challenge();

    let c_true = c - c_fake;
    let z_true = Zeroizing::new(*w + c_true * r);
    let pick =
        |when_zero: &Scalar, when_one: &Scalar| Scalar::conditional_select(when_zero, when_one, is_one);
    ZeroOne {
        c: [pick(&c_true, &c_fake), pick(&c_fake, &c_true)],
        z: [pick(&z_true, &z_fake), pick(&z_fake, &z_true)],
    }
}

/// Checks a [`ZeroOne`] proof; `t` holds the same statement as when proving.
pub(crate) fn verify_zero_one(mut t: Transcript, pk: &PublicKey, ct: &Ciphertext, proof: &ZeroOne) -> bool {
    for j in 0..2 {
        let shifted = if j == 0 { ct.b } else { ct.b - RISTRETTO_BASEPOINT_POINT };
        let (c, z) = (proof.c[j], proof.z[j]);
        let a = RistrettoPoint::vartime_double_scalar_mul_basepoint(&-c, &ct.a, &z);
        let b = RistrettoPoint::vartime_multiscalar_mul([z, -c], [pk.0, shifted]);
        t.point(&a);
        t.point(&b);
    }
    t.challenge() == proof.c[0] + proof.c[1]
}

/// The inverse of 2 mod ℓ: commitments are computed halved, so that one
/// batched double-and-encode ([`RistrettoPoint::double_and_compress_batch`])
/// gives their encodings without one inverse square root per point.
fn half() -> Scalar {
    // An inversion costs as much as a few point additions: made once.
    static HALF: std::sync::OnceLock<Scalar> = std::sync::OnceLock::new();
    *HALF.get_or_init(|| Scalar::from(2u8).invert())
}

/// Half of each commitment the verifier of a [`ZeroOne`] proof recomputes:
/// `(z_j·G − c_j·a)/2`, `(z_j·Y − c_j·(b − j·G))/2` for branch 0 then 1.
/// Doubled and encoded they are exactly what [`verify_zero_one`] hashes.
pub(crate) fn zero_one_half_commitments(
    pk: &PublicKey,
    ct: &Ciphertext,
    proof: &ZeroOne,
) -> [RistrettoPoint; 4] {
    let h = half();
    let mut out = [RistrettoPoint::default(); 4];
    for j in 0..2 {
        let (c, z) = (-(proof.c[j] * h), proof.z[j] * h);
        out[2 * j] = RistrettoPoint::vartime_double_scalar_mul_basepoint(&c, &ct.a, &z);
        let shifted = if j == 0 { ct.b } else { ct.b - RISTRETTO_BASEPOINT_POINT };
        out[2 * j + 1] = RistrettoPoint::vartime_multiscalar_mul([z, c], [pk.0, shifted]);
    }
    out
}

/// Half of the two commitments the verifier of a [`Dleq`] proof for
/// `u = x·G`, `v = x·h` recomputes: `(z·G − c·u)/2`, `(z·h − c·v)/2`.
pub(crate) fn dleq_half_commitments(
    h: &RistrettoPoint,
    u: &RistrettoPoint,
    v: &RistrettoPoint,
    proof: &Dleq,
) -> [RistrettoPoint; 2] {
    let half = half();
    let (c, z) = (-(proof.c * half), proof.z * half);
    [
        RistrettoPoint::vartime_double_scalar_mul_basepoint(&c, u, &z),
        RistrettoPoint::vartime_multiscalar_mul([z, c], [*h, *v]),
    ]
}

/// Finishes a check from encoded commitments (as
/// [`RistrettoPoint::double_and_compress_batch`] gives them from the halves):
/// hashes them after the statement in `t` and compares with `expected`.
pub(crate) fn challenge_matches(
    mut t: Transcript,
    commitments: &[CompressedRistretto],
    expected: Scalar,
) -> bool {
    for p in commitments {
        t.field(p.as_bytes());
    }
    t.challenge() == expected
}

/// Proves knowledge of `x` with `u = x·G` and `v = x·h`; `t` holds the statement.
pub(crate) fn prove_dleq<R: RngCore + CryptoRng>(
    mut t: Transcript,
    h: &RistrettoPoint,
    x: &Scalar,
    rng: &mut R,
) -> Dleq {
    let w = Zeroizing::new(Scalar::random(rng));
    t.point(&(RISTRETTO_BASEPOINT_TABLE * &*w));
    t.point(&(h * *w));
    let c = t.challenge();
    Dleq { c, z: *w + c * x }
}

/// Checks a [`Dleq`] proof for `u = x·G`, `v = x·h`.
pub(crate) fn verify_dleq(
    mut t: Transcript,
    h: &RistrettoPoint,
    u: &RistrettoPoint,
    v: &RistrettoPoint,
    proof: &Dleq,
) -> bool {
    let a = RistrettoPoint::vartime_double_scalar_mul_basepoint(&-proof.c, u, &proof.z);
    let b = RistrettoPoint::vartime_multiscalar_mul([proof.z, -proof.c], [*h, *v]);
    t.point(&a);
    t.point(&b);
    t.challenge() == proof.c
}

#[cfg(test)]
mod tests {
    use super::*;
    use curve25519_dalek::traits::Identity;

    /// The batched encoding of doubled halves is the plain encoding, the
    /// identity included (a forged proof can make a commitment the identity).
    #[test]
    fn batched_encoding_of_halves_is_the_plain_encoding() {
        let h = half();
        assert_eq!(h + h, Scalar::ONE, "half is the inverse of 2");
        let mut points = vec![RistrettoPoint::identity(), RISTRETTO_BASEPOINT_POINT];
        for k in 1u64..20 {
            points.push(RISTRETTO_BASEPOINT_TABLE * &Scalar::from(k * 7919 + 3));
        }
        let halves: Vec<RistrettoPoint> = points.iter().map(|p| p * h).collect();
        let batched = RistrettoPoint::double_and_compress_batch(&halves);
        for (p, e) in points.iter().zip(&batched) {
            assert_eq!(p.compress(), *e, "doubled half of {p:?}");
        }
        assert_eq!(batched[0].to_bytes(), [0u8; 32], "the identity encodes as zeros");
    }
}
