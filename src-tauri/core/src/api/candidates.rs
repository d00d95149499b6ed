//! Reading the candidates and the roster of a meeting.

use crate::domain::flags::{flags, Flag};
use crate::domain::meeting::Level;
use crate::domain::vocab;
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::package::model::{Candidate, Votes};
use crate::store;
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

/// A candidate as the meeting's list shows it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct CandidateRow {
    pub id: String,
    pub name: String,
    pub organization: String,
    pub current_title: Option<String>,
    pub applied_title: String,
    pub track: Option<String>,
    pub post_type: Option<String>,
    pub review_group: Option<String>,
    #[ts(type = "number | null")]
    pub years_in_post: Option<i64>,
    pub achievements: usize,
    pub representative: usize,
    pub recommendation: Option<String>,
    pub votes: Option<Votes>,
    pub flags: Vec<Flag>,
}

/// One evidence file of a candidate, as the viewer opens it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct EvidenceFile {
    /// `None` for documents not tied to an achievement.
    pub achievement_id: Option<String>,
    pub title: Option<String>,
    pub path: String,
    pub sha256: String,
    pub mime: String,
    #[ts(type = "number")]
    pub size: u64,
}

/// Everything the candidate page shows.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct CandidateDetail {
    pub candidate: Candidate,
    pub flags: Vec<Flag>,
    /// The application conditions, met or not, and what they were checked against.
    pub conditions: crate::domain::conditions::Check,
    pub standard: crate::api::standard::StandardInfo,
    pub files: Vec<EvidenceFile>,
}

/// The committee level of the meeting in `conn`.
pub fn level(conn: &Connection) -> Result<Level> {
    Level::parse(&store::meeting::level(conn)?)
}

pub(crate) fn all(conn: &Connection) -> Result<Vec<Candidate>> {
    store::packages::candidates(conn)
}

/// Candidates in agenda order: review group, applied title, id.
pub fn list(conn: &Connection) -> Result<Vec<CandidateRow>> {
    let level = level(conn)?;
    let ctx = crate::api::standard::context(conn)?;
    let mut rows: Vec<CandidateRow> = all(conn)?
        .into_iter()
        .map(|c| CandidateRow {
            flags: all_flags(&c, level, &ctx),
            achievements: c.achievements.len(),
            representative: c.achievements.iter().filter(|a| a.representative).count(),
            current_title: c.current_title.as_ref().map(|t| t.title.clone()),
            recommendation: c.group_opinion.as_ref().and_then(|g| g.recommendation.clone()),
            votes: c.group_opinion.as_ref().and_then(|g| g.votes.clone()),
            id: c.id,
            name: c.name,
            organization: c.organization,
            applied_title: c.applied_title,
            track: c.track,
            post_type: c.post_type,
            review_group: c.review_group,
            years_in_post: c.years_in_post,
        })
        .collect();
    rows.sort_by(|a, b| {
        a.review_group
            .cmp(&b.review_group)
            .then(vocab::title_rank(&a.applied_title).cmp(&vocab::title_rank(&b.applied_title)))
            .then(a.id.cmp(&b.id))
    });
    Ok(rows)
}

/// One candidate with flags and evidence files; representative achievements first.
pub fn detail(conn: &Connection, id: &str) -> Result<CandidateDetail> {
    let Some(mut candidate) = store::packages::candidate(conn, id)? else {
        return Err(Error::NotFound(Msg::CandidateNotFound { id: id.into() }));
    };
    candidate.achievements.sort_by_key(|a| !a.representative);
    let files = store::packages::candidate_files(conn, id)?
        .into_iter()
        .map(|(achievement_id, title, path, sha256, mime, size)| EvidenceFile {
            achievement_id,
            title,
            path,
            sha256,
            mime,
            size: size as u64,
        })
        .collect();
    let ctx = crate::api::standard::context(conn)?;
    Ok(CandidateDetail {
        flags: all_flags(&candidate, level(conn)?, &ctx),
        conditions: ctx.check(&candidate),
        standard: ctx.info,
        candidate,
        files,
    })
}

/// The candidate's flags with the application conditions checked (flagged
/// unless they are met).
fn all_flags(c: &Candidate, level: Level, ctx: &crate::api::standard::Context) -> Vec<Flag> {
    let mut out = flags(c, level);
    let check = ctx.check(c);
    if check.outcome != crate::domain::conditions::Outcome::Meets {
        out.push(Flag::Conditions { bars: ctx.bars(&check), check });
    }
    out
}

/// How many members the roster has (0 when none is imported).
pub fn member_count(conn: &Connection) -> Result<usize> {
    Ok(store::roster::member_count(conn)? as usize)
}

/// A meeting's candidates (agenda order) and roster size.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct MeetingContents {
    pub candidates: Vec<CandidateRow>,
    pub members: usize,
}

/// The candidate list and roster size, as the meeting screen shows them.
pub fn contents(conn: &Connection) -> Result<MeetingContents> {
    Ok(MeetingContents { candidates: list(conn)?, members: member_count(conn)? })
}
