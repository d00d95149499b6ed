//! The meeting's application-conditions settings (`standard`) and posts
//! per applied title (`posts`).

use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};

/// The settings as stored; all `None`/false before any was set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    pub reference_date: Option<String>,
    pub flag_only: bool,
    /// The unit's table: (name, sha256, table text).
    pub unit: Option<(String, String, String)>,
}

pub fn settings(conn: &Connection) -> Result<Settings> {
    let row = conn
        .query_row(
            "SELECT reference_date, flag_only, unit_name, unit_sha256, unit_table FROM standard WHERE id = 1",
            [],
            |r| {
                let unit = match (r.get(2)?, r.get(3)?, r.get(4)?) {
                    (Some(n), Some(h), Some(t)) => Some((n, h, t)),
                    _ => None,
                };
                Ok(Settings { reference_date: r.get(0)?, flag_only: r.get::<_, i64>(1)? != 0, unit })
            },
        )
        .optional()?;
    Ok(row.unwrap_or_default())
}

pub fn set(conn: &Connection, s: &Settings) -> Result<()> {
    let (name, sha, table) = match &s.unit {
        Some((n, h, t)) => (Some(n.as_str()), Some(h.as_str()), Some(t.as_str())),
        None => (None, None, None),
    };
    conn.execute(
        "INSERT INTO standard (id, reference_date, flag_only, unit_name, unit_sha256, unit_table)
         VALUES (1, ?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(id) DO UPDATE SET reference_date = excluded.reference_date, flag_only = excluded.flag_only,
           unit_name = excluded.unit_name, unit_sha256 = excluded.unit_sha256, unit_table = excluded.unit_table",
        params![s.reference_date, s.flag_only as i64, name, sha, table],
    )?;
    Ok(())
}

/// Posts per applied title, by title code.
pub fn posts(conn: &Connection) -> Result<Vec<(String, u32)>> {
    let mut stmt = conn.prepare("SELECT title, posts FROM posts ORDER BY title")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Sets (or, with `None`, clears) the posts of `title`.
pub fn set_posts(conn: &Connection, title: &str, posts: Option<u32>) -> Result<()> {
    match posts {
        Some(n) => conn.execute(
            "INSERT INTO posts (title, posts) VALUES (?1, ?2) ON CONFLICT(title) DO UPDATE SET posts = excluded.posts",
            params![title, n],
        )?,
        None => conn.execute("DELETE FROM posts WHERE title = ?1", [title])?,
    };
    Ok(())
}
