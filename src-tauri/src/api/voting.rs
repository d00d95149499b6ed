//! Voting rounds by secret ballot (station mode): open a round over a set of
//! candidates, cast one ballot per present, non-recused member, close and
//! count, confirm. The register of who voted and the ballot box never meet:
//! see migration 0003 and [`close_round`]'s compaction.

use crate::api::session;
use crate::audit;
use crate::domain::rules::{count, Tally};
use crate::error::{Error, Result};
use crate::i18n::Msg;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use ts_rs::TS;

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Choice {
    For,
    Against,
    Abstain,
}

impl Choice {
    fn as_str(self) -> &'static str {
        match self {
            Choice::For => "for",
            Choice::Against => "against",
            Choice::Abstain => "abstain",
        }
    }
}

/// Opens a round over `candidates` (empty: every candidate not yet decided
/// by a confirmed round). Refused without quorum, without the chair or a vice
/// chair, while another round is open, or beyond the rules' round limit.
pub fn open_round(conn: &mut Connection, candidates: &[String], reason: &str) -> Result<i64> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if let Some(id) =
        tx.query_row("SELECT id FROM round WHERE closed_at IS NULL", [], |r| r.get(0)).optional()?
    {
        return Err(Error::invalid("round", Msg::RoundAlreadyOpen { id }));
    }
    let q = session::quorum(&tx)?;
    if q.roster == 0 {
        return Err(Error::invalid("roster", Msg::NoRoster));
    }
    if !q.met {
        return Err(Error::invalid("quorum", Msg::NoQuorum { present: q.present, needed: q.needed }));
    }
    if !q.chair_present {
        return Err(Error::invalid("chair", Msg::NoChairPresent));
    }
    let (rules, frozen) = session::rules(&tx)?;
    let chosen: Vec<String> = if candidates.is_empty() {
        let mut stmt = tx.prepare(
            "SELECT id FROM candidate WHERE id NOT IN (
                 SELECT rc.candidate_id FROM round_candidate rc JOIN round r ON r.id = rc.round_id
                 WHERE r.confirmed_at IS NOT NULL) ORDER BY review_group, id",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    } else {
        candidates.to_vec()
    };
    if chosen.is_empty() {
        return Err(Error::invalid("candidates", Msg::NoCandidatesForRound));
    }
    for c in &chosen {
        let exists: i64 = tx.query_row("SELECT count(*) FROM candidate WHERE id = ?1", [c], |r| r.get(0))?;
        if exists == 0 {
            return Err(Error::NotFound(Msg::CandidateNotFound { id: c.clone() }));
        }
        let before: u32 =
            tx.query_row("SELECT count(*) FROM round_candidate WHERE candidate_id = ?1", [c], |r| r.get(0))?;
        if before >= rules.max_rounds {
            return Err(Error::invalid(
                c.clone(),
                Msg::MaxRoundsReached { id: c.clone(), max: rules.max_rounds },
            ));
        }
        if before > 0 && reason.trim().is_empty() {
            return Err(Error::invalid(c.clone(), Msg::ReasonRequired { id: c.clone() }));
        }
    }
    if !frozen {
        let data = serde_json::to_string(&rules).unwrap_or_default();
        tx.execute(
            "INSERT INTO rules (id, data, frozen_at) VALUES (1, ?1, ?2)
             ON CONFLICT(id) DO UPDATE SET frozen_at = excluded.frozen_at",
            params![data, now()],
        )?;
        audit::append(&tx, "rules.freeze", &serde_json::to_value(&rules).unwrap_or_default())?;
    }
    tx.execute(
        "INSERT INTO round (mode, reason, present, opened_at) VALUES ('station', ?1, ?2, ?3)",
        params![reason.trim(), q.present, now()],
    )?;
    let round = tx.last_insert_rowid();
    let present: Vec<String> =
        session::attendance(&tx)?.into_iter().filter(|a| a.present).map(|a| a.id).collect();
    for (seq, c) in chosen.iter().enumerate() {
        tx.execute(
            "INSERT INTO round_candidate (round_id, candidate_id, seq) VALUES (?1, ?2, ?3)",
            params![round, c, seq],
        )?;
        for m in &present {
            let recused: i64 = tx.query_row(
                "SELECT count(*) FROM recusal WHERE member_id = ?1 AND candidate_id = ?2 AND status = 'confirmed'",
                params![m, c],
                |r| r.get(0),
            )?;
            if recused == 0 {
                tx.execute(
                    "INSERT INTO round_eligible (round_id, member_id, candidate_id) VALUES (?1, ?2, ?3)",
                    params![round, m, c],
                )?;
            }
        }
    }
    audit::append(
        &tx,
        "round.open",
        &serde_json::json!({ "round": round, "candidates": chosen, "present": q.present, "reason": reason.trim() }),
    )?;
    tx.commit()?;
    Ok(round)
}

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
    conn.query_row("SELECT name FROM member WHERE id = ?1", [member], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::NotFound(Msg::MemberNotFound { id: member.into() }))
}

fn check_can_vote(conn: &Connection, round: i64, member: &str) -> Result<()> {
    let closed: Option<Option<String>> =
        conn.query_row("SELECT closed_at FROM round WHERE id = ?1", [round], |r| r.get(0)).optional()?;
    match closed {
        None => return Err(Error::NotFound(Msg::RoundNotFound { id: round })),
        Some(Some(_)) => return Err(Error::invalid("round", Msg::RoundNotOpen { id: round })),
        Some(None) => {}
    }
    let name = member_name(conn, member)?;
    let present = session::attendance(conn)?.iter().any(|a| a.id == member && a.present);
    if !present {
        return Err(Error::invalid("member", Msg::NotPresent { name }));
    }
    let voted: i64 = conn.query_row(
        "SELECT count(*) FROM voter WHERE round_id = ?1 AND member_id = ?2",
        params![round, member],
        |r| r.get(0),
    )?;
    if voted > 0 {
        return Err(Error::invalid("member", Msg::AlreadyVoted { name }));
    }
    Ok(())
}

/// The ballot `member` may cast in `round`: the candidates they are not
/// recused from.
pub fn ballot_for(conn: &Connection, round: i64, member: &str) -> Result<Vec<BallotLine>> {
    check_can_vote(conn, round, member)?;
    let mut stmt = conn.prepare(
        "SELECT c.id, c.name, c.organization, c.applied_title, c.data
         FROM round_eligible e JOIN candidate c ON c.id = e.candidate_id
         JOIN round_candidate rc ON rc.round_id = e.round_id AND rc.candidate_id = e.candidate_id
         WHERE e.round_id = ?1 AND e.member_id = ?2 ORDER BY rc.seq",
    )?;
    let level = crate::api::candidates::level(conn)?;
    let lines = stmt
        .query_map(params![round, member], |r| {
            let data: String = r.get(4)?;
            let flags = serde_json::from_str::<crate::package::model::Candidate>(&data)
                .map(|c| crate::domain::flags::flags(&c, level))
                .unwrap_or_default();
            Ok(BallotLine {
                candidate_id: r.get(0)?,
                name: r.get(1)?,
                organization: r.get(2)?,
                applied_title: r.get(3)?,
                flags,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if lines.is_empty() {
        return Err(Error::invalid("member", Msg::NothingToVote { name: member_name(conn, member)? }));
    }
    Ok(lines)
}

/// Casts `member`'s ballot: one line per eligible candidate, all in one
/// durable transaction (synchronous=FULL) before this returns. Closes the
/// round when the last eligible member has voted; returns whether it did.
pub fn cast(
    conn: &mut Connection,
    round: i64,
    member: &str,
    choices: &BTreeMap<String, Choice>,
) -> Result<bool> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let lines = ballot_for(&tx, round, member)?;
    let expected: HashSet<&str> = lines.iter().map(|l| l.candidate_id.as_str()).collect();
    for c in choices.keys() {
        if !expected.contains(c.as_str()) {
            return Err(Error::invalid(c.clone(), Msg::BallotUnexpected { candidate: c.clone() }));
        }
    }
    for l in &lines {
        if !choices.contains_key(&l.candidate_id) {
            return Err(Error::invalid(
                l.candidate_id.clone(),
                Msg::BallotIncomplete { candidate: l.candidate_id.clone() },
            ));
        }
    }
    tx.execute("INSERT INTO voter (round_id, member_id) VALUES (?1, ?2)", params![round, member])?;
    for (candidate, choice) in choices {
        let key = uuid::Uuid::new_v4().into_bytes();
        tx.execute(
            "INSERT INTO ballot (id, round_id, candidate_id, choice) VALUES (?1, ?2, ?3, ?4)",
            params![&key[..], round, candidate, choice.as_str()],
        )?;
    }
    audit::append(&tx, "ballot.cast", &serde_json::json!({ "round": round }))?;
    let all_voted = outstanding(&tx, round)? == 0;
    tx.commit()?;
    if all_voted {
        close_round(conn, round)?;
    }
    Ok(all_voted)
}

/// Eligible members present who have not voted yet.
fn outstanding(conn: &Connection, round: i64) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(DISTINCT member_id) FROM round_eligible WHERE round_id = ?1
         AND member_id NOT IN (SELECT member_id FROM voter WHERE round_id = ?1)",
        [round],
        |r| r.get(0),
    )?)
}

/// Closes the round, counts it and compacts the file so that no page keeps
/// the order in which ballots were cast.
pub fn close_round(conn: &mut Connection, round: i64) -> Result<()> {
    {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
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
        let (rules, _) = session::rules(&tx)?;
        let candidates: Vec<String> = {
            let mut stmt =
                tx.prepare("SELECT candidate_id FROM round_candidate WHERE round_id = ?1 ORDER BY seq")?;
            let rows = stmt.query_map([round], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut summary = Vec::new();
        for c in &candidates {
            let eligible: u32 = tx.query_row(
                "SELECT count(*) FROM round_eligible WHERE round_id = ?1 AND candidate_id = ?2",
                params![round, c],
                |r| r.get(0),
            )?;
            let n = |choice: &str| -> rusqlite::Result<u32> {
                tx.query_row(
                    "SELECT count(*) FROM ballot WHERE round_id = ?1 AND candidate_id = ?2 AND choice = ?3",
                    params![round, c, choice],
                    |r| r.get(0),
                )
            };
            let t = count(&rules, present as u32, eligible, n("for")?, n("against")?, n("abstain")?);
            tx.execute(
                "INSERT INTO result (round_id, candidate_id, tally, passed) VALUES (?1, ?2, ?3, ?4)",
                params![round, c, serde_json::to_string(&t).unwrap_or_default(), t.passed as i64],
            )?;
            summary.push(serde_json::json!({ "candidate": c, "tally": t }));
        }
        tx.execute("UPDATE round SET closed_at = ?1 WHERE id = ?2", params![now(), round])?;
        audit::append(&tx, "round.close", &serde_json::json!({ "round": round, "results": summary }))?;
        tx.commit()?;
    }
    compact(conn)
}

/// Rewrites the database file (VACUUM) and empties the WAL, so that storage
/// order follows the keys (member id, random ballot id) and no freed page
/// keeps insertion order.
pub fn compact(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")?;
    conn.execute_batch("VACUUM")?;
    conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")?;
    Ok(())
}

/// The chair confirms a closed round: its results become final.
pub fn confirm_round(conn: &mut Connection, round: i64) -> Result<()> {
    let tx = conn.transaction()?;
    let row: Option<(Option<String>, Option<String>)> = tx
        .query_row("SELECT closed_at, confirmed_at FROM round WHERE id = ?1", [round], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    match row {
        None => return Err(Error::NotFound(Msg::RoundNotFound { id: round })),
        Some((None, _)) => return Err(Error::invalid("round", Msg::RoundNotClosed { id: round })),
        Some((_, Some(_))) => return Err(Error::invalid("round", Msg::RoundAlreadyConfirmed { id: round })),
        _ => {}
    }
    tx.execute("UPDATE round SET confirmed_at = ?1 WHERE id = ?2", params![now(), round])?;
    audit::append(&tx, "round.confirm", &serde_json::json!({ "round": round }))?;
    tx.commit()?;
    Ok(())
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ResultRow {
    pub candidate_id: String,
    pub name: String,
    pub organization: String,
    pub applied_title: String,
    pub tally: Tally,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct RoundStatus {
    #[ts(type = "number")]
    pub id: i64,
    pub reason: String,
    #[ts(type = "number")]
    pub present: i64,
    pub opened_at: String,
    pub closed_at: Option<String>,
    pub confirmed_at: Option<String>,
    pub candidates: Vec<String>,
    /// Members expected to vote (eligible for at least one candidate).
    #[ts(type = "number")]
    pub voters_expected: i64,
    /// Members who have voted (not who voted what).
    #[ts(type = "number")]
    pub voters_done: i64,
    pub voted: Vec<String>,
    pub results: Vec<ResultRow>,
}

pub fn rounds(conn: &Connection) -> Result<Vec<RoundStatus>> {
    let ids: Vec<i64> = {
        let mut stmt = conn.prepare("SELECT id FROM round ORDER BY id")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    ids.into_iter().map(|id| round_status(conn, id)).collect()
}

pub fn round_status(conn: &Connection, id: i64) -> Result<RoundStatus> {
    let (reason, present, opened_at, closed_at, confirmed_at): (
        String,
        i64,
        String,
        Option<String>,
        Option<String>,
    ) = conn
        .query_row(
            "SELECT reason, present, opened_at, closed_at, confirmed_at FROM round WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?
        .ok_or(Error::NotFound(Msg::RoundNotFound { id }))?;
    let list = |sql: &str| -> Result<Vec<String>> {
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt.query_map([id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    let candidates = list("SELECT candidate_id FROM round_candidate WHERE round_id = ?1 ORDER BY seq")?;
    let voted = list("SELECT member_id FROM voter WHERE round_id = ?1 ORDER BY member_id")?;
    let voters_expected: i64 = conn.query_row(
        "SELECT count(DISTINCT member_id) FROM round_eligible WHERE round_id = ?1",
        [id],
        |r| r.get(0),
    )?;
    let mut stmt = conn.prepare(
        "SELECT r.candidate_id, c.name, c.organization, c.applied_title, r.tally
         FROM result r JOIN candidate c ON c.id = r.candidate_id
         JOIN round_candidate rc ON rc.round_id = r.round_id AND rc.candidate_id = r.candidate_id
         WHERE r.round_id = ?1 ORDER BY rc.seq",
    )?;
    let results = stmt
        .query_map([id], |r| {
            let tally: String = r.get(4)?;
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, tally))
        })?
        .filter_map(|row| row.ok())
        .filter_map(|(candidate_id, name, organization, applied_title, tally)| {
            Some(ResultRow {
                candidate_id,
                name,
                organization,
                applied_title,
                tally: serde_json::from_str(&tally).ok()?,
            })
        })
        .collect();
    Ok(RoundStatus {
        id,
        reason,
        present,
        opened_at,
        closed_at,
        confirmed_at,
        candidates,
        voters_expected,
        voters_done: voted.len() as i64,
        voted,
        results,
    })
}
