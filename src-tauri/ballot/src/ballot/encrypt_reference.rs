//! The reference encryption: one option at a time, each scalar
//! multiplication on its own, one core. [`super::encrypt`] must give the same
//! bytes from the same random stream (tests compare them); this one stays as
//! the readable statement of the prover, and as "today's path" in benchmarks.

use curve25519_dalek::scalar::Scalar;
use rand_core::{CryptoRng, RngCore};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::{
    ciphertext_digest, sum_transcript, zero_one_transcript, Ballot, BallotError, BallotLine, EncryptedOption,
    SumProof, ZeroOneProof, BALLOT_VERSION,
};
use crate::elgamal::{Ciphertext, Context, PublicKey};
use crate::proofs;

/// One line between encryption and proof.
struct Pending<'a> {
    candidate: &'a str,
    values: &'a [i64; 3],
    cts: [Ciphertext; 3],
    wire: [([u8; 32], [u8; 32]); 3],
    rs: [Zeroizing<Scalar>; 3],
}

/// [`encrypt_plaintexts`](super::encrypt_plaintexts) the reference way.
#[doc(hidden)]
pub fn encrypt_plaintexts_reference<R: RngCore + CryptoRng>(
    pk: &PublicKey,
    ctx: &Context,
    lines: &[(String, [i64; 3])],
    rng: &mut R,
) -> Result<Ballot, BallotError> {
    let sorted = super::encrypt::sorted_lines(lines)?;
    let pending: Vec<Pending> = sorted
        .into_iter()
        .map(|(candidate, values)| {
            let rs: [Zeroizing<Scalar>; 3] = std::array::from_fn(|_| nonzero_randomness(rng));
            let cts = std::array::from_fn(|k| Ciphertext::encrypt(pk, &scalar_from_i64(values[k]), &rs[k]));
            let wire = cts.map(|ct| (ct.a.compress().to_bytes(), ct.b.compress().to_bytes()));
            Pending { candidate, values, cts, wire, rs }
        })
        .collect();
    let digest =
        ciphertext_digest(pending.iter().map(|p| (p.candidate, p.wire.each_ref().map(|(a, b)| (a, b)))));
    let lines = pending.iter().map(|p| prove_line(pk, ctx, &digest, p, rng)).collect();
    Ok(Ballot { version: BALLOT_VERSION, lines })
}

fn prove_line<R: RngCore + CryptoRng>(
    pk: &PublicKey,
    ctx: &Context,
    digest: &[u8; 64],
    line: &Pending,
    rng: &mut R,
) -> BallotLine {
    let wire = line.wire.each_ref().map(|(a, b)| (a, b));
    let options = std::array::from_fn(|k| {
        let t = zero_one_transcript(ctx, digest, line.candidate, k, pk, wire[k]);
        let is_one = line.values[k].ct_eq(&1);
        let proof = proofs::prove_zero_one(t, pk, &line.cts[k], is_one, &line.rs[k], rng);
        let (a, b) = line.wire[k];
        EncryptedOption {
            a,
            b,
            proof: ZeroOneProof {
                c0: proof.c[0].to_bytes(),
                c1: proof.c[1].to_bytes(),
                z0: proof.z[0].to_bytes(),
                z1: proof.z[1].to_bytes(),
            },
        }
    });
    let r_sum = Zeroizing::new(*line.rs[0] + *line.rs[1] + *line.rs[2]);
    let t = sum_transcript(ctx, digest, line.candidate, pk, &wire);
    let proof = proofs::prove_dleq(t, &pk.0, &r_sum, rng);
    BallotLine {
        candidate: line.candidate.to_owned(),
        options,
        sum_proof: SumProof { c: proof.c.to_bytes(), z: proof.z.to_bytes() },
    }
}

/// A uniform nonzero scalar for a ciphertext's `r`. With `r = 0` the
/// ciphertext is `(identity, m·G)`, the choice in the clear, which verifiers
/// refuse; a zero draw (probability 1/ℓ) is drawn again.
pub(super) fn nonzero_randomness<R: RngCore + CryptoRng>(rng: &mut R) -> Zeroizing<Scalar> {
    loop {
        let r = Zeroizing::new(Scalar::random(rng));
        if *r != Scalar::ZERO {
            return r;
        }
    }
}

pub(super) fn scalar_from_i64(v: i64) -> Scalar {
    let magnitude = Scalar::from(v.unsigned_abs());
    if v < 0 {
        -magnitude
    } else {
        magnitude
    }
}
