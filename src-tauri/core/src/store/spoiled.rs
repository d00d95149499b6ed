//! Audited (spoiled) ballots with their released randomness: never in the
//! box, never counted (migration 0014).

use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};

/// One audited ballot as stored: its tracker, ballot JSON and randomness JSON.
pub struct Spoiled {
    pub round: i64,
    pub tracker: String,
    pub data: String,
    pub randomness: String,
}

/// Whether round `round` holds an audited ballot with this tracker.
pub fn holds(conn: &Connection, round: i64, tracker: &str) -> Result<bool> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM spoiled_ballot WHERE round_id = ?1 AND tracker = ?2",
        params![round, tracker],
        |r| r.get(0),
    )?;
    Ok(n > 0)
}

/// Records an audited ballot of round `round` under a random id.
pub fn add(conn: &Connection, round: i64, tracker: &str, data: &str, randomness: &str) -> Result<()> {
    let key = uuid::Uuid::new_v4().into_bytes();
    conn.execute(
        "INSERT INTO spoiled_ballot (id, round_id, tracker, data, randomness) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![&key[..], round, tracker, data, randomness],
    )?;
    Ok(())
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Spoiled> {
    Ok(Spoiled { round: r.get(0)?, tracker: r.get(1)?, data: r.get(2)?, randomness: r.get(3)? })
}

/// Every audited ballot, by round then tracker.
pub fn all(conn: &Connection) -> Result<Vec<Spoiled>> {
    let mut stmt = conn.prepare(
        "SELECT round_id, tracker, data, randomness FROM spoiled_ballot ORDER BY round_id, tracker",
    )?;
    let rows = stmt.query_map([], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The audited ballot of round `round` with this tracker.
pub fn one(conn: &Connection, round: i64, tracker: &str) -> Result<Option<Spoiled>> {
    Ok(conn
        .query_row(
            "SELECT round_id, tracker, data, randomness FROM spoiled_ballot WHERE round_id = ?1 AND tracker = ?2",
            params![round, tracker],
            row,
        )
        .optional()?)
}

/// A candidate's name, for the lines of a checked audited ballot.
pub fn candidate_name(conn: &Connection, id: &str) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT name FROM candidate WHERE id = ?1", [id], |r| r.get(0)).optional()?)
}
