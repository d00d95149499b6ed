//! Paper rounds: two scrutineers' entries of the counts, which must agree.

use super::{compact, eligible_counts, Choice};
use crate::api::session;
use crate::api::session::now;
use crate::audit;
use crate::domain::rules::count;
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::store::Meeting;
use rusqlite::{params, Connection, OptionalExtension};
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
    let mut stmt = conn.prepare(
        "SELECT scrutineer, candidate_id, votes_for, against, abstain FROM paper_entry
         WHERE round_id = ?1 AND entry = ?2",
    )?;
    let mut who = None;
    let mut counts = BTreeMap::new();
    let rows = stmt.query_map(params![round, entry], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            PaperCount { votes_for: r.get(2)?, against: r.get(3)?, abstain: r.get(4)? },
        ))
    })?;
    for row in rows {
        let (s, c, n) = row?;
        who = Some(s);
        counts.insert(c, n);
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
    let name: String = conn.query_row("SELECT name FROM member WHERE id = ?1", [&member], |r| r.get(0))?;
    let scrutineer = format!("{name}（{member}）");
    let scrutineer = scrutineer.as_str();
    if entry != 1 && entry != 2 {
        return Err(Error::invalid("entry", Msg::PaperEntryNumber));
    }
    let tx = conn.write()?;
    let row: Option<(String, Option<String>)> = tx
        .query_row("SELECT mode, closed_at FROM round WHERE id = ?1", [round], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match row {
        None => return Err(Error::NotFound(Msg::RoundNotFound { id: round })),
        Some((_, Some(_))) => return Err(Error::invalid("round", Msg::RoundNotOpen { id: round })),
        Some((mode, None)) if mode != "paper" => {
            return Err(Error::invalid("round", Msg::NotPaperRound { id: round }))
        }
        _ => {}
    }
    let limits = eligible_counts(&tx, round)?;
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
    let other: Option<String> = tx
        .query_row(
            "SELECT scrutineer FROM paper_entry WHERE round_id = ?1 AND entry = ?2 LIMIT 1",
            params![round, 3 - entry],
            |r| r.get(0),
        )
        .optional()?;
    if other.as_deref() == Some(scrutineer) {
        return Err(Error::invalid("scrutineer", Msg::SameScrutineer { name: scrutineer.into() }));
    }
    tx.execute("DELETE FROM paper_entry WHERE round_id = ?1 AND entry = ?2", params![round, entry])?;
    for (c, n) in counts {
        tx.execute(
            "INSERT INTO paper_entry (round_id, entry, scrutineer, candidate_id, votes_for, against, abstain)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![round, entry, scrutineer, c, n.votes_for, n.against, n.abstain],
        )?;
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
                    let key = uuid::Uuid::new_v4().into_bytes();
                    tx.execute(
                        "INSERT INTO ballot (id, round_id, candidate_id, choice) VALUES (?1, ?2, ?3, ?4)",
                        params![&key[..], round, c, choice.as_str()],
                    )?;
                }
            }
        }
        audit::append(&tx, "paper.agreed", &serde_json::json!({ "round": round }))?;
        // In the same transaction: the ballots are never in the box of a round
        // still open, so agreeing twice cannot count them twice.
        count_in(&tx, round)?;
    }
    tx.commit()?;
    if agreed {
        compact(conn)?;
    }
    Ok(status)
}

/// Counts an open round and closes it, inside the caller's transaction.
fn count_in(tx: &rusqlite::Transaction, round: i64) -> Result<()> {
    let row: Option<(i64, Option<String>)> = tx
        .query_row("SELECT present, closed_at FROM round WHERE id = ?1", [round], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
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
    let mut cast: BTreeMap<(String, String), u32> = BTreeMap::new();
    {
        let mut stmt = tx.prepare(
            "SELECT candidate_id, choice, count(*) FROM ballot WHERE round_id = ?1 GROUP BY candidate_id, choice",
        )?;
        let rows = stmt.query_map([round], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, u32>(2)?))
        })?;
        for row in rows {
            let (c, choice, n) = row?;
            cast.insert((c, choice), n);
        }
    }
    let mut summary = Vec::new();
    for c in &candidates {
        let n = |choice: &str| cast.get(&(c.clone(), choice.to_string())).copied().unwrap_or(0);
        let eligible = eligible.get(c).copied().unwrap_or(0);
        let t = count(&rules, present as u32, eligible, n("for"), n("against"), n("abstain"));
        tx.execute(
            "INSERT INTO result (round_id, candidate_id, tally, passed) VALUES (?1, ?2, ?3, ?4)",
            params![round, c, serde_json::to_string(&t)?, t.passed as i64],
        )?;
        summary.push(serde_json::json!({ "candidate": c, "tally": t }));
    }
    tx.execute("UPDATE round SET closed_at = ?1 WHERE id = ?2", params![now(), round])?;
    audit::append(tx, "round.close", &serde_json::json!({ "round": round, "results": summary }))?;
    Ok(())
}
