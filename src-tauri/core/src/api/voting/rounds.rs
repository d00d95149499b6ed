//! Opening, closing and confirming rounds, and what a round looks like.

use super::{paper_status, Mode, PaperStatus};
use crate::api::authority;
use crate::api::session;
use crate::api::session::now;
use crate::audit;
use crate::domain::rules::Tally;
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::store::Meeting;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use std::collections::BTreeMap;
use ts_rs::TS;

/// Opens a round over `candidates` (empty: every candidate not yet decided
/// by a confirmed round). Refused without quorum, without the chair or a vice
/// chair, while another round is open, or beyond the rules' round limit.
/// The undecided recusal proposals for `candidates`: (member, candidate) names.
fn pending_recusals(conn: &Connection, candidates: &[String]) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT m.name, c.name, r.candidate_id FROM recusal r
         JOIN member m ON m.id = r.member_id JOIN candidate c ON c.id = r.candidate_id
         WHERE r.status = 'proposed' ORDER BY c.id, m.seq",
    )?;
    let rows =
        stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (member, candidate, id) = row?;
        if candidates.contains(&id) {
            out.push((member, candidate));
        }
    }
    Ok(out)
}

pub fn open_round(
    conn: &mut Meeting,
    candidates: &[String],
    reason: &str,
    mode: Mode,
    chair_pin: &str,
) -> Result<i64> {
    let tx = conn.write()?;
    if let Some(id) =
        tx.query_row("SELECT id FROM round WHERE closed_at IS NULL", [], |r| r.get(0)).optional()?
    {
        return Err(Error::invalid("round", Msg::RoundAlreadyOpen { id }));
    }
    // A closed box not yet counted comes first: its candidates are undecided.
    if let Some(id) = tx
        .query_row(
            "SELECT id FROM round WHERE sealed = 1 AND closed_at IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM result WHERE result.round_id = round.id)",
            [],
            |r| r.get(0),
        )
        .optional()?
    {
        return Err(Error::invalid("round", Msg::NotTallied { id }));
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
    // Every round needs the trustees: they alone can count a sealed box.
    crate::api::trustees::require_keys(&tx)?;
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
    // 资格审查: the default round leaves barred candidates out (the screens
    // say why); naming one without the chair's override is refused.
    let blocked = crate::api::eligibility::blocked(&tx, &chosen)?;
    let chosen: Vec<String> = if candidates.is_empty() {
        chosen.into_iter().filter(|c| !blocked.iter().any(|b| &b.candidate_id == c)).collect()
    } else if !blocked.is_empty() {
        let list = blocked
            .into_iter()
            .map(|b| (format!("{} {}", b.name, b.candidate_id), b.reason_keys()))
            .collect();
        return Err(Error::invalid("candidates", Msg::CandidatesBarred { list }));
    } else {
        chosen
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
    // The recusal gate: a proposed conflict for one of these candidates must
    // be decided first, or that member would get a full ballot.
    let pending = pending_recusals(&tx, &chosen)?;
    if !pending.is_empty() {
        return Err(Error::invalid("recusals", Msg::RecusalsPending { pairs: pending }));
    }
    let by = authority::check(&tx, chair_pin, &chosen)?;
    if !frozen {
        let data = serde_json::to_string(&rules)?;
        tx.execute(
            "INSERT INTO rules (id, data, frozen_at) VALUES (1, ?1, ?2)
             ON CONFLICT(id) DO UPDATE SET frozen_at = excluded.frozen_at",
            params![data, now()],
        )?;
        audit::append(&tx, "rules.freeze", &serde_json::to_value(&rules)?)?;
    }
    tx.execute(
        "INSERT INTO round (mode, reason, present, opened_at, sealed, opened_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![mode.as_str(), reason.trim(), q.present, now(), (mode != Mode::Paper) as i64, by.member_id],
    )?;
    let round = tx.last_insert_rowid();
    let present: Vec<String> =
        session::attendance(&tx)?.into_iter().filter(|a| a.present).map(|a| a.id).collect();
    let mut eligible: BTreeMap<String, Vec<String>> = BTreeMap::new();
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
                eligible.entry(c.clone()).or_default().push(m.clone());
            }
        }
    }
    audit::append(
        &tx,
        "round.open",
        &serde_json::json!({
            "round": round, "mode": mode.as_str(), "candidates": chosen, "present": q.present, "reason": reason.trim(),
            "by": by.member_id,
            // Who may vote on whom, fixed when the round opens: the archive's
            // recount checks the register it is given against this.
            "eligible_sha256": eligible_digest(&eligible)?,
        }),
    )?;
    tx.commit()?;
    Ok(round)
}

/// Eligible members present who have not voted yet.
pub(super) fn outstanding(conn: &Connection, round: i64) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(DISTINCT member_id) FROM round_eligible WHERE round_id = ?1
         AND member_id NOT IN (SELECT member_id FROM voter WHERE round_id = ?1)",
        [round],
        |r| r.get(0),
    )?)
}

/// Closes a station round on the chair's word, given by their PIN (members
/// who have not voted count as not voted). A paper round closes only when
/// the scrutineers' two entries agree, see [`enter_paper_counts`].
pub fn close_round(conn: &mut Meeting, round: i64, chair_pin: &str) -> Result<()> {
    let mode: Option<String> =
        conn.query_row("SELECT mode FROM round WHERE id = ?1", [round], |r| r.get(0)).optional()?;
    if mode.as_deref() == Some("paper") {
        return Err(Error::invalid("round", Msg::PaperNotAgreed { id: round }));
    }
    let tx = conn.write()?;
    let open: Option<Option<String>> =
        tx.query_row("SELECT closed_at FROM round WHERE id = ?1", [round], |r| r.get(0)).optional()?;
    if let Some(None) = open {
        let by = authority::check(&tx, chair_pin, &round_candidates(&tx, round)?)?;
        tx.execute("UPDATE round SET closed_by = ?1 WHERE id = ?2", params![by.member_id, round])?;
    }
    crate::api::tally::seal_box(&tx, round)?;
    tx.commit()?;
    compact_after_commit(conn);
    Ok(())
}

/// Compacts after a committed change: the change stands whatever happens, so
/// a failure (another reader holding the file) is logged, never returned as
/// if the ballot or the close had not happened.
pub fn compact_after_commit(conn: &Connection) {
    if let Err(e) = compact(conn) {
        tracing::warn!(error = %e, "could not compact the meeting file; it is compacted at the next close");
    }
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

/// The chair confirms a closed round by their PIN: its results become final.
pub fn confirm_round(conn: &mut Meeting, round: i64, chair_pin: &str) -> Result<()> {
    let tx = conn.write()?;
    let row: Option<(Option<String>, Option<String>, i64)> = tx
        .query_row("SELECT closed_at, confirmed_at, sealed FROM round WHERE id = ?1", [round], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    match row {
        None => return Err(Error::NotFound(Msg::RoundNotFound { id: round })),
        Some((None, _, _)) => return Err(Error::invalid("round", Msg::RoundNotClosed { id: round })),
        Some((_, Some(_), _)) => {
            return Err(Error::invalid("round", Msg::RoundAlreadyConfirmed { id: round }))
        }
        _ => {}
    }
    let counted: i64 =
        tx.query_row("SELECT count(*) FROM result WHERE round_id = ?1", [round], |r| r.get(0))?;
    if counted == 0 {
        // A sealed box is confirmed only once two trustees have counted it.
        return Err(Error::invalid("round", Msg::NotTallied { id: round }));
    }
    let by = authority::check(&tx, chair_pin, &round_candidates(&tx, round)?)?;
    tx.execute(
        "UPDATE round SET confirmed_at = ?1, confirmed_by = ?2 WHERE id = ?3",
        params![now(), by.member_id, round],
    )?;
    audit::append(&tx, "round.confirm", &serde_json::json!({ "round": round, "by": by.member_id }))?;
    tx.commit()?;
    Ok(())
}

/// The candidates of `round`, in ballot order.
pub(crate) fn round_candidates(conn: &Connection, round: i64) -> Result<Vec<String>> {
    let mut stmt =
        conn.prepare("SELECT candidate_id FROM round_candidate WHERE round_id = ?1 ORDER BY seq")?;
    let rows = stmt.query_map([round], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
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
    /// `station` or `paper`.
    pub mode: String,
    pub reason: String,
    /// Members present when the round opened (in paper mode: ballots issued).
    #[ts(type = "number")]
    pub present: i64,
    pub opened_at: String,
    pub closed_at: Option<String>,
    pub confirmed_at: Option<String>,
    /// Who opened, closed and confirmed it (names; none where a round
    /// closed itself, or in meetings from before the chair's PIN).
    pub opened_by: Option<String>,
    pub closed_by: Option<String>,
    pub confirmed_by: Option<String>,
    pub candidates: Vec<String>,
    /// Members expected to vote (eligible for at least one candidate).
    #[ts(type = "number")]
    pub voters_expected: i64,
    /// Members who have voted (not who voted what).
    #[ts(type = "number")]
    pub voters_done: i64,
    pub voted: Vec<String>,
    /// Eligible members who have not voted yet, by name, in roster order:
    /// what the secretary sees during a round (never what anyone chose).
    pub not_voted: Vec<String>,
    pub results: Vec<ResultRow>,
    /// Paper mode: where the scrutineers' entries stand.
    pub paper: Option<PaperStatus>,
    /// Encrypted ballots (station rounds of this version on).
    pub sealed: bool,
    /// SHA-256 over the sorted trackers, once the box is closed.
    pub box_root: Option<String>,
    /// Every ballot's short tracker, sorted (no order of casting).
    pub trackers: Vec<String>,
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
    let (reason, present, opened_at, closed_at, confirmed_at, mode): (
        String,
        i64,
        String,
        Option<String>,
        Option<String>,
        String,
    ) = conn
        .query_row(
            "SELECT reason, present, opened_at, closed_at, confirmed_at, mode FROM round WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .optional()?
        .ok_or(Error::NotFound(Msg::RoundNotFound { id }))?;
    let list = |sql: &str| -> Result<Vec<String>> {
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt.query_map([id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    let candidates = round_candidates(conn, id)?;
    // Who authorised each act, by name.
    let (opened_by, closed_by, confirmed_by): (Option<String>, Option<String>, Option<String>) = conn
        .query_row(
            "SELECT o.name, c.name, f.name FROM round r
             LEFT JOIN member o ON o.id = r.opened_by LEFT JOIN member c ON c.id = r.closed_by
             LEFT JOIN member f ON f.id = r.confirmed_by WHERE r.id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
    let voted = list("SELECT member_id FROM voter WHERE round_id = ?1 ORDER BY member_id")?;
    let not_voted = list(
        "SELECT m.name FROM member m WHERE m.id IN (SELECT member_id FROM round_eligible WHERE round_id = ?1)
         AND m.id NOT IN (SELECT member_id FROM voter WHERE round_id = ?1) ORDER BY m.seq",
    )?;
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
    let rows = stmt
        .query_map([id], |r| {
            Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get::<_, String>(4)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut results = Vec::with_capacity(rows.len());
    for (candidate_id, name, organization, applied_title, tally) in rows {
        let tally = crate::store::parse_row("result", &format!("{id}/{candidate_id}"), &tally)?;
        results.push(ResultRow { candidate_id, name, organization, applied_title, tally });
    }
    let paper = if mode == "paper" { Some(paper_status(conn, id)?) } else { None };
    let (sealed, box_root): (i64, Option<String>) =
        conn.query_row("SELECT sealed, box_root FROM round WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let trackers = crate::api::tally::trackers(conn, id)?;
    Ok(RoundStatus {
        id,
        mode,
        paper,
        reason,
        present,
        opened_at,
        closed_at,
        confirmed_at,
        opened_by,
        closed_by,
        confirmed_by,
        candidates,
        voters_expected,
        voters_done: voted.len() as i64,
        not_voted,
        voted,
        results,
        sealed: sealed != 0,
        box_root,
        trackers,
    })
}

/// How many members may vote on each candidate of `round` (present when it
/// opened and not recused).
pub(crate) fn eligible_counts(conn: &Connection, round: i64) -> Result<BTreeMap<String, u32>> {
    let mut stmt = conn.prepare(
        "SELECT rc.candidate_id, (SELECT count(*) FROM round_eligible e
                                   WHERE e.round_id = rc.round_id AND e.candidate_id = rc.candidate_id)
         FROM round_candidate rc WHERE rc.round_id = ?1",
    )?;
    let rows = stmt.query_map([round], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// SHA-256 (hex) of a round's eligibility, as canonical JSON: candidates and
/// each one's members in ascending order.
pub fn eligible_digest(eligible: &BTreeMap<String, Vec<String>>) -> Result<String> {
    let mut sorted = eligible.clone();
    for members in sorted.values_mut() {
        members.sort();
    }
    use sha2::Digest;
    Ok(hex::encode(sha2::Sha256::digest(serde_json::to_string(&sorted)?.as_bytes())))
}
