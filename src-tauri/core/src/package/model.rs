//! The normalised content of a package: what the manifest (or spreadsheet)
//! says, with titles, categories and tracks stored by code.

use crate::domain::vocab::Role;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Batch {
    pub name: Option<String>,
    pub series: Option<String>,
    pub issued_by: Option<String>,
    pub created_at: Option<String>,
}

/// A reference to an evidence file. `sha256` is `None` only in the
/// spreadsheet form until the file has been hashed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FileRef {
    pub title: Option<String>,
    pub path: String,
    pub sha256: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CurrentTitle {
    pub title: String,
    pub obtained: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Education {
    pub degree: Option<String>,
    pub major: Option<String>,
    pub graduated: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Ethics {
    pub result: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Integrity {
    pub clean: bool,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Assessment {
    #[ts(type = "number")]
    pub year: i64,
    pub grade: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Achievement {
    pub id: String,
    /// Category code (`patent`, …).
    pub category: String,
    pub title: String,
    pub date: Option<String>,
    pub role: Option<String>,
    pub level: Option<String>,
    pub representative: bool,
    pub description: Option<String>,
    pub files: Vec<FileRef>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Votes {
    #[serde(rename = "for")]
    #[ts(rename = "for")]
    #[ts(type = "number | null")]
    pub for_: Option<i64>,
    #[ts(type = "number | null")]
    pub against: Option<i64>,
    #[ts(type = "number | null")]
    pub abstain: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GroupOpinion {
    pub reviewers: Vec<String>,
    pub text: Option<String>,
    pub recommendation: Option<String>,
    pub votes: Option<Votes>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Candidate {
    pub id: String,
    pub name: String,
    pub gender: Option<String>,
    pub birth_date: Option<String>,
    pub organization: String,
    pub institution_type: Option<String>,
    pub department: Option<String>,
    pub current_title: Option<CurrentTitle>,
    /// Title code (`senior_lab_engineer`, …).
    pub applied_title: String,
    /// Track code (`normal`, `exceptional`, `green_channel`); `None` when not given.
    pub track: Option<String>,
    pub post_type: Option<String>,
    pub review_group: Option<String>,
    pub education: Option<Education>,
    pub work_started: Option<String>,
    #[ts(type = "number | null")]
    pub years_in_post: Option<i64>,
    pub hardship_service: Option<bool>,
    pub ethics: Option<Ethics>,
    pub integrity: Option<Integrity>,
    pub assessments: Vec<Assessment>,
    pub statement: Option<String>,
    pub documents: Vec<FileRef>,
    pub achievements: Vec<Achievement>,
    pub group_opinion: Option<GroupOpinion>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Dossier {
    pub batch: Batch,
    pub candidates: Vec<Candidate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Member {
    pub id: String,
    pub name: String,
    pub organization: Option<String>,
    pub title: Option<String>,
    pub role: Role,
    pub review_group: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Committee {
    pub name: Option<String>,
    pub series: Option<String>,
    /// `senior`, `intermediate` or `junior`.
    pub level: Option<String>,
    pub members: Vec<Member>,
}
