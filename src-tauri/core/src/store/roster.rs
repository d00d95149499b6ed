//! The roster: `member` (with the verifier of each member's PIN, in the
//! `pin_hash` column) and `candidate`.

use crate::error::Result;
use rusqlite::{params, Connection};

/// Whether `member` is on the roster.
pub fn member_exists(conn: &Connection, member: &str) -> Result<bool> {
    Ok(conn.query_row("SELECT count(*) FROM member WHERE id = ?1", [member], |r| r.get::<_, i64>(0))? > 0)
}

/// Every member's id, name and organisation (table order).
pub fn members_with_organization(conn: &Connection) -> Result<Vec<(String, String, Option<String>)>> {
    let mut stmt = conn.prepare("SELECT id, name, organization FROM member")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Replaces `member`'s PIN verifier.
pub fn set_pin_hash(conn: &Connection, member: &str, hash: &str) -> Result<()> {
    conn.execute("UPDATE member SET pin_hash = ?1 WHERE id = ?2", params![hash, member])?;
    Ok(())
}

/// Every member who holds a PIN, with its verifier, in roster order.
pub fn pin_hashes(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare("SELECT id, pin_hash FROM member WHERE pin_hash IS NOT NULL ORDER BY seq")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How many candidates the meeting has.
pub fn candidate_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM candidate", [], |r| r.get(0))?)
}

/// Whether `candidate` is in the meeting.
pub fn candidate_exists(conn: &Connection, candidate: &str) -> Result<bool> {
    let n: i64 = conn.query_row("SELECT count(*) FROM candidate WHERE id = ?1", [candidate], |r| r.get(0))?;
    Ok(n > 0)
}

/// `member`'s name, `None` when not on the roster.
pub fn member_name(conn: &Connection, member: &str) -> Result<Option<String>> {
    use rusqlite::OptionalExtension;
    Ok(conn.query_row("SELECT name FROM member WHERE id = ?1", [member], |r| r.get(0)).optional()?)
}

/// Every member's id and name, in roster order.
pub fn members_in_order(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare("SELECT id, name FROM member ORDER BY seq")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The id of the member named `name`, `None` when no one on the roster is.
pub fn member_id_by_name(conn: &Connection, name: &str) -> Result<Option<String>> {
    use rusqlite::OptionalExtension;
    Ok(conn.query_row("SELECT id FROM member WHERE name = ?1", [name], |r| r.get(0)).optional()?)
}

/// How many members the roster has (0 when none is imported).
pub fn member_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM member", [], |r| r.get(0))?)
}
