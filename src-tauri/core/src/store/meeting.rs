//! The `meeting` table: the one row naming the meeting.

use crate::error::Result;
use rusqlite::{Connection, OptionalExtension};

/// The meeting's name.
pub fn name(conn: &Connection) -> Result<String> {
    Ok(conn.query_row("SELECT name FROM meeting LIMIT 1", [], |r| r.get(0))?)
}

/// The rules as stored, and whether they are frozen (a round has opened);
/// `None` until the secretary first sets them.
pub fn rules(conn: &Connection) -> Result<Option<(crate::domain::rules::Rules, bool)>> {
    let row: Option<(String, Option<String>)> = conn
        .query_row("SELECT data, frozen_at FROM rules WHERE id = 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    row.map(|(data, frozen)| Ok((super::parse_row("rules", "1", &data)?, frozen.is_some()))).transpose()
}

/// Stores `rules` in place of the ones before.
pub fn set_rules(conn: &Connection, rules: &crate::domain::rules::Rules) -> Result<()> {
    let data = serde_json::to_string(rules)?;
    conn.execute(
        "INSERT INTO rules (id, data) VALUES (1, ?1) ON CONFLICT(id) DO UPDATE SET data = excluded.data",
        [&data],
    )?;
    Ok(())
}

/// Freezes the rules at `at` (stored as `rules` when none were stored yet).
pub fn freeze_rules(conn: &Connection, rules: &crate::domain::rules::Rules, at: &str) -> Result<()> {
    let data = serde_json::to_string(rules)?;
    conn.execute(
        "INSERT INTO rules (id, data, frozen_at) VALUES (1, ?1, ?2)
         ON CONFLICT(id) DO UPDATE SET frozen_at = excluded.frozen_at",
        rusqlite::params![data, at],
    )?;
    Ok(())
}

/// The meeting's id, which every ballot proof binds.
pub fn id(conn: &Connection) -> Result<String> {
    Ok(conn.query_row("SELECT id FROM meeting LIMIT 1", [], |r| r.get(0))?)
}

/// The committee level as stored.
pub fn level(conn: &Connection) -> Result<String> {
    Ok(conn.query_row("SELECT level FROM meeting LIMIT 1", [], |r| r.get(0))?)
}

/// The meeting row as stored (the level as its code).
pub struct MeetingRow {
    pub id: String,
    pub name: String,
    pub level: String,
    pub date: String,
    pub place: String,
    pub created_at: String,
}

/// The meeting row.
pub fn row(conn: &Connection) -> Result<MeetingRow> {
    Ok(conn.query_row("SELECT id, name, level, date, place, created_at FROM meeting LIMIT 1", [], |r| {
        Ok(MeetingRow {
            id: r.get(0)?,
            name: r.get(1)?,
            level: r.get(2)?,
            date: r.get(3)?,
            place: r.get(4)?,
            created_at: r.get(5)?,
        })
    })?)
}

/// Writes the meeting row of a new meeting.
pub fn insert(conn: &Connection, m: &MeetingRow) -> Result<()> {
    conn.execute(
        "INSERT INTO meeting (id, name, level, date, place, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        rusqlite::params![m.id, m.name, m.level, m.date, m.place, m.created_at],
    )?;
    Ok(())
}

/// The committee's name as its roster package gives it, if it gives one.
pub fn committee_name(conn: &Connection) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT json_extract(header, '$.name') FROM package WHERE kind = 'committee' ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?
        .flatten())
}
