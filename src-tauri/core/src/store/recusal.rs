//! The `recusal` table: conflicts of interest between a member and a
//! candidate, proposed by the app or declared, then confirmed or dismissed.

use crate::error::Result;
use rusqlite::{params, Connection};

/// A conflict of interest between a member and a candidate.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Recusal {
    pub member_id: String,
    pub member_name: String,
    pub candidate_id: String,
    pub candidate_name: String,
    /// `proposed`, `confirmed` or `dismissed`.
    pub status: String,
    /// `same_organization`, `reviewer`, or free text from the secretary or member.
    pub reason: String,
}

/// Proposes a conflict unless one is recorded for the pair; the rows added (0 or 1).
pub fn propose(conn: &Connection, member: &str, candidate: &str, reason: &str) -> Result<usize> {
    Ok(conn.execute(
        "INSERT OR IGNORE INTO recusal (member_id, candidate_id, status, reason) VALUES (?1, ?2, 'proposed', ?3)",
        params![member, candidate, reason],
    )?)
}

/// Records `status` for the pair (a new pair with `reason`); `false` when a
/// constraint refused it (no such member or candidate).
pub fn decide(conn: &Connection, member: &str, candidate: &str, status: &str, reason: &str) -> Result<bool> {
    match conn.execute(
        "INSERT INTO recusal (member_id, candidate_id, status, reason) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(member_id, candidate_id) DO UPDATE SET status = excluded.status",
        params![member, candidate, status, reason],
    ) {
        Ok(_) => Ok(true),
        Err(rusqlite::Error::SqliteFailure(f, _)) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
            Ok(false)
        }
        Err(e) => Err(e.into()),
    }
}

/// The pairs still only proposed, by candidate then member.
pub fn pending(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT member_id, candidate_id FROM recusal WHERE status = 'proposed' ORDER BY candidate_id, member_id",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Sets `status` on every pair still only proposed.
pub fn decide_pending(conn: &Connection, status: &str) -> Result<()> {
    conn.execute("UPDATE recusal SET status = ?1 WHERE status = 'proposed'", [status])?;
    Ok(())
}

/// Every conflict, by candidate then roster order.
pub fn all(conn: &Connection) -> Result<Vec<Recusal>> {
    let mut stmt = conn.prepare(
        "SELECT r.member_id, m.name, r.candidate_id, c.name, r.status, r.reason
         FROM recusal r JOIN member m ON m.id = r.member_id JOIN candidate c ON c.id = r.candidate_id
         ORDER BY c.id, m.seq",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Recusal {
            member_id: r.get(0)?,
            member_name: r.get(1)?,
            candidate_id: r.get(2)?,
            candidate_name: r.get(3)?,
            status: r.get(4)?,
            reason: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The candidates (id, name) `member` is confirmed recused for, by candidate id.
pub fn confirmed_for(conn: &Connection, member: &str) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT r.candidate_id, c.name FROM recusal r JOIN candidate c ON c.id = r.candidate_id
         WHERE r.member_id = ?1 AND r.status = 'confirmed' ORDER BY c.id",
    )?;
    let rows = stmt.query_map([member], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The conflicts still only proposed, named: (member name, candidate name,
/// candidate id), by candidate then roster order.
pub fn proposed_named(conn: &Connection) -> Result<Vec<(String, String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT m.name, c.name, r.candidate_id FROM recusal r
         JOIN member m ON m.id = r.member_id JOIN candidate c ON c.id = r.candidate_id
         WHERE r.status = 'proposed' ORDER BY c.id, m.seq",
    )?;
    let rows =
        stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Whether `member` is confirmed recused for `candidate`.
pub fn is_confirmed(conn: &Connection, member: &str, candidate: &str) -> Result<bool> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM recusal WHERE member_id = ?1 AND candidate_id = ?2 AND status = 'confirmed'",
        params![member, candidate],
        |r| r.get(0),
    )?;
    Ok(n > 0)
}
