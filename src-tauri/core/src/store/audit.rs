//! The `audit_log` table: the hash chain's rows ([`crate::audit`] keeps
//! the chain's rules).

use crate::error::Result;
use rusqlite::Connection;

/// The details (JSON text) of every entry of `kind`, in order.
pub fn details_of_kind(conn: &Connection, kind: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT detail FROM audit_log WHERE kind = ?1 ORDER BY seq")?;
    let rows = stmt.query_map([kind], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
