//! The `paper_entry` table: the scrutineers' two entries of a paper round's counts.

use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};

/// One line of an entry: scrutineer, candidate, for, against, abstain.
pub type EntryLine = (String, String, u32, u32, u32);

/// The lines of entry `entry` (1 or 2) of round `round`.
pub fn entry(conn: &Connection, round: i64, entry: u8) -> Result<Vec<EntryLine>> {
    let mut stmt = conn.prepare(
        "SELECT scrutineer, candidate_id, votes_for, against, abstain FROM paper_entry
         WHERE round_id = ?1 AND entry = ?2",
    )?;
    let rows = stmt.query_map(params![round, entry], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Who typed entry `entry` of round `round`, if anyone yet.
pub fn scrutineer(conn: &Connection, round: i64, entry: u8) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT scrutineer FROM paper_entry WHERE round_id = ?1 AND entry = ?2 LIMIT 1",
            params![round, entry],
            |r| r.get(0),
        )
        .optional()?)
}

/// Empties entry `entry` of round `round`.
pub fn clear(conn: &Connection, round: i64, entry: u8) -> Result<()> {
    conn.execute("DELETE FROM paper_entry WHERE round_id = ?1 AND entry = ?2", params![round, entry])?;
    Ok(())
}

/// Adds a line to entry `entry` of round `round`.
pub fn add(
    conn: &Connection,
    round: i64,
    entry: u8,
    scrutineer: &str,
    candidate: &str,
    counts: [u32; 3],
) -> Result<()> {
    conn.execute(
        "INSERT INTO paper_entry (round_id, entry, scrutineer, candidate_id, votes_for, against, abstain)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![round, entry, scrutineer, candidate, counts[0], counts[1], counts[2]],
    )?;
    Ok(())
}
