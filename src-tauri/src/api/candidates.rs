//! Reading the candidates and the roster of a meeting.

use crate::error::Result;
use crate::package::model::Candidate;
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
    pub applied_title: String,
    pub track: Option<String>,
    pub review_group: Option<String>,
    pub achievements: usize,
    pub representative: usize,
}

/// Candidates in agenda order: review group, applied title, id.
pub fn list(conn: &Connection) -> Result<Vec<CandidateRow>> {
    let mut stmt = conn.prepare("SELECT data FROM candidate")?;
    let mut rows: Vec<CandidateRow> = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .filter_map(|d| d.ok())
        .filter_map(|d| serde_json::from_str::<Candidate>(&d).ok())
        .map(|c| CandidateRow {
            achievements: c.achievements.len(),
            representative: c.achievements.iter().filter(|a| a.representative).count(),
            id: c.id,
            name: c.name,
            organization: c.organization,
            applied_title: c.applied_title,
            track: c.track,
            review_group: c.review_group,
        })
        .collect();
    rows.sort_by(|a, b| {
        a.review_group
            .cmp(&b.review_group)
            .then(
                crate::domain::vocab::title_rank(&a.applied_title)
                    .cmp(&crate::domain::vocab::title_rank(&b.applied_title)),
            )
            .then(a.id.cmp(&b.id))
    });
    Ok(rows)
}

/// How many members the roster has (0 when none is imported).
pub fn member_count(conn: &Connection) -> Result<usize> {
    Ok(conn.query_row("SELECT count(*) FROM member", [], |r| r.get::<_, i64>(0))? as usize)
}
