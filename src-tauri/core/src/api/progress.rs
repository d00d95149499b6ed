//! The meeting checklist (会议进程, issue 25): the meeting's steps in order,
//! each done, to do or blocked with the reason in plain words, so that a
//! secretary who has never read a manual sees what comes next and why a
//! step cannot be taken yet. One function answers for every shell (the
//! window's panel, `status --json`), so they never disagree.

use crate::api::voting::{self, RoundStatus};
use crate::api::{eligibility, session, trustees};
use crate::error::{Error, Result};
use crate::i18n::{Lang, Msg};
use crate::store;
use rusqlite::Connection;
use serde::Serialize;
use std::collections::HashSet;
use ts_rs::TS;

/// A step of the meeting, in the order they are taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum StepKey {
    Roster,
    Dossiers,
    Signin,
    Recusals,
    Eligibility,
    Ceremony,
    Pins,
    /// Listed only where the members' terminals are used or were started.
    Network,
    Rounds,
    Results,
    Prints,
    Archive,
}

/// Where a step stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum StepState {
    Done,
    /// Can be taken now.
    Todo,
    /// Cannot be taken until something else is done (the reason says what).
    Blocked,
}

/// One line of the checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Step {
    pub key: StepKey,
    pub state: StepState,
    /// Why it is to do or blocked (or a note on a done step), in the UI language.
    pub why: Option<String>,
    /// The first step to do: the one the screen highlights.
    pub next: bool,
}

/// A step before its reason is put into words.
type Line = (StepKey, StepState, Option<Msg>);

/// The checklist of the meeting as it stands, its reasons in `lang`.
pub fn checklist(conn: &Connection, lang: Lang) -> Result<Vec<Step>> {
    let f = Facts::read(conn)?;
    let rounds = rounds_step(conn, &f)?;
    let finished = rounds.1 == StepState::Done;
    let mut lines = vec![
        roster(&f),
        dossiers(&f),
        signin(&f, finished),
        recusals(conn, &f)?,
        eligibility_step(&f),
        ceremony(&f),
        pins(&f, finished),
    ];
    if f.uses_terminals {
        lines.push(network(&f));
    }
    lines.extend([rounds, results(&f), prints(&f), archive(&f)]);
    let next = lines.iter().position(|(_, s, _)| *s == StepState::Todo);
    Ok(lines
        .into_iter()
        .enumerate()
        .map(|(i, (key, state, why))| Step {
            key,
            state,
            why: why.map(|m| m.render(lang)),
            next: Some(i) == next,
        })
        .collect())
}

/// What the steps are decided from, read once.
struct Facts {
    members: i64,
    candidates: i64,
    quorum: session::Quorum,
    attendance: Vec<session::Attendee>,
    pin_holders: HashSet<String>,
    trustees_named: bool,
    /// Candidates 资格审查 bars with no override: (id, name).
    barred_out: Vec<(String, String)>,
    rounds: Vec<RoundStatus>,
    uses_terminals: bool,
    cards_printed: bool,
    /// Audit numbers of each round's confirmation, of the printed results
    /// sheets (with their round), the minutes and the archive exports.
    confirmed: Vec<(i64, i64)>,
    results_printed: Vec<(i64, i64)>,
    minutes_printed: Option<i64>,
    exported: Option<i64>,
}

impl Facts {
    fn read(conn: &Connection) -> Result<Facts> {
        let rounds = voting::rounds(conn)?;
        let kind = |k: &str| store::audit::of_kind(conn, k);
        let with_round = |k: &str| -> Result<Vec<(i64, i64)>> {
            Ok(kind(k)?.into_iter().filter_map(|(seq, d)| Some((seq, round_of(&d)?))).collect())
        };
        let last = |k: &str| -> Result<Option<i64>> { Ok(kind(k)?.last().map(|(seq, _)| *seq)) };
        let cards_printed = last("print.terminal_cards")?.is_some();
        Ok(Facts {
            members: store::roster::member_count(conn)?,
            candidates: store::roster::candidate_count(conn)?,
            quorum: session::quorum(conn)?,
            attendance: session::attendance(conn)?,
            pin_holders: store::roster::pin_hashes(conn)?.into_iter().map(|(id, _)| id).collect(),
            trustees_named: !trustees::list(conn)?.is_empty(),
            barred_out: eligibility::barred(conn)?
                .into_iter()
                .filter(|b| b.overridden.is_none())
                .map(|b| (b.candidate_id, b.name))
                .collect(),
            uses_terminals: cards_printed
                || last("terminals.certificate")?.is_some()
                || rounds.iter().any(|r| r.mode == voting::Mode::Terminal.as_str()),
            cards_printed,
            rounds,
            confirmed: with_round("round.confirm")?,
            results_printed: with_round("print.results")?,
            minutes_printed: last("print.minutes")?,
            exported: last("archive.export")?,
        })
    }

    fn imported(&self) -> bool {
        self.members > 0 && self.candidates > 0
    }

    fn last_confirmed(&self) -> Option<i64> {
        self.confirmed.iter().map(|(seq, _)| *seq).max()
    }
}

/// The `round` an audit entry's detail names.
fn round_of(detail: &str) -> Option<i64> {
    serde_json::from_str::<serde_json::Value>(detail).ok()?.get("round")?.as_i64()
}

fn done(key: StepKey) -> Line {
    (key, StepState::Done, None)
}

fn roster(f: &Facts) -> Line {
    if f.members > 0 {
        done(StepKey::Roster)
    } else {
        (StepKey::Roster, StepState::Todo, Some(Msg::NoRoster))
    }
}

fn dossiers(f: &Facts) -> Line {
    if f.candidates > 0 {
        done(StepKey::Dossiers)
    } else {
        (StepKey::Dossiers, StepState::Todo, Some(Msg::StepNoDossiers))
    }
}

/// Quorum and a chair or vice chair present; once every candidate is
/// decided, members leaving no longer matter.
fn signin(f: &Facts, finished: bool) -> Line {
    let q = &f.quorum;
    if f.members == 0 {
        (StepKey::Signin, StepState::Blocked, Some(Msg::StepImportFirst))
    } else if finished || (q.met && q.chair_present) {
        done(StepKey::Signin)
    } else if !q.met {
        (StepKey::Signin, StepState::Todo, Some(Msg::NoQuorum { present: q.present, needed: q.needed }))
    } else {
        (StepKey::Signin, StepState::Todo, Some(Msg::NoChairPresent))
    }
}

/// Done once the app's proposals were made and every one decided. A first
/// look that found nothing is in the audit log too (see
/// [`session::propose_recusals`]).
fn recusals(conn: &Connection, f: &Facts) -> Result<Line> {
    if !f.imported() {
        return Ok((StepKey::Recusals, StepState::Blocked, Some(Msg::StepImportFirst)));
    }
    let pending = store::recusal::proposed_named(conn)?;
    if !pending.is_empty() {
        let pairs = pending.into_iter().map(|(m, c, _)| (m, c)).collect();
        return Ok((StepKey::Recusals, StepState::Todo, Some(Msg::RecusalsPending { pairs })));
    }
    let looked = !session::recusals(conn)?.is_empty()
        || !store::audit::of_kind(conn, "recusal.propose")?.is_empty()
        || !f.rounds.is_empty();
    Ok(if looked {
        done(StepKey::Recusals)
    } else {
        (StepKey::Recusals, StepState::Todo, Some(Msg::StepRecusalsNotProposed))
    })
}

/// 资格审查 is checked by the app itself: the step is done, with a note
/// naming who stays out of the vote unless the chair lets them in.
fn eligibility_step(f: &Facts) -> Line {
    if f.candidates == 0 {
        return (StepKey::Eligibility, StepState::Blocked, Some(Msg::StepNoDossiers));
    }
    let names: Vec<String> = f.barred_out.iter().map(|(_, name)| name.clone()).collect();
    let note = (!names.is_empty()).then_some(Msg::StepEligibilityOut { names });
    (StepKey::Eligibility, StepState::Done, note)
}

fn ceremony(f: &Facts) -> Line {
    if f.trustees_named {
        done(StepKey::Ceremony)
    } else if f.members == 0 {
        (StepKey::Ceremony, StepState::Blocked, Some(Msg::StepImportFirst))
    } else {
        (StepKey::Ceremony, StepState::Todo, Some(Msg::NoTrustees))
    }
}

/// Every member present holds a PIN (the PIN slips are printed at sign-in).
fn pins(f: &Facts, finished: bool) -> Line {
    let present: Vec<&session::Attendee> = f.attendance.iter().filter(|a| a.present).collect();
    if finished {
        return done(StepKey::Pins);
    }
    if f.members == 0 {
        return (StepKey::Pins, StepState::Blocked, Some(Msg::StepImportFirst));
    }
    if present.is_empty() {
        return (StepKey::Pins, StepState::Blocked, Some(Msg::StepSignInFirst));
    }
    let names: Vec<String> =
        present.iter().filter(|a| !f.pin_holders.contains(&a.id)).map(|a| a.name.clone()).collect();
    if names.is_empty() {
        done(StepKey::Pins)
    } else {
        (StepKey::Pins, StepState::Todo, Some(Msg::StepPinsMissing { names }))
    }
}

fn network(f: &Facts) -> Line {
    if f.cards_printed {
        done(StepKey::Network)
    } else {
        (StepKey::Network, StepState::Todo, Some(Msg::StepCardsNotPrinted))
    }
}

/// Done when every candidate not barred has been decided by a confirmed
/// round; otherwise what opening the next round would say.
fn rounds_step(conn: &Connection, f: &Facts) -> Result<Line> {
    if let Some(open) = f.rounds.iter().find(|r| r.closed_at.is_none()) {
        let msg = Msg::StepRoundOpen { id: open.id, done: open.voters_done, expected: open.voters_expected };
        return Ok((StepKey::Rounds, StepState::Todo, Some(msg)));
    }
    let left: Vec<String> = store::round::undecided_candidates(conn)?
        .into_iter()
        .filter(|c| !f.barred_out.iter().any(|(id, _)| id == c))
        .collect();
    if left.is_empty() && !f.confirmed.is_empty() {
        return Ok(done(StepKey::Rounds));
    }
    Ok(match voting::can_open_now(conn, &[], "") {
        Ok(_) => (StepKey::Rounds, StepState::Todo, Some(Msg::StepRoundsLeft { count: left.len() })),
        Err(Error::Invalid { msg, .. } | Error::NotFound(msg)) => {
            (StepKey::Rounds, StepState::Blocked, Some(msg))
        }
        Err(e) => return Err(e),
    })
}

/// Every closed round counted and confirmed.
fn results(f: &Facts) -> Line {
    let closed: Vec<&RoundStatus> = f.rounds.iter().filter(|r| r.closed_at.is_some()).collect();
    if closed.is_empty() {
        return (StepKey::Results, StepState::Blocked, Some(Msg::StepNoResults));
    }
    if let Some(r) = closed.iter().find(|r| r.sealed && r.results.is_empty()) {
        return (StepKey::Results, StepState::Todo, Some(Msg::NotTallied { id: r.id }));
    }
    match closed.iter().find(|r| r.confirmed_at.is_none()) {
        Some(r) => (StepKey::Results, StepState::Todo, Some(Msg::StepAwaitConfirm { id: r.id })),
        None => done(StepKey::Results),
    }
}

/// Each confirmed round's results sheet printed after its confirmation, and
/// the minutes printed after the last confirmation.
fn prints(f: &Facts) -> Line {
    let Some(last) = f.last_confirmed() else {
        return (StepKey::Prints, StepState::Blocked, Some(Msg::StepNoConfirmed));
    };
    let rounds: Vec<i64> = f
        .confirmed
        .iter()
        .filter(|(at, round)| !f.results_printed.iter().any(|(seq, r)| r == round && seq > at))
        .map(|(_, round)| *round)
        .collect();
    let minutes = f.minutes_printed.is_none_or(|seq| seq < last);
    if rounds.is_empty() && !minutes {
        done(StepKey::Prints)
    } else {
        (StepKey::Prints, StepState::Todo, Some(Msg::StepPrintsMissing { rounds, minutes }))
    }
}

/// The archive exported after the last confirmation, with no round open.
fn archive(f: &Facts) -> Line {
    let Some(last) = f.last_confirmed() else {
        return (StepKey::Archive, StepState::Blocked, Some(Msg::StepNoConfirmed));
    };
    if let Some(open) = f.rounds.iter().find(|r| r.closed_at.is_none()) {
        return (StepKey::Archive, StepState::Blocked, Some(Msg::ExportRoundOpen { id: open.id }));
    }
    match f.exported {
        Some(seq) if seq > last => done(StepKey::Archive),
        Some(_) => (StepKey::Archive, StepState::Todo, Some(Msg::StepNotArchived)),
        None => (StepKey::Archive, StepState::Todo, None),
    }
}
