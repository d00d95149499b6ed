//! The `audit_log` table: the hash chain's rows ([`crate::audit`] keeps
//! the chain's rules).

use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};

/// The details (JSON text) of every entry of `kind`, in order.
pub fn details_of_kind(conn: &Connection, kind: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT detail FROM audit_log WHERE kind = ?1 ORDER BY seq")?;
    let rows = stmt.query_map([kind], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One entry of the log, as stored and as archived.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    pub seq: i64,
    pub at: String,
    pub kind: String,
    pub detail: String,
    pub prev_hash: String,
    pub entry_hash: String,
}

/// The last entry's number and hash, `None` for an empty log.
pub fn head(conn: &Connection) -> Result<Option<(i64, String)>> {
    Ok(conn
        .query_row("SELECT seq, entry_hash FROM audit_log ORDER BY seq DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?)
}

/// Appends entry `e` as it is (the chain's rules are the caller's).
pub fn insert(conn: &Connection, e: &Entry) -> Result<()> {
    conn.execute(
        "INSERT INTO audit_log (seq, at, kind, detail, prev_hash, entry_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![e.seq, e.at, e.kind, e.detail, e.prev_hash, e.entry_hash],
    )?;
    Ok(())
}

/// The whole log, in order.
pub fn entries(conn: &Connection) -> Result<Vec<Entry>> {
    let mut stmt =
        conn.prepare("SELECT seq, at, kind, detail, prev_hash, entry_hash FROM audit_log ORDER BY seq")?;
    let rows = stmt.query_map([], |r| {
        Ok(Entry {
            seq: r.get(0)?,
            at: r.get(1)?,
            kind: r.get(2)?,
            detail: r.get(3)?,
            prev_hash: r.get(4)?,
            entry_hash: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How many entries the log has.
pub fn count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))?)
}

/// The hash of the entry of `kind` whose detail is exactly `detail`, if any.
pub fn hash_of(conn: &Connection, kind: &str, detail: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT entry_hash FROM audit_log WHERE kind = ?1 AND detail = ?2 ORDER BY seq DESC LIMIT 1",
            params![kind, detail],
            |r| r.get(0),
        )
        .optional()?)
}

/// Every entry of `kind` as (seq, detail), in order: what happened after what.
pub fn of_kind(conn: &Connection, kind: &str) -> Result<Vec<(i64, String)>> {
    let mut stmt = conn.prepare("SELECT seq, detail FROM audit_log WHERE kind = ?1 ORDER BY seq")?;
    let rows = stmt.query_map([kind], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
