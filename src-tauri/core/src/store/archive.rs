//! What the archive reads as it is (the register, the attendance log, the
//! plain ballots, the packages' manifests, the evidence list, the sealed
//! rounds' records) and how its database copy is emptied of secrets.

use crate::error::Result;
use rusqlite::Connection;

/// Rows of `sql` as JSON objects with `columns` as keys (blobs as hex).
fn rows_json(conn: &Connection, sql: &str, columns: &[&str]) -> Result<Vec<serde_json::Value>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([], |r| {
        let mut o = serde_json::Map::new();
        for (i, c) in columns.iter().enumerate() {
            let v: rusqlite::types::Value = r.get(i)?;
            o.insert(
                (*c).into(),
                match v {
                    rusqlite::types::Value::Null => serde_json::Value::Null,
                    rusqlite::types::Value::Integer(n) => n.into(),
                    rusqlite::types::Value::Real(x) => x.into(),
                    rusqlite::types::Value::Text(s) => s.into(),
                    rusqlite::types::Value::Blob(b) => hex::encode(b).into(),
                },
            );
        }
        Ok(serde_json::Value::Object(o))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The committee as imported, in roster order (`roster.json`).
pub fn roster(conn: &Connection) -> Result<Vec<serde_json::Value>> {
    rows_json(
        conn,
        "SELECT id, name, organization, title, role, review_group FROM member ORDER BY seq",
        &["id", "name", "organization", "title", "role", "review_group"],
    )
}

/// Every 签到 and 离席 in order (`attendance.json`).
pub fn attendance(conn: &Connection) -> Result<Vec<serde_json::Value>> {
    rows_json(
        conn,
        "SELECT member_id, present, at FROM attendance ORDER BY seq",
        &["member", "present", "at"],
    )
}

/// The plain (paper and older) ballots: (round, candidate, choice), no member.
pub fn plain_ballots(conn: &Connection) -> Result<Vec<(i64, String, String)>> {
    let mut stmt = conn.prepare("SELECT round_id, candidate_id, choice FROM ballot")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// An imported package's manifest as it came.
pub struct Manifest {
    pub package: i64,
    pub kind: String,
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The imported packages' manifests, in import order.
pub fn manifests(conn: &Connection) -> Result<Vec<Manifest>> {
    let mut stmt = conn.prepare(
        "SELECT id, kind, manifest_name, manifest FROM package WHERE manifest IS NOT NULL ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Manifest { package: r.get(0)?, kind: r.get(1)?, name: r.get(2)?, bytes: r.get(3)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every evidence file's hash, sorted.
pub fn evidence(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT sha256 FROM evidence ORDER BY sha256")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The rounds whose ballots are sealed, in order.
pub fn sealed_rounds(conn: &Connection) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare("SELECT id FROM round WHERE sealed = 1 ORDER BY id")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Round `round`'s register of who may vote on whom: (candidate, member), sorted.
pub fn eligible_pairs(conn: &Connection, round: i64) -> Result<Vec<(String, String)>> {
    let mut stmt =
        conn.prepare("SELECT candidate_id, member_id FROM round_eligible WHERE round_id = ?1 ORDER BY 1, 2")?;
    let rows = stmt.query_map([round], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Round `round`'s decryptions as stored: (candidate, JSON), by candidate.
pub fn decryptions(conn: &Connection, round: i64) -> Result<Vec<(String, String)>> {
    let mut stmt =
        conn.prepare("SELECT candidate_id, data FROM decryption WHERE round_id = ?1 ORDER BY 1")?;
    let rows = stmt.query_map([round], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Round `round`'s ballot box root, once sealed.
pub fn box_root(conn: &Connection, round: i64) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT box_root FROM round WHERE id = ?1", [round], |r| r.get(0))?)
}

/// Empties `copy` (the archive's own copy of the database, never the
/// meeting's) of every secret: the meeting's key, clear and wrapped, the PIN
/// hashes, the trustees' wrapped shares, the secretary's PIN hash, the
/// terminals' sessions and card tokens. (The server's TLS key is never in
/// the file: docs/tls-key.md.)
pub fn scrub(copy: &Connection) -> Result<()> {
    copy.execute("UPDATE meeting_key SET secret = X'', wrapped = NULL, escrow = NULL", [])?;
    copy.execute("UPDATE member SET pin_hash = NULL", [])?;
    copy.execute_batch("DROP TRIGGER IF EXISTS trustee_no_update; UPDATE trustee SET wrapped = '';")?;
    copy.execute_batch(
        "DELETE FROM secretary_pin;
         DELETE FROM terminal_session;
         UPDATE terminal_token SET token_hash = 'archived:' || member_id;",
    )?;
    Ok(())
}
