//! The voting station and sealed ballots: who may vote on what, casting an
//! encrypted ballot, and accepting one made elsewhere (a member's terminal).

use super::{compact_after_commit, Choice};
use crate::api::session;
use crate::audit;
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::store::{self, Meeting};
use rusqlite::Connection;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use ts_rs::TS;

/// One line of a member's ballot.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct BallotLine {
    pub candidate_id: String,
    pub name: String,
    pub organization: String,
    pub applied_title: String,
    /// The candidate's flags, shown on the ballot as on every other screen.
    pub flags: Vec<crate::domain::flags::Flag>,
}

fn member_name(conn: &Connection, member: &str) -> Result<String> {
    store::roster::member_name(conn, member)?
        .ok_or_else(|| Error::NotFound(Msg::MemberNotFound { id: member.into() }))
}

fn check_can_vote(conn: &Connection, round: i64, member: &str) -> Result<()> {
    match store::round::closed_at_and_mode(conn, round)? {
        None => return Err(Error::NotFound(Msg::RoundNotFound { id: round })),
        Some((Some(_), _)) => return Err(Error::invalid("round", Msg::RoundNotOpen { id: round })),
        Some((None, mode)) if mode == "paper" => {
            return Err(Error::invalid("round", Msg::PaperRound { id: round }))
        }
        Some((None, _)) => {}
    }
    let name = member_name(conn, member)?;
    let present = session::attendance(conn)?.iter().any(|a| a.id == member && a.present);
    if !present {
        return Err(Error::invalid("member", Msg::NotPresent { name }));
    }
    if store::ballot_box::has_voted(conn, round, member)? {
        return Err(Error::invalid("member", Msg::AlreadyVoted { name }));
    }
    Ok(())
}

/// The ballot `member` may cast in `round`: the candidates they are not
/// recused from.
pub fn ballot_for(conn: &Connection, round: i64, member: &str) -> Result<Vec<BallotLine>> {
    check_can_vote(conn, round, member)?;
    let level = crate::api::candidates::level(conn)?;
    let rows = store::round::eligible_lines(conn, round, member)?;
    let mut lines = Vec::with_capacity(rows.len());
    for store::round::EligibleLine { candidate_id, name, organization, applied_title, candidate } in rows {
        let flags = crate::domain::flags::flags(&candidate, level);
        lines.push(BallotLine { candidate_id, name, organization, applied_title, flags });
    }
    if lines.is_empty() {
        return Err(Error::invalid("member", Msg::NothingToVote { name: member_name(conn, member)? }));
    }
    Ok(lines)
}

/// Who unlocks the voting station for whom (design/terminals.md, "station
/// mode as a kiosk").
#[derive(Debug, Clone, Copy)]
pub enum Unlock<'a> {
    /// The member types the PIN on their own slip.
    OwnPin(&'a str),
    /// The secretary picks the member and types the secretary's own PIN.
    Secretary { pin: &'a str, member: &'a str },
}

/// A ballot unlocked at the station: whose it is and its lines.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Unlocked {
    pub member_id: String,
    pub name: String,
    pub lines: Vec<BallotLine>,
}

/// Unlocks the station for one member of `round`: by the member's own PIN,
/// or by the secretary's PIN for a member the secretary picked. Refuses a
/// wrong PIN, a member who is absent, recused from every line or has voted.
pub fn unlock(conn: &Connection, round: i64, how: Unlock<'_>) -> Result<Unlocked> {
    let member = match how {
        Unlock::OwnPin(pin) => session::member_by_pin(conn, pin)?,
        Unlock::Secretary { pin, member } => {
            crate::api::secretary::check(conn, pin)?;
            member.to_string()
        }
    };
    let lines = ballot_for(conn, round, &member)?;
    if let Unlock::Secretary { .. } = how {
        // The operator unlocked for someone else: in the chain, with who
        // (never how anyone voted), for the chair and the auditor to see.
        audit::append(
            conn,
            "station.unlock",
            &serde_json::json!({ "round": round, "member": member, "by": "secretary" }),
        )?;
    }
    Ok(Unlocked { name: member_name(conn, &member)?, member_id: member, lines })
}

/// The chair lets the operator leave the station's kiosk while `round` is
/// open (to sign in a latecomer, say): the chair's PIN, as for closing the
/// round. Audited with who authorised; returns their name.
pub fn leave_kiosk(conn: &mut Meeting, round: i64, chair_pin: &str) -> Result<String> {
    let tx = conn.write()?;
    let by = crate::api::authority::check(&tx, chair_pin, &super::rounds::round_candidates(&tx, round)?)?;
    audit::append(&tx, "station.kiosk_leave", &serde_json::json!({ "round": round, "by": by.member_id }))?;
    tx.commit()?;
    tracing::info!(round, "the chair let the operator leave the station's kiosk");
    Ok(by.name)
}

/// What a member is told after casting: their ballot's tracker.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Receipt {
    /// The short tracker to read aloud and find in the minutes (`7KQ2-M9XD`).
    pub tracker: String,
    /// The whole SHA-256, hex.
    pub tracker_hex: String,
    /// The last eligible member voted: the box is closed.
    pub round_closed: bool,
    /// The audit chain's head with this ballot's entry, short (`3F2A-91BC`),
    /// as the member compares it with the projector's running head.
    pub chain_head: String,
    /// The whole head, hex.
    pub chain_head_hex: String,
}

/// The audit entry that records a cast: the round and the ballot's tracker
/// (never the member). One per ballot, in the ballot's own transaction.
fn cast_entry(round: i64, tracker_hex: &str) -> serde_json::Value {
    serde_json::json!({ "round": round, "tracker": tracker_hex })
}

/// Casts `member`'s ballot at the voting station: the choices are encrypted
/// and proved here, in memory, and only the sealed ballot is stored.
pub fn cast(
    conn: &mut Meeting,
    round: i64,
    member: &str,
    choices: &BTreeMap<String, Choice>,
) -> Result<Receipt> {
    let keys = crate::api::trustees::require_keys(conn)?;
    let ctx = crate::api::tally::context(conn, round)?;
    let lines: Vec<(String, conclave_ballot::Choice)> =
        choices.iter().map(|(c, v)| (c.clone(), v.sealed())).collect();
    let ballot = conclave_ballot::encrypt_ballot(keys.joint(), &ctx, &lines, &mut conclave_ballot::OsRng)
        .map_err(|e| Error::invalid("ballot", Msg::BallotRefused { detail: e.to_string() }))?;
    cast_sealed(conn, round, member, &ballot)
}

/// A retry of a ballot already in the box (its answer lost with a dropped
/// connection or a host restart): the receipt it got, or `None` when
/// `member` has not voted in `round` or this ballot is not in its box.
/// Nothing is written either way.
pub fn already_cast(
    conn: &Connection,
    round: i64,
    member: &str,
    tracker: &conclave_ballot::Tracker,
) -> Result<Option<Receipt>> {
    let hex = tracker.to_hex();
    let voted = store::ballot_box::has_voted(conn, round, member)?;
    let in_box = store::ballot_box::holds_tracker(conn, round, &hex)?;
    if !voted || !in_box {
        return Ok(None);
    }
    let closed = store::round::closed_at(conn, round)?.ok_or(rusqlite::Error::QueryReturnedNoRows)?;
    let head = store::audit::hash_of(conn, "ballot.cast", &cast_entry(round, &hex).to_string())?
        .ok_or_else(|| Error::Integrity(Msg::AuditCastMissing { round }))?;
    Ok(Some(Receipt {
        tracker: tracker.short(),
        tracker_hex: hex,
        round_closed: closed.is_some(),
        chain_head: audit::short(&head),
        chain_head_hex: head,
    }))
}

/// Refuses a sealed ballot `member` may not cast in `round`: the round is
/// not a sealed one or not open, the member is absent, recused from every
/// line or has voted, or its lines are not exactly the member's eligible
/// candidates.
pub(super) fn check_lines(
    conn: &Connection,
    round: i64,
    member: &str,
    ballot: &conclave_ballot::Ballot,
) -> Result<()> {
    let sealed =
        store::round::sealed(conn, round)?.ok_or(Error::NotFound(Msg::RoundNotFound { id: round }))?;
    let lines = ballot_for(conn, round, member)?;
    if sealed == 0 {
        return Err(Error::invalid("round", Msg::NotSealedRound { id: round }));
    }
    let expected: HashSet<&str> = lines.iter().map(|l| l.candidate_id.as_str()).collect();
    for l in &ballot.lines {
        if !expected.contains(l.candidate.as_str()) {
            return Err(Error::invalid(
                l.candidate.clone(),
                Msg::BallotUnexpected { candidate: l.candidate.clone() },
            ));
        }
    }
    let given: HashSet<&str> = ballot.lines.iter().map(|l| l.candidate.as_str()).collect();
    for l in &lines {
        if !given.contains(l.candidate_id.as_str()) {
            return Err(Error::invalid(
                l.candidate_id.clone(),
                Msg::BallotIncomplete { candidate: l.candidate_id.clone() },
            ));
        }
    }
    Ok(())
}

/// Accepts a sealed ballot (made at the station or by a member's terminal):
/// every proof is verified, its lines must be exactly the member's eligible
/// candidates, and the voter register row and the ballot are written in one
/// durable transaction. Closes the box when the last eligible member voted.
pub fn cast_sealed(
    conn: &mut Meeting,
    round: i64,
    member: &str,
    ballot: &conclave_ballot::Ballot,
) -> Result<Receipt> {
    // The cheap checks first (the round, the member, the ballot's lines),
    // so a ballot that cannot count costs no proof verification; then the
    // proofs, outside the write lock: they depend only on the joint key and
    // the round's context, which never change once the round is open, so
    // terminals' ballots are checked in parallel; then everything again
    // inside the transaction that records it.
    check_lines(conn, round, member, ballot)?;
    let verified = {
        let keys = crate::api::trustees::require_keys(conn)?;
        let ctx = crate::api::tally::context(conn, round)?;
        conclave_ballot::verify_ballot_fast(keys.joint(), &ctx, ballot)
            .map_err(|e| Error::invalid("ballot", Msg::BallotRefused { detail: e.to_string() }))?
    };
    let tx = conn.write()?;
    check_lines(&tx, round, member, ballot)?;
    let tracker = verified.tracker.to_hex();
    if store::ballot_box::holds_tracker(&tx, round, &tracker)? {
        return Err(Error::invalid(
            "ballot",
            Msg::BallotRefused { detail: "tracker already in the box".into() },
        ));
    }
    if store::spoiled::holds(&tx, round, &tracker)? {
        // Its randomness is public: cast, it would show how the member voted.
        return Err(Error::invalid("ballot", Msg::CastAudited { tracker: verified.tracker.short() }));
    }
    store::ballot_box::add_voter(&tx, round, member)?;
    store::ballot_box::add_sealed(&tx, round, &tracker, &serde_json::to_string(ballot)?)?;
    let head = audit::append(&tx, "ballot.cast", &cast_entry(round, &tracker))?;
    // Eligible members present who have not voted yet: none, and the box closes.
    let all_voted = store::round::outstanding(&tx, round)? == 0;
    if all_voted {
        crate::api::tally::seal_box(&tx, round)?;
    }
    tx.commit()?;
    if all_voted {
        compact_after_commit(conn);
    }
    Ok(Receipt {
        tracker: verified.tracker.short(),
        tracker_hex: tracker,
        round_closed: all_voted,
        chain_head: audit::short(&head),
        chain_head_hex: head,
    })
}
