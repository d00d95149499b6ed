//! The committee's rules as the standard writes them (issue 27): the
//! application conditions each candidate is checked against, to the
//! meeting's reference date (资历计算截止日期); a unit's stricter table;
//! whether 不符合 bars or only flags; and the posts per applied title
//! (岗位结构比例). Every change is audited and refused once a round opened.

use crate::api::candidates;
use crate::audit;
use crate::domain::conditions::{self, Check, Outcome};
use crate::domain::standard::Table;
use crate::domain::vocab;
use crate::error::{Error, Result};
use crate::i18n::{Lang, Msg};
use crate::store::{self, Meeting};
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;

/// The posts of one applied title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Posts {
    pub title: String,
    pub posts: u32,
}

/// What the meeting checks against, as the window, the CLI and the minutes show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct StandardInfo {
    pub name: String,
    pub version: String,
    pub source: String,
    /// SHA-256 of the table's bytes as loaded (the bundled file for the national table).
    pub sha256: String,
    /// Whether a unit's own table replaces the national one.
    pub unit: bool,
    /// 资历计算截止日期 (`YYYY-MM-DD`).
    pub reference_date: String,
    /// 不符合 only flags the candidate instead of barring them.
    pub flag_only: bool,
    pub posts: Vec<Posts>,
}

/// One candidate's check, in agenda order.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct CandidateCheck {
    pub candidate_id: String,
    pub name: String,
    pub applied_title: String,
    pub track: Option<String>,
    pub check: Check,
}

/// The table, reference date and mode of a meeting, loaded once per use.
pub struct Context {
    pub table: Table,
    pub reference: NaiveDate,
    pub flag_only: bool,
    pub info: StandardInfo,
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn parse_date(value: &str) -> Option<NaiveDate> {
    let v = value.trim();
    NaiveDate::parse_from_str(v, "%Y-%m-%d").ok().filter(|_| v.len() == 10)
}

/// The meeting's table, reference date and mode.
pub fn context(conn: &Connection) -> Result<Context> {
    let s = store::standard::settings(conn)?;
    let meeting_date = store::meeting::row(conn)?.date;
    let date = s.reference_date.clone().unwrap_or(meeting_date);
    let reference = parse_date(&date).ok_or_else(|| {
        Error::Integrity(Msg::StoredRowInvalid {
            table: "standard".into(),
            key: "1".into(),
            detail: "reference_date".into(),
        })
    })?;
    let (table, sha256, unit) = match &s.unit {
        Some((_, sha, text)) => {
            let table = Table::parse(text.as_bytes()).map_err(|_| {
                Error::Integrity(Msg::StoredRowInvalid {
                    table: "standard".into(),
                    key: "1".into(),
                    detail: "unit_table".into(),
                })
            })?;
            (table, sha.clone(), true)
        }
        None => (Table::bundled(), sha256_hex(crate::domain::standard::BUNDLED.as_bytes()), false),
    };
    let posts =
        store::standard::posts(conn)?.into_iter().map(|(title, posts)| Posts { title, posts }).collect();
    let info = StandardInfo {
        name: table.name.clone(),
        version: table.version.clone(),
        source: table.source.clone(),
        sha256,
        unit,
        reference_date: reference.to_string(),
        flag_only: s.flag_only,
        posts,
    };
    Ok(Context { table, reference, flag_only: s.flag_only, info })
}

impl Context {
    pub fn check(&self, c: &crate::package::model::Candidate) -> Check {
        conditions::check(&self.table, c, self.reference)
    }

    /// Whether a check bars its candidate under this meeting's rule.
    pub fn bars(&self, check: &Check) -> bool {
        !self.flag_only && check.outcome == Outcome::Fails
    }
}

/// The meeting's standard settings.
pub fn info(conn: &Connection) -> Result<StandardInfo> {
    Ok(context(conn)?.info)
}

/// Every candidate's check, in agenda order.
pub fn check_all(conn: &Connection) -> Result<Vec<CandidateCheck>> {
    let ctx = context(conn)?;
    let mut by_id: std::collections::HashMap<String, crate::package::model::Candidate> =
        candidates::all(conn)?.into_iter().map(|c| (c.id.clone(), c)).collect();
    Ok(candidates::list(conn)?
        .into_iter()
        .filter_map(|row| by_id.remove(&row.id))
        .map(|c| CandidateCheck {
            check: ctx.check(&c),
            candidate_id: c.id,
            name: c.name,
            applied_title: c.applied_title,
            track: c.track,
        })
        .collect())
}

/// Refuses a change once the first round has opened.
fn not_frozen(conn: &Connection) -> Result<()> {
    if !store::round::ids(conn)?.is_empty() {
        return Err(Error::invalid("standard", Msg::StandardFrozen));
    }
    Ok(())
}

/// Validates a reference date typed by a person.
pub fn valid_reference_date(value: &str) -> Result<String> {
    parse_date(value).map(|d| d.to_string()).ok_or_else(|| {
        Error::invalid("reference_date", Msg::ReferenceDateInvalid { value: value.trim().into() })
    })
}

/// Sets the reference date (`None`: the meeting date). Used inside the
/// meeting's creation too, so it takes a connection in a transaction.
pub(crate) fn store_reference_date(tx: &Connection, date: Option<&str>) -> Result<Option<String>> {
    let date = date.map(valid_reference_date).transpose()?;
    let mut s = store::standard::settings(tx)?;
    s.reference_date = date.clone();
    store::standard::set(tx, &s)?;
    audit::append(tx, "standard.reference_date", &serde_json::json!({ "reference_date": date }))?;
    Ok(date)
}

pub fn set_reference_date(conn: &mut Meeting, date: Option<&str>) -> Result<StandardInfo> {
    let tx = conn.write()?;
    not_frozen(&tx)?;
    store_reference_date(&tx, date)?;
    let info = info(&tx)?;
    tx.commit()?;
    Ok(info)
}

/// Sets whether 不符合 only flags (true) or bars (false, the default).
pub fn set_flag_only(conn: &mut Meeting, flag_only: bool) -> Result<StandardInfo> {
    let tx = conn.write()?;
    not_frozen(&tx)?;
    let mut s = store::standard::settings(&tx)?;
    s.flag_only = flag_only;
    store::standard::set(&tx, &s)?;
    audit::append(&tx, "standard.mode", &serde_json::json!({ "flag_only": flag_only }))?;
    let info = info(&tx)?;
    tx.commit()?;
    Ok(info)
}

/// Loads a unit's stricter table (`None`: back to the national one): it
/// must parse, validate and ask no less than the national table. Its name
/// and SHA-256 go into the audit chain; its bytes stay in the meeting.
pub fn load_unit_table(conn: &mut Meeting, bytes: Option<&[u8]>) -> Result<StandardInfo> {
    let unit = match bytes {
        Some(bytes) => {
            let table = Table::parse(bytes).map_err(|m| Error::invalid("standard", m))?;
            table.check_stricter_than(&Table::bundled()).map_err(|m| Error::invalid("standard", m))?;
            let text = String::from_utf8_lossy(bytes).into_owned();
            Some((table.name, sha256_hex(bytes), text))
        }
        None => None,
    };
    let tx = conn.write()?;
    not_frozen(&tx)?;
    let mut s = store::standard::settings(&tx)?;
    s.unit = unit.clone();
    store::standard::set(&tx, &s)?;
    let (name, sha) = unit.map(|(n, h, _)| (Some(n), Some(h))).unwrap_or_default();
    audit::append(&tx, "standard.unit_table", &serde_json::json!({ "name": name, "sha256": sha }))?;
    let info = info(&tx)?;
    tx.commit()?;
    Ok(info)
}

/// Sets the posts of applied title `title` (code or Chinese label);
/// `None` removes the limit.
pub fn set_posts(conn: &mut Meeting, title: &str, posts: Option<u32>) -> Result<StandardInfo> {
    let Some(code) = vocab::title_code(title.trim()) else {
        return Err(Error::invalid(
            "title",
            Msg::NotInList { value: title.trim().into(), allowed: vocab::spellings(vocab::TITLES) },
        ));
    };
    if posts.is_some_and(|n| n > 10_000) {
        let label = vocab::label(&format!("title.{code}"), crate::i18n::Lang::Zh).unwrap_or(code);
        return Err(Error::invalid(
            "posts",
            Msg::PostsInvalid { title: label.into(), value: posts.unwrap_or(0).to_string() },
        ));
    }
    let tx = conn.write()?;
    not_frozen(&tx)?;
    store::standard::set_posts(&tx, code, posts)?;
    audit::append(&tx, "posts.set", &serde_json::json!({ "title": code, "posts": posts }))?;
    let info = info(&tx)?;
    tx.commit()?;
    Ok(info)
}

/// The minutes' application-conditions section, as of now.
pub fn minutes_section(conn: &Connection, lang: Lang) -> Result<crate::print::minutes::ConditionsSection> {
    let info = crate::api::standard::info(conn)?;
    let lines = crate::api::standard::check_all(conn)?
        .into_iter()
        .map(|c| crate::print::minutes::ConditionLine {
            outcome: c.check.outcome.label_key().trim_start_matches("condition.").to_string(),
            summary: if lang == Lang::Zh { c.check.zh } else { c.check.en },
            candidate_id: c.candidate_id,
            name: c.name,
        })
        .collect();
    Ok(crate::print::minutes::ConditionsSection {
        name: info.name,
        version: info.version,
        source: info.source,
        sha256: info.sha256,
        unit: info.unit,
        reference_date: info.reference_date,
        flag_only: info.flag_only,
        posts: info.posts.into_iter().map(|p| (p.title, p.posts)).collect(),
        lines,
    })
}
