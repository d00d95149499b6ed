//! One voter's encrypted ballot: per candidate line three ciphertexts (for,
//! against, abstain), each proven to encrypt 0 or 1, and a proof that the three
//! add up to exactly 1. Encrypting needs only the joint public key; verifying
//! needs the public key and the context, nothing secret.

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
use curve25519_dalek::scalar::Scalar;
use rand_core::{CryptoRng, RngCore};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::elgamal::{Ciphertext, Context, PublicKey};
use crate::encoding::{self, hex32, Transcript};
use crate::proofs::{self, Dleq, ZeroOne};

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
    #[error("candidate {candidate:?}: the proof that option {option:?} is 0 or 1 fails")]
    ZeroOneProofFails { candidate: String, option: Choice },
    #[error("candidate {candidate:?}: the proof that the three options add up to 1 fails")]
    SumProofFails { candidate: String },
}

/// Encrypts and proves one voter's ballot. Lines may come in any order; the
/// ballot holds them sorted by candidate id. The encryption randomness lives
/// only inside this call and is zeroized.
pub fn encrypt_ballot<R: RngCore + CryptoRng>(
    pk: &PublicKey,
    ctx: &Context,
    choices: &[(String, Choice)],
    rng: &mut R,
) -> Result<Ballot, BallotError> {
    let lines: Vec<(String, [i64; 3])> = choices
        .iter()
        .map(|(candidate, choice)| {
            let mut one_hot = [0; 3];
            one_hot[choice.index()] = 1;
            (candidate.clone(), one_hot)
        })
        .collect();
    encrypt_plaintexts(pk, ctx, &lines, rng)
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
    let mut sorted: Vec<&(String, [i64; 3])> = lines.iter().collect();
    sorted.sort_by(|x, y| x.0.cmp(&y.0));
    for (i, (candidate, _)) in sorted.iter().enumerate() {
        check_candidate(i, candidate)?;
        if i > 0 && sorted[i - 1].0 == *candidate {
            return Err(BallotError::DuplicateCandidate { candidate: candidate.clone() });
        }
    }
    let lines = sorted.into_iter().map(|(candidate, values)| encrypt_line(pk, ctx, candidate, values, rng));
    Ok(Ballot { version: BALLOT_VERSION, lines: lines.collect() })
}

fn encrypt_line<R: RngCore + CryptoRng>(
    pk: &PublicKey,
    ctx: &Context,
    candidate: &str,
    values: &[i64; 3],
    rng: &mut R,
) -> BallotLine {
    let mut r_sum = Zeroizing::new(Scalar::ZERO);
    let mut cts = [Ciphertext::zero(); 3];
    let mut rs: [Zeroizing<Scalar>; 3] = Default::default();
    for k in 0..3 {
        *rs[k] = Scalar::random(rng);
        *r_sum += *rs[k];
        cts[k] = Ciphertext::encrypt(pk, &scalar_from_i64(values[k]), &rs[k]);
    }
    let wire: [([u8; 32], [u8; 32]); 3] =
        cts.map(|ct| (ct.a.compress().to_bytes(), ct.b.compress().to_bytes()));
    let options = std::array::from_fn(|k| {
        let (a, b) = wire[k];
        let t = zero_one_transcript(ctx, candidate, k, pk, &a, &b);
        let real = usize::from(values[k] == 1);
        let proof = proofs::prove_zero_one(t, pk, &cts[k], real, &rs[k], rng);
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
    let sum = sum_transcript(ctx, candidate, pk, &wire.each_ref().map(|(a, b)| (a, b)));
    let proof = proofs::prove_dleq(sum, &pk.0, &r_sum, rng);
    BallotLine {
        candidate: candidate.to_owned(),
        options,
        sum_proof: SumProof { c: proof.c.to_bytes(), z: proof.z.to_bytes() },
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

/// Checks every proof and encoding of `ballot` for `pk` and `ctx`; on success
/// returns its decoded ciphertexts. Which candidates a voter may have lines
/// for (recusals) is the caller's rule, not checked here.
pub fn verify_ballot(pk: &PublicKey, ctx: &Context, ballot: &Ballot) -> Result<VerifiedBallot, BallotError> {
    if ballot.version != BALLOT_VERSION {
        return Err(BallotError::UnsupportedVersion(ballot.version));
    }
    let mut lines = Vec::with_capacity(ballot.lines.len());
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
        lines.push(verify_line(pk, ctx, line)?);
    }
    Ok(VerifiedBallot { tracker: ballot.tracker(), lines })
}

fn verify_line(pk: &PublicKey, ctx: &Context, line: &BallotLine) -> Result<VerifiedLine, BallotError> {
    let candidate = &line.candidate;
    let point = |bytes: &[u8; 32], part: String| {
        encoding::decode_point(bytes)
            .map_err(|_| BallotError::InvalidPoint { candidate: candidate.clone(), part })
    };
    let scalar = |bytes: &[u8; 32], part: String| {
        encoding::decode_scalar(bytes)
            .map_err(|_| BallotError::NonCanonicalScalar { candidate: candidate.clone(), part })
    };
    let mut cts = [Ciphertext::zero(); 3];
    for (k, option) in line.options.iter().enumerate() {
        let name = Choice::ALL[k].name();
        cts[k] = Ciphertext {
            a: point(&option.a, format!("{name}.a"))?,
            b: point(&option.b, format!("{name}.b"))?,
        };
        let p = &option.proof;
        let proof = ZeroOne {
            c: [scalar(&p.c0, format!("{name}.proof.c0"))?, scalar(&p.c1, format!("{name}.proof.c1"))?],
            z: [scalar(&p.z0, format!("{name}.proof.z0"))?, scalar(&p.z1, format!("{name}.proof.z1"))?],
        };
        let t = zero_one_transcript(ctx, candidate, k, pk, &option.a, &option.b);
        if !proofs::verify_zero_one(t, pk, &cts[k], &proof) {
            return Err(BallotError::ZeroOneProofFails {
                candidate: candidate.clone(),
                option: Choice::ALL[k],
            });
        }
    }
    let proof = Dleq {
        c: scalar(&line.sum_proof.c, "sum_proof.c".into())?,
        z: scalar(&line.sum_proof.z, "sum_proof.z".into())?,
    };
    let total = cts[0] + cts[1] + cts[2];
    let t = sum_transcript(ctx, candidate, pk, &line.options.each_ref().map(|o| (&o.a, &o.b)));
    if !proofs::verify_dleq(t, &pk.0, &total.a, &(total.b - RISTRETTO_BASEPOINT_POINT), &proof) {
        return Err(BallotError::SumProofFails { candidate: candidate.clone() });
    }
    Ok(VerifiedLine { candidate: candidate.clone(), ciphertexts: cts })
}

fn check_candidate(line: usize, candidate: &str) -> Result<(), BallotError> {
    if candidate.is_empty() {
        return Err(BallotError::EmptyCandidate { line });
    }
    if candidate.len() > MAX_CANDIDATE_ID_BYTES {
        return Err(BallotError::CandidateTooLong { candidate: candidate.to_owned() });
    }
    Ok(())
}

/// `zero-or-one`: context, candidate, option index (1 byte), Y, a, b; the
/// prover then appends the commitments of branch 0 and branch 1. Points go in
/// as their (canonical) wire bytes.
fn zero_one_transcript(
    ctx: &Context,
    candidate: &str,
    option: usize,
    pk: &PublicKey,
    a: &[u8; 32],
    b: &[u8; 32],
) -> Transcript {
    let mut t = Transcript::new("zero-or-one");
    t.context(ctx);
    t.field(candidate.as_bytes());
    t.field(&[option as u8]);
    t.field(&pk.to_bytes());
    t.field(a);
    t.field(b);
    t
}

/// `sum-to-one`: context, candidate, Y, then a and b of the three options.
fn sum_transcript(
    ctx: &Context,
    candidate: &str,
    pk: &PublicKey,
    cts: &[(&[u8; 32], &[u8; 32]); 3],
) -> Transcript {
    let mut t = Transcript::new("sum-to-one");
    t.context(ctx);
    t.field(candidate.as_bytes());
    t.field(&pk.to_bytes());
    for (a, b) in cts {
        t.field(*a);
        t.field(*b);
    }
    t
}
