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

use crate::api::session::now;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Choice {
    For,
    Against,
    Abstain,
}

impl Choice {
    /// The ballot protocol's choice.
    pub fn sealed(self) -> conclave_ballot::Choice {
        match self {
            Choice::For => conclave_ballot::Choice::For,
            Choice::Against => conclave_ballot::Choice::Against,
            Choice::Abstain => conclave_ballot::Choice::Abstain,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Choice::For => "for",
            Choice::Against => "against",
            Choice::Abstain => "abstain",
        }
    }
}

/// How the members vote in a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Mode {
    /// One member at a time at the voting station.
    Station,
    /// Numbered paper ballots, counted by two scrutineers.
    Paper,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Station => "station",
            Mode::Paper => "paper",
        }
    }
}

/// Opens a round over `candidates` (empty: every candidate not yet decided
/// by a confirmed round). Refused without quorum, without the chair or a vice
/// chair, while another round is open, or beyond the rules' round limit.
pub fn open_round(conn: &mut Connection, candidates: &[String], reason: &str, mode: Mode) -> Result<i64> {
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
        let data = serde_json::to_string(&rules)?;
        tx.execute(
            "INSERT INTO rules (id, data, frozen_at) VALUES (1, ?1, ?2)
             ON CONFLICT(id) DO UPDATE SET frozen_at = excluded.frozen_at",
            params![data, now()],
        )?;
        audit::append(&tx, "rules.freeze", &serde_json::to_value(&rules)?)?;
    }
    tx.execute(
        "INSERT INTO round (mode, reason, present, opened_at, sealed) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![mode.as_str(), reason.trim(), q.present, now(), (mode == Mode::Station) as i64],
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
        &serde_json::json!({
            "round": round, "mode": mode.as_str(), "candidates": chosen, "present": q.present, "reason": reason.trim()
        }),
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
    let row: Option<(Option<String>, String)> = conn
        .query_row("SELECT closed_at, mode FROM round WHERE id = ?1", [round], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match row {
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
    let rows = stmt
        .query_map(params![round, member], |r| {
            Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get::<_, String>(4)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut lines = Vec::with_capacity(rows.len());
    for (candidate_id, name, organization, applied_title, data) in rows {
        let c: crate::package::model::Candidate = crate::store::parse_row("candidate", &candidate_id, &data)?;
        let flags = crate::domain::flags::flags(&c, level);
        lines.push(BallotLine { candidate_id, name, organization, applied_title, flags });
    }
    if lines.is_empty() {
        return Err(Error::invalid("member", Msg::NothingToVote { name: member_name(conn, member)? }));
    }
    Ok(lines)
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
}

/// Casts `member`'s ballot at the voting station: the choices are encrypted
/// and proved here, in memory, and only the sealed ballot is stored.
pub fn cast(
    conn: &mut Connection,
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

/// Accepts a sealed ballot (made at the station or by a member's terminal):
/// every proof is verified, its lines must be exactly the member's eligible
/// candidates, and the voter register row and the ballot are written in one
/// durable transaction. Closes the box when the last eligible member voted.
pub fn cast_sealed(
    conn: &mut Connection,
    round: i64,
    member: &str,
    ballot: &conclave_ballot::Ballot,
) -> Result<Receipt> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let sealed: i64 = tx
        .query_row("SELECT sealed FROM round WHERE id = ?1", [round], |r| r.get(0))
        .optional()?
        .ok_or(Error::NotFound(Msg::RoundNotFound { id: round }))?;
    let lines = ballot_for(&tx, round, member)?;
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
    let keys = crate::api::trustees::require_keys(&tx)?;
    let ctx = crate::api::tally::context(&tx, round)?;
    let verified = conclave_ballot::verify_ballot(keys.joint(), &ctx, ballot)
        .map_err(|e| Error::invalid("ballot", Msg::BallotRefused { detail: e.to_string() }))?;
    let tracker = verified.tracker.to_hex();
    let dup: i64 = tx.query_row(
        "SELECT count(*) FROM sealed_ballot WHERE round_id = ?1 AND tracker = ?2",
        params![round, tracker],
        |r| r.get(0),
    )?;
    if dup > 0 {
        return Err(Error::invalid(
            "ballot",
            Msg::BallotRefused { detail: "tracker already in the box".into() },
        ));
    }
    tx.execute("INSERT INTO voter (round_id, member_id) VALUES (?1, ?2)", params![round, member])?;
    let key = uuid::Uuid::new_v4().into_bytes();
    tx.execute(
        "INSERT INTO sealed_ballot (id, round_id, tracker, data) VALUES (?1, ?2, ?3, ?4)",
        params![&key[..], round, tracker, serde_json::to_string(ballot)?],
    )?;
    audit::append(&tx, "ballot.cast", &serde_json::json!({ "round": round }))?;
    let all_voted = outstanding(&tx, round)? == 0;
    if all_voted {
        crate::api::tally::seal_box(&tx, round)?;
    }
    tx.commit()?;
    if all_voted {
        compact(conn)?;
    }
    Ok(Receipt { tracker: verified.tracker.short(), tracker_hex: tracker, round_closed: all_voted })
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

/// Closes a station round on the chair's word (members who have not voted
/// count as not voted). A paper round closes only when the scrutineers'
/// two entries agree, see [`enter_paper_counts`].
pub fn close_round(conn: &mut Connection, round: i64) -> Result<()> {
    let mode: Option<String> =
        conn.query_row("SELECT mode FROM round WHERE id = ?1", [round], |r| r.get(0)).optional()?;
    if mode.as_deref() == Some("paper") {
        return Err(Error::invalid("round", Msg::PaperNotAgreed { id: round }));
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    crate::api::tally::seal_box(&tx, round)?;
    tx.commit()?;
    compact(conn)
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
    let candidates: Vec<String> = {
        let mut stmt =
            tx.prepare("SELECT candidate_id FROM round_candidate WHERE round_id = ?1 ORDER BY seq")?;
        let rows = stmt.query_map([round], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
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
    /// `station` or `paper`.
    pub mode: String,
    pub reason: String,
    /// Members present when the round opened (in paper mode: ballots issued).
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
        candidates,
        voters_expected,
        voters_done: voted.len() as i64,
        voted,
        results,
        sealed: sealed != 0,
        box_root,
        trackers,
    })
}

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
    conn: &mut Connection,
    round: i64,
    entry: u8,
    scrutineer: &str,
    counts: &BTreeMap<String, PaperCount>,
) -> Result<PaperStatus> {
    let scrutineer = scrutineer.trim();
    if scrutineer.is_empty() {
        return Err(Error::invalid("scrutineer", Msg::ScrutineerMissing));
    }
    if entry != 1 && entry != 2 {
        return Err(Error::invalid("entry", Msg::PaperEntryNumber));
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
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
        &serde_json::json!({ "round": round, "entry": entry, "scrutineer": scrutineer }),
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

/// Everything the meeting screen shows about the procedure.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SessionView {
    pub rules: crate::domain::rules::Rules,
    pub rules_frozen: bool,
    pub attendance: Vec<super::session::Attendee>,
    pub quorum: super::session::Quorum,
    pub recusals: Vec<super::session::Recusal>,
    pub rounds: Vec<RoundStatus>,
    /// The chair and the two scrutineers, once named.
    pub trustees: Vec<crate::api::trustees::Trustee>,
}

/// Rules, attendance, quorum, recusals and rounds in one read.
pub fn session_view(conn: &Connection) -> Result<SessionView> {
    let (rules, rules_frozen) = super::session::rules(conn)?;
    Ok(SessionView {
        rules,
        rules_frozen,
        attendance: super::session::attendance(conn)?,
        quorum: super::session::quorum(conn)?,
        recusals: super::session::recusals(conn)?,
        rounds: rounds(conn)?,
        trustees: crate::api::trustees::list(conn)?,
    })
}
