//! The terminals' tables: `terminal_token` (the hash of each member's card),
//! `terminal_session` (the hash of each paired terminal's cookie),
//! `presenting` (the candidate the chair shows) and `host_certificate` (the
//! public side of the meeting-room server's TLS identity: its fingerprint
//! and address, never its key).

use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

/// One member's terminal, as the secretary sees it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct TerminalStatus {
    pub member_id: String,
    pub name: String,
    /// A card was printed and is not revoked.
    pub issued: bool,
    /// A terminal is paired with the current card.
    pub paired: bool,
    pub revoked: bool,
}

/// The member a terminal acts for.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct TerminalMember {
    pub id: String,
    pub name: String,
}

/// Stores `member`'s card (its token's hash) issued at `at`, in place of an
/// earlier or revoked one.
pub fn issue_token(conn: &Connection, member: &str, token_hash: &str, at: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO terminal_token (member_id, token_hash, issued_at) VALUES (?1, ?2, ?3)
         ON CONFLICT(member_id) DO UPDATE SET token_hash = excluded.token_hash,
             issued_at = excluded.issued_at, revoked_at = NULL",
        params![member, token_hash, at],
    )?;
    Ok(())
}

/// Marks `member`'s card revoked at `at`.
pub fn revoke_token(conn: &Connection, member: &str, at: &str) -> Result<()> {
    conn.execute("UPDATE terminal_token SET revoked_at = ?1 WHERE member_id = ?2", params![at, member])?;
    Ok(())
}

/// Ends `member`'s terminal session, if any.
pub fn end_session(conn: &Connection, member: &str) -> Result<()> {
    conn.execute("DELETE FROM terminal_session WHERE member_id = ?1", [member])?;
    Ok(())
}

/// Every member's terminal, in roster order.
pub fn status(conn: &Connection) -> Result<Vec<TerminalStatus>> {
    let mut stmt = conn.prepare(
        "SELECT m.id, m.name, t.token_hash IS NOT NULL AND t.revoked_at IS NULL,
                s.session_hash IS NOT NULL AND s.token_hash = t.token_hash AND t.revoked_at IS NULL,
                t.revoked_at IS NOT NULL
         FROM member m LEFT JOIN terminal_token t ON t.member_id = m.id
         LEFT JOIN terminal_session s ON s.member_id = m.id ORDER BY m.seq",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(TerminalStatus {
            member_id: r.get(0)?,
            name: r.get(1)?,
            issued: r.get(2)?,
            paired: r.get::<_, Option<bool>>(3)?.unwrap_or(false),
            revoked: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The member (id, name) whose valid card has `token_hash`, if any.
pub fn token_member(conn: &Connection, token_hash: &str) -> Result<Option<(String, String)>> {
    Ok(conn
        .query_row(
            "SELECT t.member_id, m.name FROM terminal_token t JOIN member m ON m.id = t.member_id
             WHERE t.token_hash = ?1 AND t.revoked_at IS NULL",
            [token_hash],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Whether a session was already paired with the card `token_hash`.
pub fn token_used(conn: &Connection, token_hash: &str) -> Result<bool> {
    let used: i64 =
        conn.query_row("SELECT count(*) FROM terminal_session WHERE token_hash = ?1", [token_hash], |r| {
            r.get(0)
        })?;
    Ok(used > 0)
}

/// Records a session paired at `at` for `member` with card `token_hash`.
pub fn add_session(
    conn: &Connection,
    session_hash: &str,
    member: &str,
    token_hash: &str,
    at: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO terminal_session (session_hash, member_id, token_hash, paired_at) VALUES (?1, ?2, ?3, ?4)",
        params![session_hash, member, token_hash, at],
    )?;
    Ok(())
}

/// The member the session `session_hash` acts for, while its card is valid
/// and it was paired after `cutoff`.
pub fn session_member(conn: &Connection, session_hash: &str, cutoff: &str) -> Result<Option<TerminalMember>> {
    Ok(conn
        .query_row(
            "SELECT m.id, m.name FROM terminal_session s
             JOIN terminal_token t ON t.member_id = s.member_id AND t.token_hash = s.token_hash
             JOIN member m ON m.id = s.member_id
             WHERE s.session_hash = ?1 AND t.revoked_at IS NULL AND s.paired_at > ?2",
            params![session_hash, cutoff],
            |r| Ok(TerminalMember { id: r.get(0)?, name: r.get(1)? }),
        )
        .optional()?)
}

/// Records the candidate presented since `at` (`None`: none).
pub fn set_presenting(conn: &Connection, candidate: Option<&str>, at: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO presenting (id, candidate_id, since) VALUES (1, ?1, ?2)
         ON CONFLICT(id) DO UPDATE SET candidate_id = excluded.candidate_id, since = excluded.since",
        params![candidate, at],
    )?;
    Ok(())
}

/// The candidate being presented, if any.
pub fn presenting(conn: &Connection) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT candidate_id FROM presenting WHERE id = 1", [], |r| r.get(0))
        .optional()?
        .flatten())
}

/// The fingerprint of the certificate the meeting-room server last served
/// and whether a server is serving it now; `None` before any server of
/// this version started. The key is never here (docs/tls-key.md).
pub fn served_fingerprint(conn: &Connection) -> Result<Option<(String, bool)>> {
    Ok(conn
        .query_row("SELECT fingerprint, serving FROM host_certificate WHERE id = 1", [], |r| {
            Ok((r.get::<_, Option<String>>(0)?, r.get::<_, bool>(1)?))
        })
        .optional()?
        .and_then(|(fingerprint, serving)| Some((fingerprint?, serving))))
}

/// Records that a server serves the certificate `fingerprint` at `url`.
pub fn set_serving(conn: &Connection, fingerprint: &str, url: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO host_certificate (id, fingerprint, serving, last_url) VALUES (1, ?1, 1, ?2)
         ON CONFLICT(id) DO UPDATE SET fingerprint = excluded.fingerprint, serving = 1,
             last_url = excluded.last_url",
        params![fingerprint, url],
    )?;
    Ok(())
}

/// Records that the server serving `fingerprint` stopped (another
/// process's later server, with another fingerprint, is left as it is).
pub fn set_stopped(conn: &Connection, fingerprint: &str) -> Result<()> {
    conn.execute("UPDATE host_certificate SET serving = 0 WHERE id = 1 AND fingerprint = ?1", [fingerprint])?;
    Ok(())
}

/// The address the server was last started on.
pub fn last_url(conn: &Connection) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT last_url FROM host_certificate WHERE id = 1", [], |r| r.get(0))
        .optional()?
        .flatten())
}

/// The address the last full print of terminal cards carries, from the
/// audit log (a single card re-issued since, which names its member, does
/// not move every other card).
pub fn cards_url(conn: &Connection) -> Result<Option<String>> {
    let mut stmt =
        conn.prepare("SELECT detail FROM audit_log WHERE kind = 'print.terminal_cards' ORDER BY seq DESC")?;
    let details = stmt.query_map([], |r| r.get::<_, String>(0))?;
    for detail in details {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&detail?) else { continue };
        if v.get("member").is_none() {
            return Ok(v.get("url").and_then(|u| u.as_str()).map(str::to_string));
        }
    }
    Ok(None)
}
