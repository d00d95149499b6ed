//! Audited ballots (检验, "audit or cast", issue 28). On the review screen a
//! member may audit the ballot their terminal sealed instead of casting it:
//! the terminal releases its randomness and the host records it spoiled —
//! never in the box, never counted, the chain entry `ballot.spoil` with the
//! round and tracker (never the member). The member then votes again, and
//! still casts one counted ballot. The check runs here, not on the terminal
//! that made the ballot: [`check`] reads with the released randomness which
//! choice each line encrypted, for the member to compare with their marks.

use super::Choice;
use crate::audit;
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::store::{self, Meeting};
use conclave_ballot::{AuditError, Ballot, BallotRandomness};
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

/// What a member's terminal is told after an audit.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SpoilReceipt {
    /// The short tracker to find in the window's 核验被检验的选票.
    pub tracker: String,
    pub tracker_hex: String,
    /// The audit chain's head with the `ballot.spoil` entry, short.
    pub chain_head: String,
}

/// The chain entry of an audited ballot.
pub(crate) fn spoil_entry(round: i64, tracker_hex: &str) -> serde_json::Value {
    serde_json::json!({ "round": round, "tracker": tracker_hex })
}

/// Records `member`'s sealed ballot as audited (spoiled) in `round`, with
/// its released randomness. Refused as a cast would be (the round, the
/// member, their lines, the proofs), and when the ballot was already cast
/// or already audited (a replayed request): nothing is written then.
pub fn spoil(
    conn: &mut Meeting,
    round: i64,
    member: &str,
    ballot: &Ballot,
    randomness: &BallotRandomness,
) -> Result<SpoilReceipt> {
    super::station::check_lines(conn, round, member, ballot)?;
    let verified = {
        let keys = crate::api::trustees::require_keys(conn)?;
        let ctx = crate::api::tally::context(conn, round)?;
        conclave_ballot::verify_ballot(keys.joint(), &ctx, ballot)
            .map_err(|e| Error::invalid("ballot", Msg::BallotRefused { detail: e.to_string() }))?
    };
    let tracker = verified.tracker.to_hex();
    let tx = conn.write()?;
    super::station::check_lines(&tx, round, member, ballot)?;
    if store::ballot_box::holds_tracker(&tx, round, &tracker)? {
        return Err(Error::invalid("ballot", Msg::AuditCastBallot { tracker: verified.tracker.short() }));
    }
    if store::spoiled::holds(&tx, round, &tracker)? {
        return Err(Error::invalid("ballot", Msg::AuditAgain { tracker: verified.tracker.short() }));
    }
    store::spoiled::add(
        &tx,
        round,
        &tracker,
        &serde_json::to_string(ballot)?,
        &serde_json::to_string(randomness)?,
    )?;
    let head = audit::append(&tx, "ballot.spoil", &spoil_entry(round, &tracker))?;
    tx.commit()?;
    tracing::info!(round, "a member audited a ballot (spoiled, not counted)");
    Ok(SpoilReceipt {
        tracker: verified.tracker.short(),
        tracker_hex: tracker,
        chain_head: audit::short(&head),
    })
}

/// An audited ballot in the list of 核验被检验的选票 and the minutes.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Audited {
    #[ts(type = "number")]
    pub round: i64,
    pub tracker: String,
    pub tracker_hex: String,
}

/// Every audited ballot of the meeting, by round then tracker.
pub fn audited(conn: &Connection) -> Result<Vec<Audited>> {
    store::spoiled::all(conn)?
        .into_iter()
        .map(|s| Ok(Audited { round: s.round, tracker: short_of(&s.tracker)?, tracker_hex: s.tracker }))
        .collect()
}

fn short_of(hex: &str) -> Result<String> {
    let bytes: [u8; 32] = hex::decode(hex)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or(Error::Integrity(Msg::AuditedUnreadable))?;
    Ok(conclave_ballot::Tracker::from_bytes(bytes).short())
}

/// One line of a checked audited ballot: the choice it encrypted.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AuditedLine {
    pub candidate_id: String,
    pub name: String,
    pub choice: Choice,
}

/// What an audited ballot encrypted.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AuditedCheck {
    #[ts(type = "number")]
    pub round: i64,
    pub tracker: String,
    pub tracker_hex: String,
    pub lines: Vec<AuditedLine>,
}

/// 核验被检验的选票: reads the audited ballot `tracker` (full hex, or the short
/// form) of `round` with its released randomness. Its proofs are checked
/// again, then each ciphertext against its randomness; a ballot whose
/// randomness does not open it is refused naming the candidate and option —
/// a terminal that did not encrypt what it was given.
pub fn check_audited(conn: &Connection, round: i64, tracker: &str) -> Result<AuditedCheck> {
    let wanted = tracker.trim().to_ascii_lowercase().replace('-', "");
    let found = audited(conn)?
        .into_iter()
        .find(|a| {
            a.round == round
                && (a.tracker_hex == wanted || a.tracker.replace('-', "").to_ascii_lowercase() == wanted)
        })
        .ok_or_else(|| Error::NotFound(Msg::AuditedNotFound { round, tracker: tracker.into() }))?;
    let stored = store::spoiled::one(conn, round, &found.tracker_hex)?
        .ok_or(Error::Integrity(Msg::AuditedUnreadable))?;
    let ballot: Ballot =
        serde_json::from_str(&stored.data).map_err(|_| Error::Integrity(Msg::AuditedUnreadable))?;
    let randomness: BallotRandomness =
        serde_json::from_str(&stored.randomness).map_err(|_| Error::Integrity(Msg::AuditedUnreadable))?;
    let keys = crate::api::trustees::require_keys(conn)?;
    let ctx = crate::api::tally::context(conn, round)?;
    conclave_ballot::verify_ballot(keys.joint(), &ctx, &ballot)
        .map_err(|e| Error::invalid("ballot", Msg::BallotRefused { detail: e.to_string() }))?;
    let opened =
        conclave_ballot::open_audited(keys.joint(), &ballot, &randomness).map_err(|e| refusal(conn, e))?;
    let mut lines = Vec::with_capacity(opened.len());
    for (candidate_id, choice) in opened {
        let name = name_of(conn, &candidate_id);
        lines.push(AuditedLine { candidate_id, name, choice: Choice::from_sealed(choice) });
    }
    Ok(AuditedCheck { round, tracker: found.tracker, tracker_hex: found.tracker_hex, lines })
}

/// A candidate's name (their id when the name cannot be read).
fn name_of(conn: &Connection, id: &str) -> String {
    store::spoiled::candidate_name(conn, id).ok().flatten().unwrap_or_else(|| id.to_string())
}

/// The refusal naming the candidate (by name) and the option at fault.
fn refusal(conn: &Connection, e: AuditError) -> Error {
    let place = match &e {
        AuditError::LinesDiffer => "randomness".to_string(),
        AuditError::RandomnessMismatch { candidate, .. }
        | AuditError::NotZeroOrOne { candidate, .. }
        | AuditError::NotOneChoice { candidate } => candidate.clone(),
    };
    Error::invalid(place, audit_msg(e, |id| name_of(conn, id)))
}

/// What an audited ballot that does not open says, naming the candidate by
/// `name` (the meeting's name for them, or the id where only that is known).
pub(crate) fn audit_msg(e: AuditError, name: impl Fn(&str) -> String) -> Msg {
    let option = |o: conclave_ballot::Choice| Choice::from_sealed(o).as_str().to_string();
    match e {
        AuditError::LinesDiffer => Msg::AuditedLinesDiffer,
        AuditError::RandomnessMismatch { candidate, option: o } => {
            Msg::AuditedMismatch { candidate: name(&candidate), option: option(o) }
        }
        AuditError::NotZeroOrOne { candidate, option: o } => {
            Msg::AuditedNotZeroOrOne { candidate: name(&candidate), option: option(o) }
        }
        AuditError::NotOneChoice { candidate } => Msg::AuditedNotOneChoice { candidate: name(&candidate) },
    }
}
