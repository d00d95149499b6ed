//! The ballot box: who voted (`voter`), the ballots (`ballot`,
//! `sealed_ballot`), their decryptions and the results.

use crate::error::Result;
use rusqlite::{params, Connection};

/// Whether `member` has voted in round `round`.
pub fn has_voted(conn: &Connection, round: i64, member: &str) -> Result<bool> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM voter WHERE round_id = ?1 AND member_id = ?2",
        params![round, member],
        |r| r.get(0),
    )?;
    Ok(n > 0)
}

/// Who has voted in round `round` (member ids, sorted; not what they chose).
pub fn voters(conn: &Connection, round: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT member_id FROM voter WHERE round_id = ?1 ORDER BY member_id")?;
    let rows = stmt.query_map([round], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

// A candidate's result in a round (no doc comment: ts-rs would copy it into the UI's bindings).
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ResultRow {
    pub candidate_id: String,
    pub name: String,
    pub organization: String,
    pub applied_title: String,
    pub tally: crate::domain::rules::Tally,
}

/// Round `round`'s results in ballot order.
pub fn results(conn: &Connection, round: i64) -> Result<Vec<ResultRow>> {
    let mut stmt = conn.prepare(
        "SELECT r.candidate_id, c.name, c.organization, c.applied_title, r.tally
         FROM result r JOIN candidate c ON c.id = r.candidate_id
         JOIN round_candidate rc ON rc.round_id = r.round_id AND rc.candidate_id = r.candidate_id
         WHERE r.round_id = ?1 ORDER BY rc.seq",
    )?;
    let rows = stmt
        .query_map([round], |r| {
            Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get::<_, String>(4)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut results = Vec::with_capacity(rows.len());
    for (candidate_id, name, organization, applied_title, tally) in rows {
        let tally = super::parse_row("result", &format!("{round}/{candidate_id}"), &tally)?;
        results.push(ResultRow { candidate_id, name, organization, applied_title, tally });
    }
    Ok(results)
}

/// Whether round `round` has results.
pub fn is_counted(conn: &Connection, round: i64) -> Result<bool> {
    let counted: i64 = conn.query_row("SELECT count(*) FROM result WHERE round_id = ?1", [round], |r| r.get(0))?;
    Ok(counted > 0)
}
