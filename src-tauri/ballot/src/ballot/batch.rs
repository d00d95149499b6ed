//! The fast ballot verifier: the same three passes and the same answers as
//! the reference [`verify_ballot`](super::verify_ballot), with the work
//! spread over the cores and the commitments encoded in batches.
//!
//! Why not a random linear combination: the proofs are stored compactly
//! (challenges and responses, no commitments), so the verifier must rebuild
//! every commitment on its own and hash its exact encoding to compare with
//! the challenge; there is no equation left to combine. What is batched is
//! the encoding: each commitment is computed halved and one
//! double-and-encode per line (a single field inversion) gives all fourteen
//! encodings, where the reference pays one inverse square root per point.
//! See "Verifying many ballots" in `docs/ballot-protocol.md`.

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
use curve25519_dalek::ristretto::RistrettoPoint;
use rayon::prelude::*;

use super::verify::{ballot_digest, check_structure, decode_line, Decoded};
use super::{sum_transcript, zero_one_transcript, Ballot, BallotError, BallotLine, Choice};
use super::{VerifiedBallot, VerifiedLine};
use crate::elgamal::{Context, PublicKey};
use crate::proofs;

/// Verifies many ballots (a whole box) on every core. Each answer is the one
/// [`verify_ballot`](super::verify_ballot) gives for that ballot, in the
/// same order as `ballots`: a faulty ballot is named by its own error (the
/// candidate line and the proof or value at fault) and does not affect the
/// others.
pub fn verify_ballots(
    pk: &PublicKey,
    ctx: &Context,
    ballots: &[&Ballot],
) -> Vec<Result<VerifiedBallot, BallotError>> {
    ballots.par_iter().map(|b| verify_ballot_fast(pk, ctx, b)).collect()
}

/// One ballot, its lines checked on every core; the same answer as
/// [`verify_ballot`](super::verify_ballot), including which error comes
/// first when several lines are bad (the first in ballot order).
pub fn verify_ballot_fast(
    pk: &PublicKey,
    ctx: &Context,
    ballot: &Ballot,
) -> Result<VerifiedBallot, BallotError> {
    check_structure(ballot)?;
    // Collected in order, so the first bad line in ballot order is the one
    // reported, whichever thread saw it first.
    let decoded: Vec<Result<Decoded, BallotError>> =
        ballot.lines.par_iter().with_min_len(16).map(decode_line).collect();
    let decoded = decoded.into_iter().collect::<Result<Vec<_>, _>>()?;
    let digest = ballot_digest(ballot);
    let checked: Vec<Result<VerifiedLine, BallotError>> = ballot
        .lines
        .par_iter()
        .zip(decoded.into_par_iter())
        .with_min_len(16)
        .map(|(line, d)| check_line(pk, ctx, &digest, line, d))
        .collect();
    let lines = checked.into_iter().collect::<Result<Vec<_>, _>>()?;
    Ok(VerifiedBallot { tracker: ballot.tracker(), lines })
}

/// The proofs of one decoded line: the three 0-or-1 proofs in option order,
/// then the sum proof, each failing with the reference's error.
fn check_line(
    pk: &PublicKey,
    ctx: &Context,
    digest: &[u8; 64],
    line: &BallotLine,
    d: Decoded,
) -> Result<VerifiedLine, BallotError> {
    let candidate = &line.candidate;
    let Decoded { cts, zero_one, sum } = d;
    let total = cts[0] + cts[1] + cts[2];
    let mut halves = [RistrettoPoint::default(); 14];
    for k in 0..3 {
        halves[4 * k..4 * k + 4].copy_from_slice(&proofs::zero_one_half_commitments(
            pk,
            &cts[k],
            &zero_one[k],
        ));
    }
    halves[12..].copy_from_slice(&proofs::dleq_half_commitments(
        &pk.0,
        &total.a,
        &(total.b - RISTRETTO_BASEPOINT_POINT),
        &sum,
    ));
    let encoded = RistrettoPoint::double_and_compress_batch(&halves);
    let wire = line.options.each_ref().map(|o| (&o.a, &o.b));
    for k in 0..3 {
        let t = zero_one_transcript(ctx, digest, candidate, k, pk, wire[k]);
        let expected = zero_one[k].c[0] + zero_one[k].c[1];
        if !proofs::challenge_matches(t, &encoded[4 * k..4 * k + 4], expected) {
            return Err(BallotError::ZeroOneProofFails {
                candidate: candidate.clone(),
                option: Choice::ALL[k],
            });
        }
    }
    let t = sum_transcript(ctx, digest, candidate, pk, &wire);
    if !proofs::challenge_matches(t, &encoded[12..], sum.c) {
        return Err(BallotError::SumProofFails { candidate: candidate.clone() });
    }
    Ok(VerifiedLine { candidate: candidate.clone(), ciphertexts: cts })
}
