//! The numbered steps of `docs/verification.md`. Every problem `verify`
//! finds belongs to one of them, so that `conclave verify` and the
//! independent `verifier.html` can be held to fail a tampered archive at the
//! same step, and an auditor can read which promise an archive breaks.

use crate::i18n::{Lang, Msg};
use serde::Serialize;
use ts_rs::TS;

/// A step of the verification spec, in the spec's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    /// V1: `index.json`, `index.sig`, `public-key.txt`, the spec version.
    Index = 1,
    /// V2: every file's hash and size; none missing, none added.
    Files,
    /// V3: the audit chain's hashes.
    Chain,
    /// V4: the signing and election keys against the key ceremony's entries.
    Keys,
    /// V5: roster, attendance, recusals, rules and rounds replayed from the chain.
    Replay,
    /// V6: each round's register against its opening entry and the replay.
    Registers,
    /// V7: each encrypted ballot's proofs.
    Ballots,
    /// V8: the box against the chain's `ballot.cast` entries, the box roots.
    Casts,
    /// V9: the homomorphic sums and the number of ballots per candidate.
    Sums,
    /// V10: the trustees' decryption proofs and their Lagrange combination.
    Decryptions,
    /// V11: the tallies from the counts and the rules.
    Counts,
    /// V12: paper rounds' agreed counts and plain ballots.
    Paper,
    /// V13: the sealed PDFs and what they print.
    Documents,
}

impl Step {
    pub const ALL: [Step; 13] = [
        Step::Index,
        Step::Files,
        Step::Chain,
        Step::Keys,
        Step::Replay,
        Step::Registers,
        Step::Ballots,
        Step::Casts,
        Step::Sums,
        Step::Decryptions,
        Step::Counts,
        Step::Paper,
        Step::Documents,
    ];

    /// `V1` … `V13`, as the spec numbers them.
    pub fn id(self) -> String {
        format!("V{}", self as u8)
    }
}

/// One step's outcome in a verdict.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct StepResult {
    /// The spec's number: `V1` … `V13`.
    pub id: String,
    /// The step's title in the verdict's language.
    pub title: String,
    /// Whether the step ran: after a forged index nothing else is read,
    /// and a step not run is never reported as passed.
    pub ran: bool,
    pub passed: bool,
    /// How many things the step checked (files, entries, ballots, proofs…).
    pub count: usize,
    pub problems: Vec<String>,
}

impl StepResult {
    /// Every step, none run yet.
    pub fn all(lang: Lang) -> Vec<StepResult> {
        Step::ALL
            .iter()
            .map(|s| StepResult {
                id: s.id(),
                title: Msg::VerifyStepTitle { id: s.id() }.render(lang),
                ran: false,
                passed: false,
                count: 0,
                problems: Vec::new(),
            })
            .collect()
    }
}
