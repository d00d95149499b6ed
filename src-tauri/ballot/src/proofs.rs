//! The two sigma protocols, made non-interactive with Fiat–Shamir over a
//! [`Transcript`] that the caller has already filled with the statement.
//!
//! Proofs are stored in their compact form (challenges and responses); the
//! verifier recomputes the commitments and checks that hashing them gives the
//! stored challenge back, which is equivalent to checking the verification
//! equations against stored commitments.

use curve25519_dalek::constants::{RISTRETTO_BASEPOINT_POINT, RISTRETTO_BASEPOINT_TABLE};
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::VartimeMultiscalarMul;
use rand_core::{CryptoRng, RngCore};
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

/// Proves that `ct = Enc(real; r)` encrypts `real` ∈ {0, 1}, simulating the
/// other branch. With any other plaintext the proof is made the same way and
/// fails to verify (tests rely on this to build invalid ballots).
pub(crate) fn prove_zero_one<R: RngCore + CryptoRng>(
    mut t: Transcript,
    pk: &PublicKey,
    ct: &Ciphertext,
    real: usize,
    r: &Scalar,
    rng: &mut R,
) -> ZeroOne {
    debug_assert!(real < 2);
    let fake = 1 - real;
    let w = Zeroizing::new(Scalar::random(rng));
    let c_fake = Scalar::random(rng);
    let z_fake = Scalar::random(rng);

    let mut commits = [[RistrettoPoint::default(); 2]; 2];
    commits[real] = [RISTRETTO_BASEPOINT_TABLE * &*w, pk.0 * *w];
    let shifted = ct.b - RISTRETTO_BASEPOINT_TABLE * &Scalar::from(fake as u64);
    commits[fake] = [RISTRETTO_BASEPOINT_TABLE * &z_fake - ct.a * c_fake, pk.0 * z_fake - shifted * c_fake];
    for [a, b] in &commits {
        t.point(a);
        t.point(b);
    }
    let c = t.challenge();

    let mut proof = ZeroOne { c: [Scalar::ZERO; 2], z: [Scalar::ZERO; 2] };
    proof.c[fake] = c_fake;
    proof.z[fake] = z_fake;
    proof.c[real] = c - c_fake;
    proof.z[real] = *w + proof.c[real] * r;
    proof
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
