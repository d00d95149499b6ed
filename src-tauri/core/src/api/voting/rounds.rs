//! Opening, closing and confirming rounds, and what a round looks like.

use super::{paper_status, Mode, PaperStatus};
use crate::api::authority;
use crate::api::session;
use crate::api::session::now;
use crate::audit;
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::store::{self, Meeting};
use rusqlite::Connection;
use serde::Serialize;
use std::collections::BTreeMap;
use ts_rs::TS;

/// The undecided recusal proposals for `candidates`: (member, candidate) names.
fn pending_recusals(conn: &Connection, candidates: &[String]) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for (member, candidate, id) in store::recusal::proposed_named(conn)? {
        if candidates.contains(&id) {
            out.push((member, candidate));
        }
    }
    Ok(out)
}

/// What a round over the chosen candidates needs, checked without any PIN.
struct Plan {
    quorum: session::Quorum,
    chosen: Vec<String>,
    rules: crate::domain::rules::Rules,
    frozen: bool,
}

/// Everything that must hold before a round over `candidates` opens, in the
/// order of the meeting (the meeting's state, the candidates, their recusal
/// proposals): the first that does not hold is the refusal.
fn plan(conn: &Connection, candidates: &[String], reason: &str) -> Result<Plan> {
    let quorum = meeting_can_vote(conn)?;
    let (rules, frozen) = session::rules(conn)?;
    let chosen = candidates_for_round(conn, candidates, reason, rules.max_rounds)?;
    // The recusal gate: a proposed conflict for one of these candidates must
    // be decided first, or that member would get a full ballot.
    let pending = pending_recusals(conn, &chosen)?;
    if !pending.is_empty() {
        return Err(Error::invalid("recusals", Msg::RecusalsPending { pairs: pending }));
    }
    Ok(Plan { quorum, chosen, rules, frozen })
}

/// Whether a round over `candidates` (empty: the default round) may open
/// now, and whose PIN it takes — asked before the chair types a PIN, so
/// the screen and the CLI say what is missing (the trustees, quorum, an
/// undecided recusal, the PIN slips, a re-vote's reason) in plain words
/// instead of a PIN dialog that can only fail. Nothing is written. The
/// mode changes nothing here: every mode needs the same. A meeting opened
/// from an archive is refused first, as opening would be.
pub fn can_open(conn: &Meeting, candidates: &[String], reason: &str) -> Result<authority::Presiding> {
    conn.ensure_writable()?;
    can_open_now(conn, candidates, reason)
}

/// [`can_open`] on any connection (the checklist reads archives too).
pub(crate) fn can_open_now(
    conn: &Connection,
    candidates: &[String],
    reason: &str,
) -> Result<authority::Presiding> {
    let plan = plan(conn, candidates, reason)?;
    authority::presiding(conn, &plan.chosen)
}

/// Opens a round over `candidates` (empty: every candidate not yet decided
/// by a confirmed round). Refused as [`can_open`] refuses, then unless
/// `chair_pin` is the PIN of someone who may preside.
pub fn open_round(
    conn: &mut Meeting,
    candidates: &[String],
    reason: &str,
    mode: Mode,
    chair_pin: &str,
) -> Result<i64> {
    let tx = conn.write()?;
    let Plan { quorum: q, chosen, rules, frozen } = plan(&tx, candidates, reason)?;
    authority::presiding(&tx, &chosen)?;
    let by = authority::check(&tx, chair_pin, &chosen)?;
    if !frozen {
        store::meeting::freeze_rules(&tx, &rules, &now())?;
        audit::append(&tx, "rules.freeze", &serde_json::to_value(&rules)?)?;
    }
    let round = store::round::insert(
        &tx,
        &store::round::NewRound {
            mode: mode.as_str(),
            reason: reason.trim(),
            present: q.present,
            opened_at: &now(),
            sealed: mode != Mode::Paper,
            opened_by: &by.member_id,
        },
    )?;
    let eligible = register(&tx, round, &chosen)?;
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
    tracing::info!(
        round,
        mode = mode.as_str(),
        candidates = chosen.len(),
        present = q.present,
        "round opened"
    );
    Ok(round)
}

/// Whether the meeting may open a round now: none open or uncounted, a
/// roster, quorum, the chair or a vice chair present, the trustees named.
fn meeting_can_vote(tx: &Connection) -> Result<session::Quorum> {
    if let Some(id) = store::round::open_any(tx)? {
        return Err(Error::invalid("round", Msg::RoundAlreadyOpen { id }));
    }
    // A closed box not yet counted comes first: its candidates are undecided.
    if let Some(id) = store::round::closed_uncounted(tx)? {
        return Err(Error::invalid("round", Msg::NotTallied { id }));
    }
    let q = session::quorum(tx)?;
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
    crate::api::trustees::require_keys(tx)?;
    Ok(q)
}

/// The round's candidates: those named, or (none named) every candidate not
/// yet decided and not barred. Refused: a barred one named without the
/// chair's override, one not in the meeting, one past `max_rounds`, a
/// re-vote without its reason.
fn candidates_for_round(
    tx: &Connection,
    candidates: &[String],
    reason: &str,
    max_rounds: u32,
) -> Result<Vec<String>> {
    let chosen: Vec<String> =
        if candidates.is_empty() { store::round::undecided_candidates(tx)? } else { candidates.to_vec() };
    // 资格审查: the default round leaves barred candidates out (the screens
    // say why); naming one without the chair's override is refused.
    let blocked = crate::api::eligibility::blocked(tx, &chosen)?;
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
        if !store::roster::candidate_exists(tx, c)? {
            return Err(Error::NotFound(Msg::CandidateNotFound { id: c.clone() }));
        }
        let before = store::round::times_in_rounds(tx, c)?;
        if before >= max_rounds {
            return Err(Error::invalid(c.clone(), Msg::MaxRoundsReached { id: c.clone(), max: max_rounds }));
        }
        if before > 0 && reason.trim().is_empty() {
            return Err(Error::invalid(c.clone(), Msg::ReasonRequired { id: c.clone() }));
        }
    }
    Ok(chosen)
}

/// Writes the round's candidates and its voter register (every member
/// present and not recused, per candidate); returns the register.
fn register(tx: &Connection, round: i64, chosen: &[String]) -> Result<BTreeMap<String, Vec<String>>> {
    let present: Vec<String> =
        session::attendance(tx)?.into_iter().filter(|a| a.present).map(|a| a.id).collect();
    let mut eligible: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (seq, c) in chosen.iter().enumerate() {
        store::round::add_candidate(tx, round, c, seq)?;
        for m in &present {
            if !store::recusal::is_confirmed(tx, m, c)? {
                store::round::add_eligible(tx, round, m, c)?;
                eligible.entry(c.clone()).or_default().push(m.clone());
            }
        }
    }
    Ok(eligible)
}

/// Closes a station round on the chair's word, given by their PIN (members
/// who have not voted count as not voted). A paper round closes only when
/// the scrutineers' two entries agree, see [`enter_paper_counts`].
pub fn close_round(conn: &mut Meeting, round: i64, chair_pin: &str) -> Result<()> {
    let mode = store::round::mode(conn, round)?;
    if mode.as_deref() == Some("paper") {
        return Err(Error::invalid("round", Msg::PaperNotAgreed { id: round }));
    }
    let tx = conn.write()?;
    if let Some(None) = store::round::closed_at(&tx, round)? {
        let by = authority::check(&tx, chair_pin, &round_candidates(&tx, round)?)?;
        store::round::set_closed_by(&tx, round, &by.member_id)?;
    }
    crate::api::tally::seal_box(&tx, round)?;
    tx.commit()?;
    tracing::info!(round, "round closed");
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
    match store::round::confirmation(&tx, round)? {
        None => return Err(Error::NotFound(Msg::RoundNotFound { id: round })),
        Some((None, _, _)) => return Err(Error::invalid("round", Msg::RoundNotClosed { id: round })),
        Some((_, Some(_), _)) => {
            return Err(Error::invalid("round", Msg::RoundAlreadyConfirmed { id: round }))
        }
        _ => {}
    }
    if !store::ballot_box::is_counted(&tx, round)? {
        // A sealed box is confirmed only once two trustees have counted it.
        return Err(Error::invalid("round", Msg::NotTallied { id: round }));
    }
    let by = authority::check(&tx, chair_pin, &round_candidates(&tx, round)?)?;
    store::round::confirm(&tx, round, &now(), &by.member_id)?;
    audit::append(&tx, "round.confirm", &serde_json::json!({ "round": round, "by": by.member_id }))?;
    tx.commit()?;
    tracing::info!(round, "round confirmed");
    Ok(())
}

/// The candidates of `round`, in ballot order.
pub(crate) fn round_candidates(conn: &Connection, round: i64) -> Result<Vec<String>> {
    store::round::candidates(conn, round)
}

pub use crate::store::ballot_box::ResultRow;

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
    store::round::ids(conn)?.into_iter().map(|id| round_status(conn, id)).collect()
}

pub fn round_status(conn: &Connection, id: i64) -> Result<RoundStatus> {
    let store::round::RoundRow {
        reason,
        present,
        opened_at,
        closed_at,
        confirmed_at,
        mode,
        sealed,
        box_root,
    } = store::round::get(conn, id)?.ok_or(Error::NotFound(Msg::RoundNotFound { id }))?;
    let candidates = round_candidates(conn, id)?;
    // Who authorised each act, by name.
    let (opened_by, closed_by, confirmed_by) = store::round::actors(conn, id)?;
    let voted = store::ballot_box::voters(conn, id)?;
    let not_voted = store::round::not_voted_names(conn, id)?;
    let voters_expected = store::round::voters_expected(conn, id)?;
    let results = store::ballot_box::results(conn, id)?;
    let paper = if mode == "paper" { Some(paper_status(conn, id)?) } else { None };
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
    store::round::eligible_counts(conn, round)
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
