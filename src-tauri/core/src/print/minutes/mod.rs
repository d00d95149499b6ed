//! The minutes (会议记录): the meeting, attendance with who left when, the
//! quorum, the rules, recusals per candidate, each candidate's group opinion,
//! every round and its results, the audit chain's final hash, the meeting's
//! public key, a signature line for every member who attended, and the seal.

use super::layout::{Layout, Rendered};
use super::results::{MeetingInfo, Row};
use super::seal::Seal;
use crate::domain::rules::Rules;
use crate::i18n::labels::{label, page};
use crate::i18n::Lang;
use crate::package::model::GroupOpinion;
use serde::{Deserialize, Serialize};

pub const KIND: &str = "minutes";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attendance {
    pub name: String,
    pub role: String,
    pub organization: Option<String>,
    /// Sign-in and sign-out events in order: (present, local time).
    pub events: Vec<(bool, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecusalLine {
    pub candidate_id: String,
    pub candidate_name: String,
    pub member_name: String,
    pub reason: String,
}

/// A candidate barred by 资格审查: what bars them (label keys `bar.*`) and
/// the chair's reason when they were put to the vote after all.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BarredLine {
    pub candidate_id: String,
    pub name: String,
    pub reasons: Vec<String>,
    pub override_reason: Option<String>,
    /// Who authorised the override by their PIN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub override_by: Option<String>,
}

/// One candidate's application conditions: the outcome (code) and the
/// numbers compared, in the minutes' language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConditionLine {
    pub candidate_id: String,
    pub name: String,
    pub outcome: String,
    pub summary: String,
}

/// The standard the conditions were checked against, the reference date,
/// the rule for 不符合, the posts per title, and every candidate's line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConditionsSection {
    pub name: String,
    pub version: String,
    pub source: String,
    pub sha256: String,
    pub unit: bool,
    pub reference_date: String,
    pub flag_only: bool,
    /// (title code, posts).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub posts: Vec<(String, u32)>,
    pub lines: Vec<ConditionLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateLine {
    pub id: String,
    pub name: String,
    pub organization: String,
    pub applied_title: String,
    pub track: Option<String>,
    pub review_group: Option<String>,
    pub opinion: Option<GroupOpinion>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundLine {
    pub id: i64,
    pub mode: String,
    pub reason: String,
    pub present: i64,
    pub opened_at: String,
    pub closed_at: Option<String>,
    pub confirmed_at: Option<String>,
    /// Who confirmed it by their PIN (the chair, or a vice chair standing in).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed_by: Option<String>,
    pub rows: Vec<Row>,
    /// Encrypted rounds: the box root and every ballot's tracker, sorted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub box_root: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trackers: Vec<String>,
    /// The posts per title and the ranking; absent without posts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rankings: Vec<crate::domain::posts::Ranking>,
    /// Ballots members audited (检验): spoiled, never counted; their trackers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audited: Vec<String>,
}

/// Everything the minutes show: the canonical data that is signed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MinutesData {
    pub kind: String,
    pub lang: Lang,
    pub meeting: MeetingInfo,
    pub rules: Rules,
    pub roster: u32,
    pub quorum_needed: u32,
    pub attendance: Vec<Attendance>,
    pub recusals: Vec<RecusalLine>,
    /// Minutes sealed before eligibility existed have none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub barred: Vec<BarredLine>,
    /// The application conditions checked; none in minutes from before them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditions: Option<ConditionsSection>,
    pub candidates: Vec<CandidateLine>,
    pub rounds: Vec<RoundLine>,
    pub audit_entries: i64,
    pub audit_hash: String,
    pub public_key: String,
    /// Everyone who attended at some point: one signature line each.
    pub signers: Vec<String>,
}

mod conditions;
mod sections;

/// The minutes: every section in order, sealed.
pub fn render(data: &MinutesData, seal: &Seal) -> Option<Rendered> {
    let lang = data.lang;
    let title = label("minutes.title", lang);
    let mut l = Layout::new(&format!("{} — {}", data.meeting.name, title), false)?;
    l.reserve_qr_band();
    sections::heading_and_facts(&mut l, data);
    sections::attendance(&mut l, data);
    sections::recusals(&mut l, data);
    sections::eligibility(&mut l, data);
    conditions::conditions(&mut l, data);
    sections::candidates(&mut l, data);
    sections::rounds(&mut l, data);
    sections::integrity(&mut l, data);
    sections::signatures(&mut l, data);
    Some(l.finish(&data.meeting.name, |n, m| page(n, m, lang), Some(seal), lang))
}
