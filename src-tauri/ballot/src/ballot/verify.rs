//! Verifying a ballot in three passes: structure (version, candidate ids,
//! order), then every encoding (with no ciphertext whose `a` is the
//! identity), then every proof. The first two passes name the exact value at
//! fault; the proofs all bind the ciphertext digest, so an edit of any
//! ciphertext makes the first line's proofs fail.

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::Identity;

use super::{
    check_candidate, ciphertext_digest, sum_transcript, zero_one_transcript, Ballot, BallotError, BallotLine,
    Choice, VerifiedBallot, VerifiedLine, BALLOT_VERSION,
};
use crate::elgamal::{Ciphertext, Context, PublicKey};
use crate::encoding;
use crate::proofs::{self, Dleq, ZeroOne};

/// Checks every proof and encoding of `ballot` for `pk` and `ctx`; on success
/// returns its decoded ciphertexts. Which candidates a voter may have lines
/// for (recusals), and that no tracker is cast twice, are the caller's rules.
///
/// This is the reference verifier, one proof at a time;
/// [`verify_ballots`](crate::verify_ballots) gives the same answers faster.
pub fn verify_ballot(pk: &PublicKey, ctx: &Context, ballot: &Ballot) -> Result<VerifiedBallot, BallotError> {
    check_structure(ballot)?;
    let decoded = ballot.lines.iter().map(decode_line).collect::<Result<Vec<_>, _>>()?;
    let digest = ballot_digest(ballot);
    let mut lines = Vec::with_capacity(ballot.lines.len());
    for (line, decoded) in ballot.lines.iter().zip(decoded) {
        lines.push(verify_line(pk, ctx, &digest, line, decoded)?);
    }
    Ok(VerifiedBallot { tracker: ballot.tracker(), lines })
}

/// The ballot's ciphertext digest, as every proof binds it.
pub(super) fn ballot_digest(ballot: &Ballot) -> [u8; 64] {
    ciphertext_digest(
        ballot.lines.iter().map(|l| (l.candidate.as_str(), l.options.each_ref().map(|o| (&o.a, &o.b)))),
    )
}

/// The first pass: version, candidate ids, their order.
pub(super) fn check_structure(ballot: &Ballot) -> Result<(), BallotError> {
    if ballot.version != BALLOT_VERSION {
        return Err(BallotError::UnsupportedVersion(ballot.version));
    }
    for (i, line) in ballot.lines.iter().enumerate() {
        let candidate = &line.candidate;
        check_candidate(i, candidate)?;
        if i > 0 {
            let previous = &ballot.lines[i - 1].candidate;
            if previous == candidate {
                return Err(BallotError::DuplicateCandidate { candidate: candidate.clone() });
            }
            if previous > candidate {
                return Err(BallotError::LinesOutOfOrder { candidate: candidate.clone() });
            }
        }
    }
    Ok(())
}

/// The ballot's ciphertexts decoded, without checking its proofs: for a
/// tally over a box whose ballots were each verified when cast. An auditor
/// checks every proof again with [`verify_ballot`].
pub fn ballot_ciphertexts(ballot: &Ballot) -> Result<Vec<VerifiedLine>, BallotError> {
    ballot
        .lines
        .iter()
        .map(|line| {
            Ok(VerifiedLine { candidate: line.candidate.clone(), ciphertexts: decode_line(line)?.cts })
        })
        .collect()
}

/// A line's ciphertexts and proofs, decoded.
pub(super) struct Decoded {
    pub(super) cts: [Ciphertext; 3],
    pub(super) zero_one: [ZeroOne; 3],
    pub(super) sum: Dleq,
}

/// The second pass for one line: every point and scalar decoded, naming the
/// first that is not canonical (and refusing an identity `a`).
pub(super) fn decode_line(line: &BallotLine) -> Result<Decoded, BallotError> {
    let candidate = &line.candidate;
    let point = |bytes: &[u8; 32], part: String| {
        encoding::decode_point(bytes)
            .map_err(|_| BallotError::InvalidPoint { candidate: candidate.clone(), part })
    };
    let scalar = |bytes: &[u8; 32], part: String| -> Result<Scalar, BallotError> {
        encoding::decode_scalar(bytes)
            .map_err(|_| BallotError::NonCanonicalScalar { candidate: candidate.clone(), part })
    };
    let mut cts = [Ciphertext::zero(); 3];
    let mut zero_one: [ZeroOne; 3] =
        std::array::from_fn(|_| ZeroOne { c: [Scalar::ZERO; 2], z: [Scalar::ZERO; 2] });
    for (k, option) in line.options.iter().enumerate() {
        let name = Choice::ALL[k].name();
        let a = point(&option.a, format!("{name}.a"))?;
        if a == RistrettoPoint::identity() {
            // r = 0: b = m·G is the choice in the clear. Its proofs would
            // verify, so it is refused here, before any proof is checked.
            return Err(BallotError::IdentityCiphertext {
                candidate: candidate.clone(),
                option: Choice::ALL[k],
            });
        }
        cts[k] = Ciphertext { a, b: point(&option.b, format!("{name}.b"))? };
        let p = &option.proof;
        zero_one[k] = ZeroOne {
            c: [scalar(&p.c0, format!("{name}.proof.c0"))?, scalar(&p.c1, format!("{name}.proof.c1"))?],
            z: [scalar(&p.z0, format!("{name}.proof.z0"))?, scalar(&p.z1, format!("{name}.proof.z1"))?],
        };
    }
    let sum = Dleq {
        c: scalar(&line.sum_proof.c, "sum_proof.c".into())?,
        z: scalar(&line.sum_proof.z, "sum_proof.z".into())?,
    };
    Ok(Decoded { cts, zero_one, sum })
}

fn verify_line(
    pk: &PublicKey,
    ctx: &Context,
    digest: &[u8; 64],
    line: &BallotLine,
    decoded: Decoded,
) -> Result<VerifiedLine, BallotError> {
    let candidate = &line.candidate;
    let Decoded { cts, zero_one, sum } = decoded;
    for (k, option) in line.options.iter().enumerate() {
        let t = zero_one_transcript(ctx, digest, candidate, k, pk, (&option.a, &option.b));
        if !proofs::verify_zero_one(t, pk, &cts[k], &zero_one[k]) {
            return Err(BallotError::ZeroOneProofFails {
                candidate: candidate.clone(),
                option: Choice::ALL[k],
            });
        }
    }
    let total = cts[0] + cts[1] + cts[2];
    let t = sum_transcript(ctx, digest, candidate, pk, &line.options.each_ref().map(|o| (&o.a, &o.b)));
    if !proofs::verify_dleq(t, &pk.0, &total.a, &(total.b - RISTRETTO_BASEPOINT_POINT), &sum) {
        return Err(BallotError::SumProofFails { candidate: candidate.clone() });
    }
    Ok(VerifiedLine { candidate: candidate.clone(), ciphertexts: cts })
}
