//! The chair's overrides of 资格审查 (`eligibility_override`).

use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};

/// An override as stored: its reason, when, and the name of who authorised it.
pub fn override_of(conn: &Connection, candidate: &str) -> Result<Option<(String, String, Option<String>)>> {
    Ok(conn
        .query_row(
            "SELECT o.reason, o.at, m.name FROM eligibility_override o
             LEFT JOIN member m ON m.id = o.authorized_by WHERE o.candidate_id = ?1",
            [candidate],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?)
}

/// Records the chair's override for `candidate`.
pub fn add_override(conn: &Connection, candidate: &str, reason: &str, at: &str, by: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO eligibility_override (candidate_id, reason, at, authorized_by) VALUES (?1, ?2, ?3, ?4)",
        params![candidate, reason, at, by],
    )?;
    Ok(())
}
