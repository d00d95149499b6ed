//! Audited ballots ("audit or cast", the Benaloh challenge): a ballot the
//! member chose to audit (检验) instead of casting is spoiled, never counted,
//! and its encryptor releases every ciphertext's randomness `r`. Anyone then
//! reads what it encrypted without any key: `a` must be `r·G`, and
//! `b − r·Y` is `m·G` with `m` 0 or 1 (docs/ballot-protocol.md, section 11).

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::Identity;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::ballot::{Ballot, Choice};
use crate::elgamal::PublicKey;
use crate::encoding::{self, hex32};

/// The randomness of every ciphertext of a ballot, in ballot order.
/// JSON: `{"lines": [{"candidate": "c-01", "r": ["<hex>", "<hex>", "<hex>"]}]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BallotRandomness {
    /// One entry per ballot line, in the ballot's order.
    pub lines: Vec<LineRandomness>,
}

/// The randomness of one line's three ciphertexts (for, against, abstain).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineRandomness {
    /// The line's candidate id.
    pub candidate: String,
    /// `r` of each option, little-endian canonical scalars.
    pub r: [Hex32; 3],
}

/// 32 bytes as 64 lowercase hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Hex32(#[serde(with = "hex32")] pub [u8; 32]);

/// Why an audited ballot's randomness does not open it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuditError {
    /// The randomness does not have one entry per line, in the ballot's order.
    #[error("the randomness does not list the ballot's lines")]
    LinesDiffer,
    /// `a` is not `r·G` (or `r` is not a canonical nonzero scalar).
    #[error("candidate {candidate:?}: the randomness of option \"{option}\" does not match its ciphertext")]
    RandomnessMismatch {
        /// The line.
        candidate: String,
        /// The option.
        option: Choice,
    },
    /// `b − r·Y` is neither the identity nor `G`.
    #[error("candidate {candidate:?}: option \"{option}\" encrypts neither 0 nor 1")]
    NotZeroOrOne {
        /// The line.
        candidate: String,
        /// The option.
        option: Choice,
    },
    /// The line encrypts no choice or more than one.
    #[error("candidate {candidate:?}: the line does not encrypt exactly one choice")]
    NotOneChoice {
        /// The line.
        candidate: String,
    },
}

/// What each line of `ballot` encrypted, read with its released randomness.
/// Checks the randomness only; the ballot's proofs are [`crate::verify_ballot`]'s.
pub fn open_audited(
    pk: &PublicKey,
    ballot: &Ballot,
    randomness: &BallotRandomness,
) -> Result<Vec<(String, Choice)>, AuditError> {
    if ballot.lines.len() != randomness.lines.len() {
        return Err(AuditError::LinesDiffer);
    }
    let g = RISTRETTO_BASEPOINT_POINT;
    let mut out = Vec::with_capacity(ballot.lines.len());
    for (line, rs) in ballot.lines.iter().zip(&randomness.lines) {
        if line.candidate != rs.candidate {
            return Err(AuditError::LinesDiffer);
        }
        let candidate = || line.candidate.clone();
        let mut chosen = Vec::new();
        for (k, option) in Choice::ALL.into_iter().enumerate() {
            let mismatch = || AuditError::RandomnessMismatch { candidate: candidate(), option };
            let r = encoding::decode_scalar(&rs.r[k].0).map_err(|_| mismatch())?;
            let a = encoding::decode_point(&line.options[k].a).map_err(|_| mismatch())?;
            let b = encoding::decode_point(&line.options[k].b).map_err(|_| mismatch())?;
            if r == Scalar::ZERO || a != g * r {
                return Err(mismatch());
            }
            let m = b - pk.0 * r;
            if m == g {
                chosen.push(option);
            } else if m != curve25519_dalek::ristretto::RistrettoPoint::identity() {
                return Err(AuditError::NotZeroOrOne { candidate: candidate(), option });
            }
        }
        match chosen[..] {
            [one] => out.push((line.candidate.clone(), one)),
            _ => return Err(AuditError::NotOneChoice { candidate: candidate() }),
        }
    }
    Ok(out)
}

impl BallotRandomness {
    /// From the encryptor's secret scalars (ballot order).
    pub(crate) fn from_scalars(lines: Vec<(String, [Zeroizing<Scalar>; 3])>) -> Self {
        BallotRandomness {
            lines: lines
                .into_iter()
                .map(|(candidate, rs)| LineRandomness { candidate, r: rs.map(|r| Hex32(r.to_bytes())) })
                .collect(),
        }
    }
}
