//! Encrypting and proving a ballot. Order of the random draws (the test
//! vectors depend on it): for each line in ballot order r_for, r_against,
//! r_abstain (each drawn again at once if it is zero); then for each line,
//! for each option (w, c_fake, z_fake); then the line's sum-proof w.

use curve25519_dalek::scalar::Scalar;
use rand_core::{CryptoRng, RngCore};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::{
    check_candidate, ciphertext_digest, sum_transcript, zero_one_transcript, Ballot, BallotError, BallotLine,
    Choice, EncryptedOption, SumProof, ZeroOneProof, BALLOT_VERSION,
};
use crate::audit::BallotRandomness;
use crate::elgamal::{Ciphertext, Context, PublicKey};
use crate::proofs;

/// Encrypts and proves one voter's ballot. Lines may come in any order; the
/// ballot holds them sorted by candidate id (UTF-8 bytes). The encryption
/// randomness lives only inside this call and is zeroized.
pub fn encrypt_ballot<R: RngCore + CryptoRng>(
    pk: &PublicKey,
    ctx: &Context,
    choices: &[(String, Choice)],
    rng: &mut R,
) -> Result<Ballot, BallotError> {
    let lines: Vec<(String, [i64; 3])> = choices
        .iter()
        .map(|(candidate, choice)| {
            let one_hot = Choice::ALL.map(|option| i64::from(option == *choice));
            (candidate.clone(), one_hot)
        })
        .collect();
    encrypt_plaintexts(pk, ctx, &lines, rng)
}

/// [`encrypt_ballot`] that also returns every ciphertext's randomness, for a
/// ballot that may be audited (检验) instead of cast: once the randomness is
/// released the ballot must never be cast (the host refuses its tracker).
pub fn encrypt_ballot_revealable<R: RngCore + CryptoRng>(
    pk: &PublicKey,
    ctx: &Context,
    choices: &[(String, Choice)],
    rng: &mut R,
) -> Result<(Ballot, BallotRandomness), BallotError> {
    let lines: Vec<(String, [i64; 3])> = choices
        .iter()
        .map(|(candidate, choice)| {
            (candidate.clone(), Choice::ALL.map(|option| i64::from(option == *choice)))
        })
        .collect();
    let (ballot, rs) = encrypt_with_randomness(pk, ctx, &lines, rng)?;
    Ok((ballot, BallotRandomness::from_scalars(rs)))
}

/// One line between encryption and proof.
struct Pending<'a> {
    candidate: &'a str,
    values: &'a [i64; 3],
    cts: [Ciphertext; 3],
    wire: [([u8; 32], [u8; 32]); 3],
    rs: [Zeroizing<Scalar>; 3],
}

/// [`encrypt_ballot`] with arbitrary plaintexts per option, proven the way an
/// honest prover would: only for testing that such ballots are refused.
#[doc(hidden)]
pub fn encrypt_plaintexts<R: RngCore + CryptoRng>(
    pk: &PublicKey,
    ctx: &Context,
    lines: &[(String, [i64; 3])],
    rng: &mut R,
) -> Result<Ballot, BallotError> {
    encrypt_with_randomness(pk, ctx, lines, rng).map(|(ballot, _)| ballot)
}

type LineScalars = (String, [Zeroizing<Scalar>; 3]);

fn encrypt_with_randomness<R: RngCore + CryptoRng>(
    pk: &PublicKey,
    ctx: &Context,
    lines: &[(String, [i64; 3])],
    rng: &mut R,
) -> Result<(Ballot, Vec<LineScalars>), BallotError> {
    let mut sorted: Vec<&(String, [i64; 3])> = lines.iter().collect();
    sorted.sort_by(|x, y| x.0.cmp(&y.0));
    for (i, (candidate, _)) in sorted.iter().enumerate() {
        check_candidate(i, candidate)?;
        if i > 0 && sorted[i - 1].0 == *candidate {
            return Err(BallotError::DuplicateCandidate { candidate: candidate.clone() });
        }
    }
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
    let rs = pending.into_iter().map(|p| (p.candidate.to_owned(), p.rs)).collect();
    Ok((Ballot { version: BALLOT_VERSION, lines }, rs))
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
fn nonzero_randomness<R: RngCore + CryptoRng>(rng: &mut R) -> Zeroizing<Scalar> {
    loop {
        let r = Zeroizing::new(Scalar::random(rng));
        if *r != Scalar::ZERO {
            return r;
        }
    }
}

fn scalar_from_i64(v: i64) -> Scalar {
    let magnitude = Scalar::from(v.unsigned_abs());
    if v < 0 {
        -magnitude
    } else {
        magnitude
    }
}
