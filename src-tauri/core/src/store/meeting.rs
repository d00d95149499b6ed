//! The `meeting` table: the one row naming the meeting.

use crate::error::Result;
use rusqlite::Connection;

/// The meeting's name.
pub fn name(conn: &Connection) -> Result<String> {
    Ok(conn.query_row("SELECT name FROM meeting LIMIT 1", [], |r| r.get(0))?)
}
