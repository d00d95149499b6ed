//! Paper rounds: two scrutineers' entries of the counts, which must agree.

use super::{compact, eligible_counts, Choice};
use crate::api::session;
use crate::api::session::now;
use crate::audit;
use crate::domain::rules::count;
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::store::{self, Meeting};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

/// One candidate's count from the paper ballots, as a scrutineer entered it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PaperCount {
    pub votes_for: u32,
    pub against: u32,
    pub abstain: u32,
}

/// Where the double entry of a paper round stands.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PaperStatus {
    /// The scrutineer of entry 1 and of entry 2, once entered.
    pub scrutineers: [Option<String>; 2],
    /// Candidates whose two entries differ.
    pub mismatched: Vec<String>,
    /// Each candidate's most ballots that may count (present and not recused).
    pub limits: BTreeMap<String, u32>,
}

fn paper_entry(
    conn: &Connection,
    round: i64,
    entry: u8,
) -> Result<(Option<String>, BTreeMap<String, PaperCount>)> {
    let mut who = None;
    let mut counts = BTreeMap::new();
    for (s, c, votes_for, against, abstain) in store::paper::entry(conn, round, entry)? {
        who = Some(s);
        counts.insert(c, PaperCount { votes_for, against, abstain });
    }
    Ok((who, counts))
}

pub fn paper_status(conn: &Connection, round: i64) -> Result<PaperStatus> {
    let (s1, e1) = paper_entry(conn, round, 1)?;
    let (s2, e2) = paper_entry(conn, round, 2)?;
    let mismatched = if s1.is_some() && s2.is_some() {
        e1.iter().filter(|(c, n)| e2.get(*c) != Some(n)).map(|(c, _)| c.clone()).collect()
    } else {
        Vec::new()
    };
    Ok(PaperStatus { scrutineers: [s1, s2], mismatched, limits: eligible_counts(conn, round)? })
}

/// Refuses counts for a round that is not an open paper round, or that miss,
/// add or overfill a candidate (more ballots than members who may vote).
fn check_paper_counts(tx: &Connection, round: i64, counts: &BTreeMap<String, PaperCount>) -> Result<()> {
    match store::round::mode_and_closed_at(tx, round)? {
        None => return Err(Error::NotFound(Msg::RoundNotFound { id: round })),
        Some((_, Some(_))) => return Err(Error::invalid("round", Msg::RoundNotOpen { id: round })),
        Some((mode, None)) if mode != "paper" => {
            return Err(Error::invalid("round", Msg::NotPaperRound { id: round }))
        }
        _ => {}
    }
    let limits = eligible_counts(tx, round)?;
    for c in counts.keys() {
        if !limits.contains_key(c) {
            return Err(Error::invalid(c.clone(), Msg::BallotUnexpected { candidate: c.clone() }));
        }
    }
    for (c, max) in &limits {
        let Some(n) = counts.get(c) else {
            return Err(Error::invalid(c.clone(), Msg::BallotIncomplete { candidate: c.clone() }));
        };
        let total = u64::from(n.votes_for) + u64::from(n.against) + u64::from(n.abstain);
        if total > u64::from(*max) {
            return Err(Error::invalid(
                c.clone(),
                Msg::PaperTooMany { candidate: c.clone(), total, max: *max },
            ));
        }
    }
    Ok(())
}

/// Records one scrutineer's count of a paper round (`entry` 1 or 2; entering
/// again replaces that entry). Refused, changing nothing, when a candidate is
/// missing or unknown, or a count exceeds the ballots that candidate may get.
/// When both entries are in and agree, the counts go into the ballot box as
/// anonymous ballots and the round is counted and closed; returns the status.
pub fn enter_paper_counts(
    conn: &mut Meeting,
    round: i64,
    entry: u8,
    scrutineer_pin: &str,
    counts: &BTreeMap<String, PaperCount>,
) -> Result<PaperStatus> {
    if scrutineer_pin.trim().is_empty() {
        return Err(Error::invalid("scrutineer", Msg::ScrutineerMissing));
    }
    // The scrutineer is a member present, who confirms the entry with their
    // own PIN: one person cannot type two names.
    let member = session::member_by_pin(conn, scrutineer_pin)?;
    let name = store::roster::member_name(conn, &member)?.ok_or(rusqlite::Error::QueryReturnedNoRows)?;
    let scrutineer = format!("{name}（{member}）");
    let scrutineer = scrutineer.as_str();
    if entry != 1 && entry != 2 {
        return Err(Error::invalid("entry", Msg::PaperEntryNumber));
    }
    let tx = conn.write()?;
    check_paper_counts(&tx, round, counts)?;
    let other = store::paper::scrutineer(&tx, round, 3 - entry)?;
    if other.as_deref() == Some(scrutineer) {
        return Err(Error::invalid("scrutineer", Msg::SameScrutineer { name: scrutineer.into() }));
    }
    store::paper::clear(&tx, round, entry)?;
    for (c, n) in counts {
        store::paper::add(&tx, round, entry, scrutineer, c, [n.votes_for, n.against, n.abstain])?;
    }
    audit::append(
        &tx,
        "paper.entry",
        &serde_json::json!({ "round": round, "entry": entry, "scrutineer": member, "counts": counts }),
    )?;
    let status = paper_status(&tx, round)?;
    let agreed = status.scrutineers.iter().all(Option::is_some) && status.mismatched.is_empty();
    if agreed {
        for (c, n) in counts {
            for (choice, k) in
                [(Choice::For, n.votes_for), (Choice::Against, n.against), (Choice::Abstain, n.abstain)]
            {
                for _ in 0..k {
                    store::ballot_box::add_plain(&tx, round, c, choice.as_str())?;
                }
            }
        }
        audit::append(&tx, "paper.agreed", &serde_json::json!({ "round": round }))?;
        // In the same transaction: the ballots are never in the box of a round
        // still open, so agreeing twice cannot count them twice.
        count_in(&tx, round)?;
    }
    tx.commit()?;
    tracing::info!(round, entry, agreed, disagreeing = status.mismatched.len(), "paper entry recorded");
    if agreed {
        compact(conn)?;
    }
    Ok(status)
}

/// Counts an open round and closes it, inside the caller's transaction.
fn count_in(tx: &rusqlite::Transaction, round: i64) -> Result<()> {
    let row = store::round::present_and_closed_at(tx, round)?;
    let Some((present, closed)) = row else {
        return Err(Error::NotFound(Msg::RoundNotFound { id: round }));
    };
    if closed.is_some() {
        return Err(Error::invalid("round", Msg::RoundNotOpen { id: round }));
    }
    let (rules, _) = session::rules(tx)?;
    let candidates = super::round_candidates(tx, round)?;
    // Two grouped queries for the whole round, not three per candidate.
    let eligible = eligible_counts(tx, round)?;
    let cast = store::ballot_box::plain_counts(tx, round)?;
    let mut summary = Vec::new();
    for c in &candidates {
        let n = |choice: &str| cast.get(&(c.clone(), choice.to_string())).copied().unwrap_or(0);
        let eligible = eligible.get(c).copied().unwrap_or(0);
        let t = count(&rules, present as u32, eligible, n("for"), n("against"), n("abstain"));
        store::ballot_box::add_result(tx, round, c, &t)?;
        summary.push(serde_json::json!({ "candidate": c, "tally": t }));
    }
    store::round::close(tx, round, &now())?;
    audit::append(tx, "round.close", &serde_json::json!({ "round": round, "results": summary }))?;
    Ok(())
}
