//! The printed documents: what each shows (gathered from the meeting) and
//! the seal on the results sheet, minutes and 公示 list. Verifying a sealed
//! PDF is [`crate::api::verify::pdf`].

use crate::api::{candidates, session, voting};
use crate::audit;
use crate::domain::calendar;
use crate::error::{Error, Result};
use crate::i18n::{Lang, Msg};
use crate::print::layout::Rendered;
use crate::print::minutes::{
    self, Attendance, BarredLine, CandidateLine, MinutesData, RecusalLine, RoundLine,
};
use crate::print::publicity::{self, PassedLine, Period, PublicityData};
use crate::print::results::{self, MeetingInfo, ResultsData, Row};
use crate::print::{forms, page_seal, seal, signature};
use crate::store::{self, Meeting};
use rusqlite::Connection;
use serde::Serialize;
use std::collections::HashMap;

pub use crate::api::signing::{public_key, require_public_key, SigningKey};

/// What the results sheet of `round` shows.
pub fn results_data(conn: &Connection, round: i64, lang: Lang) -> Result<ResultsData> {
    let status = voting::round_status(conn, round)?;
    if status.closed_at.is_none() {
        return Err(Error::invalid("round", Msg::RoundNotClosed { id: round }));
    }
    let meeting = meeting_info(conn)?;
    let (rules, _) = session::rules(conn)?;
    let rows = result_rows(conn, round, status.results)?;
    Ok(ResultsData {
        kind: results::KIND.into(),
        lang,
        meeting,
        round,
        present: status.present,
        confirmed_at: status.confirmed_at,
        rules,
        rows,
        box_root: status.box_root,
        audit_head: Some(audit::round_head(conn, round)?),
        rankings: crate::api::posts::rankings(conn, round)?,
    })
}

/// How an archive's index names its meeting.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct MeetingRef {
    pub id: String,
    pub name: String,
    pub date: String,
}

pub fn meeting_info(conn: &Connection) -> Result<MeetingInfo> {
    let m = store::meeting::row(conn)?;
    // A roster without a committee name: the documents name the meeting's.
    let committee = store::meeting::committee_name(conn)?
        .filter(|c| !c.trim().is_empty())
        .unwrap_or_else(|| m.name.clone());
    Ok(MeetingInfo { id: m.id, name: m.name, date: m.date, place: m.place, level: m.level, committee })
}

fn result_rows(conn: &Connection, round: i64, results: Vec<voting::ResultRow>) -> Result<Vec<Row>> {
    let tracks: HashMap<String, Option<String>> =
        candidates::list(conn)?.into_iter().map(|c| (c.id, c.track)).collect();
    let places = crate::api::posts::places(conn, round)?;
    Ok(results
        .into_iter()
        .map(|r| Row {
            posts: places.get(&r.candidate_id).map(|p| p.code().to_string()),
            track: tracks.get(&r.candidate_id).cloned().flatten(),
            id: r.candidate_id,
            name: r.name,
            organization: r.organization,
            applied_title: r.applied_title,
            tally: r.tally,
        })
        .collect())
}

pub(crate) fn font_error() -> Error {
    Error::Io { path: "fonts".into(), source: std::io::Error::other("bundled font unreadable") }
}

/// Seals `data` with the meeting's key, renders it and logs the print.
/// The pages are laid out once to learn what each shows, each page's QR
/// body is signed, and the document is drawn again with those signatures
/// (the layout does not depend on them), then its bytes are signed.
fn sealed_pdf<T: Serialize>(
    conn: &Connection,
    key: &SigningKey,
    data: &T,
    audit_detail: serde_json::Value,
) -> Result<Vec<u8>> {
    let secret = key.secret();
    let canonical = serde_json::to_string(data)?;
    let mut sealed = seal::sign(&canonical, secret);
    let (first, _) = render_sealed(&sealed).ok_or_else(font_error)?;
    sealed.pages = first.pages.iter().map(|p| hex::encode(page_seal::sign(&p.body(), secret))).collect();
    let (rendered, doc) = render_sealed(&sealed).ok_or_else(font_error)?;
    let signer = format!("{} · Conclave", doc.meeting);
    let pdf =
        signature::sign(&rendered.pdf, &seal::pdf_signing_key(secret), &signer, std::time::SystemTime::now())
            .ok_or_else(|| Error::Io {
                path: "pdf".into(),
                source: std::io::Error::other("PDF signature failed"),
            })?;
    let mut detail = audit_detail;
    if let Some(o) = detail.as_object_mut() {
        o.insert("code".into(), seal::code(&canonical).into());
    }
    audit::append(conn, &format!("print.{}", doc.kind), &detail)?;
    Ok(pdf)
}

pub use crate::print::seal::{describe, SealedDoc};

/// Renders the document a seal's data describes (by its `kind`), without
/// its byte signature.
pub fn render_sealed(sealed: &seal::Seal) -> Option<(Rendered, SealedDoc)> {
    let value: serde_json::Value = serde_json::from_str(&sealed.data).ok()?;
    let kind = value.get("kind")?.as_str()?.to_string();
    match kind.as_str() {
        results::KIND => {
            let d: ResultsData = serde_json::from_value(value).ok()?;
            let doc = SealedDoc { kind, meeting: d.meeting.name.clone(), round: Some(d.round) };
            Some((results::render(&d, sealed)?, doc))
        }
        minutes::KIND => {
            let d: MinutesData = serde_json::from_value(value).ok()?;
            let doc = SealedDoc { kind, meeting: d.meeting.name.clone(), round: None };
            Some((minutes::render(&d, sealed)?, doc))
        }
        publicity::KIND => {
            let d: PublicityData = serde_json::from_value(value).ok()?;
            let doc = SealedDoc { kind, meeting: d.meeting.name.clone(), round: None };
            Some((publicity::render(&d, sealed)?, doc))
        }
        _ => None,
    }
}

/// The sealed results sheet of `round` as PDF bytes; logged in the audit.
pub fn results_sheet(conn: &Connection, key: &SigningKey, round: i64, lang: Lang) -> Result<Vec<u8>> {
    let data = results_data(conn, round, lang)?;
    sealed_pdf(conn, key, &data, serde_json::json!({ "round": round }))
}

/// A stored UTC time as the meeting room reads it: local "HH:MM" on the
/// meeting's day, "YYYY-MM-DD HH:MM" otherwise.
fn local_time(at: &str, meeting_date: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(at) {
        Ok(t) => {
            let local = t.with_timezone(&chrono::Local);
            if local.format("%Y-%m-%d").to_string() == meeting_date {
                local.format("%H:%M").to_string()
            } else {
                local.format("%Y-%m-%d %H:%M").to_string()
            }
        }
        Err(_) => at.to_string(),
    }
}

/// The key ceremony sheet (密钥生成记录), unsealed: the trustees sign it by
/// hand. Refused before the ceremony; logged in the audit.
pub fn key_ceremony_sheet(conn: &Connection, lang: Lang) -> Result<Vec<u8>> {
    let ceremony = crate::api::trustees::ceremony(conn)?
        .ok_or_else(|| Error::invalid("trustees", Msg::CeremonyFirst))?;
    let meeting = meeting_info(conn)?;
    let trustees = ceremony
        .trustees
        .iter()
        .zip(&ceremony.share_fingerprints)
        .map(|(t, fp)| {
            (crate::i18n::labels::label(&format!("trustee.{}", t.role), lang), t.name.clone(), fp.clone())
        })
        .collect();
    let sheet = crate::print::ceremony::CeremonySheet {
        at: local_time(&ceremony.at, &meeting.date),
        election_fingerprint: ceremony.election_fingerprint,
        signing_fingerprint: ceremony.signing_fingerprint,
        trustees,
        chain_head: ceremony.chain_head,
    };
    let pdf = crate::print::ceremony::ceremony_sheet(&meeting, &sheet, lang).ok_or_else(font_error)?;
    audit::append(conn, "print.ceremony", &serde_json::json!({}))?;
    Ok(pdf)
}

/// Each member in roster order with their 签到 / 离席, at local times.
fn attendance_lines(conn: &Connection, date: &str) -> Result<Vec<Attendance>> {
    let people = session::attendance(conn)?;
    let mut events: HashMap<String, Vec<(bool, String)>> = HashMap::new();
    for (m, present, at) in crate::store::attendance::log(conn)? {
        events.entry(m).or_default().push((present == 1, local_time(&at, date)));
    }
    Ok(people
        .iter()
        .map(|p| Attendance {
            name: p.name.clone(),
            role: p.role.as_str().to_string(),
            organization: p.organization.clone(),
            // A member who never signed in has no events.
            events: events.remove(&p.id).unwrap_or_default(),
        })
        .collect())
}

/// The candidates in agenda order, with their group opinions.
fn candidate_lines(conn: &Connection) -> Result<Vec<CandidateLine>> {
    let by_id: HashMap<String, crate::package::model::Candidate> =
        candidates::all(conn)?.into_iter().map(|c| (c.id.clone(), c)).collect();
    Ok(candidates::list(conn)?
        .into_iter()
        .filter_map(|row| by_id.get(&row.id))
        .map(|c| CandidateLine {
            id: c.id.clone(),
            name: c.name.clone(),
            organization: c.organization.clone(),
            applied_title: c.applied_title.clone(),
            track: c.track.clone(),
            review_group: c.review_group.clone(),
            opinion: c.group_opinion.clone(),
        })
        .collect())
}

/// Every round with its facts at local times, its results, box root and
/// trackers, and the trackers of the ballots audited in it.
fn round_lines(conn: &Connection, date: &str) -> Result<Vec<RoundLine>> {
    let mut rounds = Vec::new();
    let audited = voting::audited(conn)?;
    for r in voting::rounds(conn)? {
        let t = |at: &Option<String>| at.as_deref().map(|a| local_time(a, date));
        rounds.push(RoundLine {
            id: r.id,
            mode: r.mode.clone(),
            reason: r.reason.clone(),
            present: r.present,
            opened_at: local_time(&r.opened_at, date),
            closed_at: t(&r.closed_at),
            confirmed_at: t(&r.confirmed_at),
            confirmed_by: r.confirmed_by.clone(),
            rows: result_rows(conn, r.id, r.results)?,
            rankings: crate::api::posts::rankings(conn, r.id)?,
            box_root: r.box_root.clone(),
            trackers: r.trackers.clone(),
            audited: audited.iter().filter(|a| a.round == r.id).map(|a| a.tracker.clone()).collect(),
        });
    }
    Ok(rounds)
}

/// What the minutes show, as of now.
pub fn minutes_data(conn: &Connection, lang: Lang) -> Result<MinutesData> {
    let meeting = meeting_info(conn)?;
    let (rules, _) = session::rules(conn)?;
    let attendance = attendance_lines(conn, &meeting.date)?;
    let signers =
        attendance.iter().filter(|a| a.events.iter().any(|e| e.0)).map(|a| a.name.clone()).collect();
    let recusals = session::recusals(conn)?
        .into_iter()
        .filter(|r| r.status == "confirmed")
        .map(|r| RecusalLine {
            candidate_id: r.candidate_id,
            candidate_name: r.candidate_name,
            member_name: r.member_name,
            reason: r.reason,
        })
        .collect();
    let barred = crate::api::eligibility::barred(conn)?
        .into_iter()
        .map(|b| BarredLine {
            reasons: b.reason_keys().into_iter().map(String::from).collect(),
            override_by: b.overridden.as_ref().and_then(|o| o.by.clone()),
            override_reason: b.overridden.map(|o| o.reason),
            candidate_id: b.candidate_id,
            name: b.name,
        })
        .collect();
    let conditions = Some(crate::api::standard::minutes_section(conn, lang)?);
    let candidates = candidate_lines(conn)?;
    let rounds = round_lines(conn, &meeting.date)?;
    let (audit_entries, audit_hash) = audit::document_head(conn)?;
    let public_key = require_public_key(conn)?;
    let q = session::quorum(conn)?;
    Ok(MinutesData {
        kind: minutes::KIND.into(),
        lang,
        meeting,
        rules,
        roster: q.roster,
        quorum_needed: q.needed,
        attendance,
        recusals,
        barred,
        conditions,
        candidates,
        rounds,
        audit_entries,
        audit_hash,
        public_key,
        signers,
    })
}

/// The sealed minutes as PDF bytes; logged in the audit.
pub fn minutes(conn: &Connection, key: &SigningKey, lang: Lang) -> Result<Vec<u8>> {
    let data = minutes_data(conn, lang)?;
    sealed_pdf(conn, key, &data, serde_json::json!({ "audit_hash": data.audit_hash }))
}

/// The candidates whose latest confirmed result is a pass, in agenda order.
pub fn publicity_data(conn: &Connection, lang: Lang) -> Result<PublicityData> {
    // The outcome is the tally's (the one the results sheet shows and the
    // archive recounts), with the posts applied where a title has them.
    let latest: HashMap<String, bool> =
        crate::api::posts::walk(conn, true)?.latest.into_iter().map(|(c, (_, passes))| (c, passes)).collect();
    if latest.is_empty() {
        return Err(Error::invalid("round", Msg::NoConfirmedRound));
    }
    let rows = candidates::list(conn)?
        .into_iter()
        .filter(|c| latest.get(&c.id) == Some(&true))
        .map(|c| PassedLine {
            name: c.name,
            organization: c.organization,
            applied_title: c.applied_title,
            track: c.track,
        })
        .collect();
    Ok(PublicityData {
        kind: publicity::KIND.into(),
        lang,
        meeting: meeting_info(conn)?,
        rows,
        audit_head: Some(audit::document_head(conn)?.1),
        period: None,
    })
}

/// The 公示 period as the secretary gives it: the start, and the end only
/// when the bundled calendar does not cover the period.
#[derive(Debug, Clone, Default)]
pub struct PeriodRequest {
    pub start: String,
    pub end: Option<String>,
    /// Working days; [`calendar::PUBLICITY_DAYS`] when not given.
    pub days: Option<u32>,
}

fn date(field: &str, value: &str) -> Result<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .map_err(|_| Error::invalid(field, Msg::DateInvalid { value: value.into() }))
}

/// The period printed on the 公示 list: its end counted by the working-day
/// calendar, or as typed when the calendar does not cover it.
pub fn publicity_period(req: &PeriodRequest) -> Result<Period> {
    let start = date("start", &req.start)?;
    let working_days = req.days.unwrap_or(calendar::PUBLICITY_DAYS).max(1);
    let (end, counted) = match req.end.as_deref().filter(|e| !e.trim().is_empty()) {
        Some(end) => {
            let end = date("end", end)?;
            if end < start {
                return Err(Error::invalid("end", Msg::PeriodEndBeforeStart));
            }
            (end, false)
        }
        None => match calendar::period_end(start, working_days) {
            Ok(end) => (end, true),
            Err(calendar::Uncovered(day)) => {
                return Err(Error::invalid(
                    "end",
                    Msg::CalendarUncovered { date: day.to_string(), years: calendar::covered_years() },
                ))
            }
        },
    };
    Ok(Period { start: start.to_string(), end: end.to_string(), working_days, counted })
}

/// The sealed 公示 list as PDF bytes, with its period when given; logged in the audit.
pub fn publicity(
    conn: &Connection,
    key: &SigningKey,
    lang: Lang,
    period: Option<&PeriodRequest>,
) -> Result<Vec<u8>> {
    let mut data = publicity_data(conn, lang)?;
    data.period = period.map(publicity_period).transpose()?;
    sealed_pdf(conn, key, &data, serde_json::json!({ "passed": data.rows.len() }))
}

/// The sign-in sheet for the whole roster.
pub fn sign_in_sheet(conn: &Connection, lang: Lang) -> Result<Vec<u8>> {
    let people = session::attendance(conn)?;
    if people.is_empty() {
        return Err(Error::invalid("roster", Msg::NoRoster));
    }
    let lines: Vec<forms::SignInLine> = people
        .into_iter()
        .map(|p| forms::SignInLine {
            name: p.name,
            role: p.role.as_str().to_string(),
            organization: p.organization,
        })
        .collect();
    let pdf = forms::sign_in_sheet(&meeting_info(conn)?, &lines, lang).ok_or_else(font_error)?;
    audit::append(conn, "print.signin", &serde_json::json!({ "members": lines.len() }))?;
    Ok(pdf)
}

/// Issues fresh PINs to the members present and prints their slips.
pub fn pin_slips(conn: &mut Meeting, lang: Lang) -> Result<Vec<u8>> {
    let slips = session::issue_pins(conn)?;
    if slips.is_empty() {
        return Err(Error::invalid("attendance", Msg::NobodyPresent));
    }
    let slips: Vec<forms::PinSlip> =
        slips.into_iter().map(|s| forms::PinSlip { name: s.name, pin: s.pin }).collect();
    forms::pin_slips(&meeting_info(conn)?, &slips, lang).ok_or_else(font_error)
}

/// A fresh PIN for one present member (a lost or seen slip) on a single
/// slip; every other member's PIN stays as it was.
pub fn pin_slip(conn: &mut Meeting, member: &str, lang: Lang) -> Result<Vec<u8>> {
    let s = crate::api::pins::reissue_pin(conn, member)?;
    let slips = [forms::PinSlip { name: s.name, pin: s.pin }];
    forms::pin_slips(&meeting_info(conn)?, &slips, lang).ok_or_else(font_error)
}

/// The lines of a paper round's ballot and how many ballots to print.
pub fn paper_ballot_lines(conn: &Connection, round: i64) -> Result<(Vec<forms::BallotLine>, u32)> {
    let status = voting::round_status(conn, round)?;
    if status.mode != "paper" {
        return Err(Error::invalid("round", Msg::NotPaperRound { id: round }));
    }
    let by_id: HashMap<String, crate::package::model::Candidate> =
        candidates::all(conn)?.into_iter().map(|c| (c.id.clone(), c)).collect();
    let lines: Vec<forms::BallotLine> = status
        .candidates
        .iter()
        .filter_map(|id| by_id.get(id))
        .map(|c| forms::BallotLine {
            id: c.id.clone(),
            name: c.name.clone(),
            organization: c.organization.clone(),
            applied_title: c.applied_title.clone(),
            track: c.track.clone(),
        })
        .collect();
    Ok((lines, u32::try_from(status.present).unwrap_or(0)))
}

/// The numbered paper ballots of a paper-mode round: one per member present
/// when it opened.
pub fn paper_ballots(conn: &Connection, round: i64, lang: Lang) -> Result<Vec<u8>> {
    let (lines, count) = paper_ballot_lines(conn, round)?;
    let pdf =
        forms::paper_ballots(&meeting_info(conn)?, round, &lines, count, lang).ok_or_else(font_error)?;
    audit::append(conn, "print.ballots", &serde_json::json!({ "round": round, "ballots": count }))?;
    Ok(pdf)
}
