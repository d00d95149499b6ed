//! The `round` table and its lists (`round_candidate`, `round_eligible`).

use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};

/// The open round terminals vote in, if any.
pub fn open_terminal(conn: &Connection) -> Result<Option<i64>> {
    Ok(conn
        .query_row("SELECT id FROM round WHERE closed_at IS NULL AND mode = 'terminal'", [], |r| r.get(0))
        .optional()?)
}

/// The mode (`station`, `paper`, `terminal`) of round `round`, `None` when there is no such round.
pub fn mode(conn: &Connection, round: i64) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT mode FROM round WHERE id = ?1", [round], |r| r.get(0)).optional()?)
}

/// Whether `member` has a ballot in round `round`.
pub fn is_eligible(conn: &Connection, round: i64, member: &str) -> Result<bool> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM round_eligible WHERE round_id = ?1 AND member_id = ?2",
        params![round, member],
        |r| r.get(0),
    )?;
    Ok(n > 0)
}
