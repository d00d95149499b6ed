//! The `attendance` table: every sign-in and sign-out, in order.

use crate::error::Result;
use rusqlite::{params, Connection};

/// A roster member with their latest sign-in or sign-out.
pub struct Presence {
    pub id: String,
    pub name: String,
    pub organization: Option<String>,
    pub role: String,
    /// The latest change: `Some(true)` signed in, `Some(false)` out, `None` never.
    pub present: Option<i64>,
    /// When that change was made.
    pub since: Option<String>,
    /// How often the member signed in.
    pub times_in: i64,
    /// Whether the member holds a PIN (a verifier is kept).
    pub has_pin: bool,
}

/// Every member in roster order with their latest change.
pub fn by_member(conn: &Connection) -> Result<Vec<Presence>> {
    let mut stmt = conn.prepare(
        "SELECT m.id, m.name, m.organization, m.role,
                (SELECT present FROM attendance a WHERE a.member_id = m.id ORDER BY seq DESC LIMIT 1),
                (SELECT at FROM attendance a WHERE a.member_id = m.id ORDER BY seq DESC LIMIT 1),
                (SELECT count(*) FROM attendance a WHERE a.member_id = m.id AND present = 1),
                m.pin_hash IS NOT NULL
         FROM member m ORDER BY m.seq",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Presence {
            id: r.get(0)?,
            name: r.get(1)?,
            organization: r.get(2)?,
            role: r.get(3)?,
            present: r.get(4)?,
            since: r.get(5)?,
            times_in: r.get(6)?,
            has_pin: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Records `member` signing in (`present`) or out at `at`.
pub fn record(conn: &Connection, member: &str, present: bool, at: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO attendance (member_id, present, at) VALUES (?1, ?2, ?3)",
        params![member, present as i64, at],
    )?;
    Ok(())
}

/// When `member` last signed in or out.
pub fn last_change(conn: &Connection, member: &str) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT max(at) FROM attendance WHERE member_id = ?1", [member], |r| r.get(0))?)
}

/// Every change in order: member, `1` in / `0` out, when.
pub fn log(conn: &Connection) -> Result<Vec<(String, i64, String)>> {
    let mut stmt = conn.prepare("SELECT member_id, present, at FROM attendance ORDER BY seq")?;
    let rows =
        stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
