//! One voter's encrypted ballot: per candidate line three ciphertexts (for,
//! against, abstain), each proven to encrypt 0 or 1, and a proof that the three
//! add up to exactly 1. Encrypting needs only the joint public key; verifying
//! needs the public key and the context, nothing secret.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha512};

use crate::elgamal::{Ciphertext, Context, PublicKey};
use crate::encoding::{hex32, put_field, Transcript, PROTOCOL};

mod batch;
mod encrypt;
mod encrypt_reference;
mod verify;

pub use batch::{verify_ballot_fast, verify_ballots};
pub use encrypt::{encrypt_ballot, encrypt_ballot_revealable, encrypt_plaintexts};
pub use encrypt_reference::encrypt_plaintexts_reference;
pub use verify::{ballot_ciphertexts, verify_ballot};

/// Format version written in every ballot's JSON (`"version": 1`).
pub const BALLOT_VERSION: u32 = 1;

/// Longest candidate id accepted, in UTF-8 bytes.
pub const MAX_CANDIDATE_ID_BYTES: usize = 256;

/// A voter's choice on one candidate. The option index (0, 1, 2) is the
/// position of its ciphertext in a line and is bound by every proof.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Choice {
    /// 同意, option 0.
    For,
    /// 不同意, option 1.
    Against,
    /// 弃权, option 2.
    Abstain,
}

impl Choice {
    /// The three options in ciphertext order.
    pub const ALL: [Choice; 3] = [Choice::For, Choice::Against, Choice::Abstain];

    /// The option index: For = 0, Against = 1, Abstain = 2.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The lowercase name used in JSON and in error messages.
    pub fn name(self) -> &'static str {
        ["for", "against", "abstain"][self.index()]
    }
}

impl std::fmt::Display for Choice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// An encrypted ballot in its stored (wire) form. Nothing in it is trusted
/// before [`verify_ballot`] accepts it; fields are raw bytes so that the
/// verifier can say exactly which line and which value is bad.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ballot {
    /// Always [`BALLOT_VERSION`].
    pub version: u32,
    /// One line per candidate, in strictly ascending byte order of candidate id.
    pub lines: Vec<BallotLine>,
}

/// One candidate's line of a [`Ballot`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BallotLine {
    /// The candidate's id, as bound into every proof of the line.
    pub candidate: String,
    /// The ciphertexts for, against and abstain, in that order.
    pub options: [EncryptedOption; 3],
    /// Proof that the three ciphertexts add up to an encryption of 1.
    pub sum_proof: SumProof,
}

/// One option's ciphertext `(a, b)` with its 0-or-1 proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EncryptedOption {
    /// `r·G`, compressed.
    #[serde(with = "hex32")]
    pub a: [u8; 32],
    /// `m·G + r·Y`, compressed.
    #[serde(with = "hex32")]
    pub b: [u8; 32],
    /// The disjunctive proof that `m` is 0 or 1.
    pub proof: ZeroOneProof,
}

/// Challenges and responses of the disjunctive Chaum–Pedersen proof (branch 0, branch 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct ZeroOneProof {
    #[serde(with = "hex32")]
    pub c0: [u8; 32],
    #[serde(with = "hex32")]
    pub c1: [u8; 32],
    #[serde(with = "hex32")]
    pub z0: [u8; 32],
    #[serde(with = "hex32")]
    pub z1: [u8; 32],
}

/// Challenge and response of the Chaum–Pedersen proof that a line sums to 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct SumProof {
    #[serde(with = "hex32")]
    pub c: [u8; 32],
    #[serde(with = "hex32")]
    pub z: [u8; 32],
}

/// A ballot that passed [`verify_ballot`]: its decoded ciphertexts, ready to tally.
#[derive(Debug, Clone)]
pub struct VerifiedBallot {
    /// The ballot's tracker.
    pub tracker: crate::Tracker,
    /// The lines in ballot order.
    pub lines: Vec<VerifiedLine>,
}

/// One verified line.
#[derive(Debug, Clone)]
pub struct VerifiedLine {
    /// The candidate's id.
    pub candidate: String,
    /// The ciphertexts for, against and abstain.
    pub ciphertexts: [Ciphertext; 3],
}

/// Why a ballot cannot be made or was refused (each message names the candidate line).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[allow(missing_docs)] // the messages say it
pub enum BallotError {
    #[error("unsupported ballot version {0} (expected {BALLOT_VERSION})")]
    UnsupportedVersion(u32),
    #[error("ballot line {line}: the candidate id is empty")]
    EmptyCandidate { line: usize },
    #[error("candidate {candidate:?}: the id is longer than {MAX_CANDIDATE_ID_BYTES} bytes")]
    CandidateTooLong { candidate: String },
    #[error("candidate {candidate:?} has more than one line")]
    DuplicateCandidate { candidate: String },
    #[error("candidate {candidate:?}: lines are not in ascending order of candidate id")]
    LinesOutOfOrder { candidate: String },
    #[error("candidate {candidate:?}: {part} is not a canonical ristretto255 point")]
    InvalidPoint { candidate: String, part: String },
    #[error("candidate {candidate:?}: {part} is not a canonical scalar")]
    NonCanonicalScalar { candidate: String, part: String },
    /// `a = r·G` is the identity, so `r = 0` and `b = m·G` shows the choice to
    /// anyone: such a ballot would let a member prove how they voted.
    #[error(
        "candidate {candidate:?}: option {option:?} has the identity as its first component \
         (r = 0 would show the choice in the clear)"
    )]
    IdentityCiphertext { candidate: String, option: Choice },
    #[error("candidate {candidate:?}: the proof that option {option:?} is 0 or 1 fails")]
    ZeroOneProofFails { candidate: String, option: Choice },
    #[error("candidate {candidate:?}: the proof that the three options add up to 1 fails")]
    SumProofFails { candidate: String },
}

pub(crate) fn check_candidate(line: usize, candidate: &str) -> Result<(), BallotError> {
    if candidate.is_empty() {
        return Err(BallotError::EmptyCandidate { line });
    }
    if candidate.len() > MAX_CANDIDATE_ID_BYTES {
        return Err(BallotError::CandidateTooLong { candidate: candidate.to_owned() });
    }
    Ok(())
}

/// The wire bytes `(a, b)` of a line's three ciphertexts.
pub(crate) type LineBytes<'a> = [(&'a [u8; 32], &'a [u8; 32]); 3];

/// SHA-512 over the fields `"conclave-ballot/v1"`, `"ballot-ciphertexts"`, the
/// line count (u32 big-endian), then per line the candidate id and a, b of
/// each option. Every proof of the ballot binds it, so a line copied into
/// another ballot does not verify there.
pub(crate) fn ciphertext_digest<'a>(
    lines: impl ExactSizeIterator<Item = (&'a str, LineBytes<'a>)>,
) -> [u8; 64] {
    let mut out = Vec::with_capacity(64 + lines.len() * 230);
    put_field(&mut out, PROTOCOL);
    put_field(&mut out, b"ballot-ciphertexts");
    put_field(&mut out, &(lines.len() as u32).to_be_bytes());
    for (candidate, cts) in lines {
        put_field(&mut out, candidate.as_bytes());
        for (a, b) in cts {
            put_field(&mut out, a);
            put_field(&mut out, b);
        }
    }
    Sha512::digest(out).into()
}

/// `zero-or-one`: context, ciphertext digest, candidate, option index (1 byte),
/// Y, a, b; the prover then appends the commitments of branch 0 and branch 1.
/// Points go in as their (canonical) wire bytes.
pub(crate) fn zero_one_transcript(
    ctx: &Context,
    digest: &[u8; 64],
    candidate: &str,
    option: usize,
    pk: &PublicKey,
    (a, b): (&[u8; 32], &[u8; 32]),
) -> Transcript {
    let mut t = Transcript::new("zero-or-one");
    t.context(ctx);
    t.field(digest);
    t.field(candidate.as_bytes());
    t.field(&[option as u8]);
    t.field(&pk.to_bytes());
    t.field(a);
    t.field(b);
    t
}

/// `sum-to-one`: context, ciphertext digest, candidate, Y, then a and b of the
/// three options; the prover then appends its two commitments.
pub(crate) fn sum_transcript(
    ctx: &Context,
    digest: &[u8; 64],
    candidate: &str,
    pk: &PublicKey,
    cts: &LineBytes<'_>,
) -> Transcript {
    let mut t = Transcript::new("sum-to-one");
    t.context(ctx);
    t.field(digest);
    t.field(candidate.as_bytes());
    t.field(&pk.to_bytes());
    for (a, b) in cts {
        t.field(*a);
        t.field(*b);
    }
    t
}
