//! Encrypting and proving a ballot. Order of the random draws (the test
//! vectors depend on it): for each line in ballot order r_for, r_against,
//! r_abstain (each drawn again at once if it is zero); then for each line,
//! for each option (w, c_fake, z_fake); then the line's sum-proof w.
//!
//! Every draw is made first, in that order, from the caller's generator;
//! the scalar multiplications then run on every core. They all use
//! fixed-base tables (one for `G`, one made per ballot for `Y`): the prover
//! knows each `r`, so `c·a = (c·r)·G` and `c·b = (c·m)·G + (c·r)·Y`. The
//! bytes are those of [`super::encrypt_reference`]'s prover, which tests check.

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_TABLE as G;
use curve25519_dalek::ristretto::RistrettoBasepointTable;
use curve25519_dalek::scalar::Scalar;
use rand_core::{CryptoRng, RngCore};
use rayon::prelude::*;
use subtle::{ConditionallySelectable, ConstantTimeEq};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::encrypt_reference::{nonzero_randomness, scalar_from_i64};
use super::{
    check_candidate, ciphertext_digest, sum_transcript, zero_one_transcript, Ballot, BallotError, BallotLine,
    Choice, EncryptedOption, SumProof, ZeroOneProof, BALLOT_VERSION,
};
use crate::audit::BallotRandomness;
use crate::elgamal::{Ciphertext, Context, PublicKey};
use crate::encoding::Transcript;

/// Encrypts and proves one voter's ballot. Lines may come in any order; the
/// ballot holds them sorted by candidate id (UTF-8 bytes). The encryption
/// randomness lives only inside this call and is zeroized.
pub fn encrypt_ballot<R: RngCore + CryptoRng>(
    pk: &PublicKey,
    ctx: &Context,
    choices: &[(String, Choice)],
    rng: &mut R,
) -> Result<Ballot, BallotError> {
    encrypt_plaintexts(pk, ctx, &one_hot(choices), rng)
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
    let (ballot, rs) = encrypt_keeping(pk, ctx, &one_hot(choices), rng, true)?;
    Ok((ballot, BallotRandomness::from_scalars(rs)))
}

/// Each line's choice as its three plaintexts (1 for the choice, 0 else).
fn one_hot(choices: &[(String, Choice)]) -> Vec<(String, [i64; 3])> {
    choices
        .iter()
        .map(|(candidate, choice)| {
            (candidate.clone(), Choice::ALL.map(|option| i64::from(option == *choice)))
        })
        .collect()
}

/// The lines sorted by candidate id, each id checked, none twice.
pub(super) fn sorted_lines(lines: &[(String, [i64; 3])]) -> Result<Vec<&(String, [i64; 3])>, BallotError> {
    let mut sorted: Vec<&(String, [i64; 3])> = lines.iter().collect();
    sorted.sort_by(|x, y| x.0.cmp(&y.0));
    for (i, (candidate, _)) in sorted.iter().enumerate() {
        check_candidate(i, candidate)?;
        if i > 0 && sorted[i - 1].0 == *candidate {
            return Err(BallotError::DuplicateCandidate { candidate: candidate.clone() });
        }
    }
    Ok(sorted)
}

/// One line's secrets: its plaintexts and randomness, then its proof nonces
/// (per option w, c_fake, z_fake; then the sum proof's w).
#[derive(Zeroize, ZeroizeOnDrop)]
struct Secrets {
    m: [Scalar; 3],
    r: [Scalar; 3],
    nonces: [[Scalar; 3]; 3],
    sum_w: Scalar,
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
    encrypt_keeping(pk, ctx, lines, rng, false).map(|(ballot, _)| ballot)
}

/// A line's candidate and its three ciphertexts' randomness.
type LineScalars = (String, [Zeroizing<Scalar>; 3]);

/// The prover; with `keep`, each line's randomness comes back too (in the
/// ballot's order), for an audited ballot.
fn encrypt_keeping<R: RngCore + CryptoRng>(
    pk: &PublicKey,
    ctx: &Context,
    lines: &[(String, [i64; 3])],
    rng: &mut R,
    keep: bool,
) -> Result<(Ballot, Vec<LineScalars>), BallotError> {
    let sorted = sorted_lines(lines)?;
    let mut secrets: Vec<Secrets> = sorted
        .iter()
        .map(|(_, values)| Secrets {
            m: values.map(scalar_from_i64),
            r: std::array::from_fn(|_| *nonzero_randomness(rng)),
            nonces: [[Scalar::ZERO; 3]; 3],
            sum_w: Scalar::ZERO,
        })
        .collect();
    for s in &mut secrets {
        s.nonces = std::array::from_fn(|_| std::array::from_fn(|_| Scalar::random(rng)));
        s.sum_w = Scalar::random(rng);
    }
    let y = RistrettoBasepointTable::create(&pk.0);
    let cts: Vec<[Ciphertext; 3]> = secrets
        .par_iter()
        .with_min_len(8)
        .map(|s| std::array::from_fn(|k| Ciphertext { a: G * &s.r[k], b: G * &s.m[k] + &y * &s.r[k] }))
        .collect();
    let wire: Vec<[([u8; 32], [u8; 32]); 3]> = cts
        .iter()
        .map(|line| line.map(|ct| (ct.a.compress().to_bytes(), ct.b.compress().to_bytes())))
        .collect();
    let digest = ciphertext_digest(
        sorted
            .iter()
            .zip(&wire)
            .map(|((candidate, _), w)| (candidate.as_str(), w.each_ref().map(|(a, b)| (a, b)))),
    );
    let proven = (0..sorted.len())
        .into_par_iter()
        .with_min_len(8)
        .map(|i| prove_line(pk, &y, ctx, &digest, (&sorted[i].0, &sorted[i].1), &wire[i], &secrets[i]))
        .collect();
    let kept = if keep {
        sorted
            .iter()
            .zip(&secrets)
            .map(|((candidate, _), s)| (candidate.clone(), s.r.map(Zeroizing::new)))
            .collect()
    } else {
        Vec::new()
    };
    Ok((Ballot { version: BALLOT_VERSION, lines: proven }, kept))
}

fn prove_line(
    pk: &PublicKey,
    y: &RistrettoBasepointTable,
    ctx: &Context,
    digest: &[u8; 64],
    (candidate, values): (&str, &[i64; 3]),
    wire: &[([u8; 32], [u8; 32]); 3],
    s: &Secrets,
) -> BallotLine {
    let wire_refs = wire.each_ref().map(|(a, b)| (a, b));
    let options = std::array::from_fn(|k| {
        let t = zero_one_transcript(ctx, digest, candidate, k, pk, wire_refs[k]);
        let is_one = values[k].ct_eq(&1);
        let [c0, c1, z0, z1] = prove_zero_one(t, y, is_one, &s.m[k], &s.r[k], &s.nonces[k]);
        let (a, b) = wire[k];
        EncryptedOption { a, b, proof: ZeroOneProof { c0, c1, z0, z1 } }
    });
    let r_sum = Zeroizing::new(s.r[0] + s.r[1] + s.r[2]);
    let mut t = sum_transcript(ctx, digest, candidate, pk, &wire_refs);
    t.point(&(G * &s.sum_w));
    t.point(&(y * &s.sum_w));
    let c = t.challenge();
    let z = s.sum_w + c * *r_sum;
    BallotLine {
        candidate: candidate.to_owned(),
        options,
        sum_proof: SumProof { c: c.to_bytes(), z: z.to_bytes() },
    }
}

/// The disjunctive proof that `Enc(m; r)` encrypts 0 or 1, as
/// [`crate::proofs::prove_zero_one`] makes it, with fixed-base tables only:
/// the simulated branch `j` commits to `(z − c·r)·G` and
/// `(z − c·r)·Y + c·(j − m)·G`, which are `z·G − c·a` and `z·Y − c·(b − j·G)`.
/// No branch on the secret (constant-time selection). Returns c0, c1, z0, z1.
fn prove_zero_one(
    mut t: Transcript,
    y: &RistrettoBasepointTable,
    is_one: subtle::Choice,
    m: &Scalar,
    r: &Scalar,
    [w, c_fake, z_fake]: &[Scalar; 3],
) -> [[u8; 32]; 4] {
    let honest = [G * w, y * w];
    let j_fake = Scalar::conditional_select(&Scalar::ONE, &Scalar::ZERO, is_one);
    let zr = Zeroizing::new(z_fake - c_fake * r);
    let shift = Zeroizing::new(c_fake * (j_fake - m));
    let simulated = [G * &*zr, y * &*zr + G * &*shift];
    let commits = crate::proofs::branch_commits(&honest, &simulated, is_one);
    for [a, b] in &commits {
        t.point(a);
        t.point(b);
    }
    let c = t.challenge();
    let c_true = c - c_fake;
    let z_true = Zeroizing::new(w + c_true * r);
    let pick =
        |when_zero: &Scalar, when_one: &Scalar| Scalar::conditional_select(when_zero, when_one, is_one);
    [
        pick(&c_true, c_fake).to_bytes(),
        pick(c_fake, &c_true).to_bytes(),
        pick(&z_true, z_fake).to_bytes(),
        pick(z_fake, &z_true).to_bytes(),
    ]
}
