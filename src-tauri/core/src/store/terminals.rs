//! The terminals' tables: `terminal_token` (the hash of each member's card),
//! `terminal_session` (the hash of each paired terminal's cookie),
//! `presenting` (the candidate the chair shows) and `host_certificate` (the
//! meeting-room server's TLS identity).

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

/// The meeting-room server's TLS identity: a self-signed certificate and its
/// key (PKCS#8), both DER, and the certificate's SHA-256 fingerprint.
#[derive(Debug, Clone)]
pub struct HostCertificate {
    pub cert_der: Vec<u8>,
    pub key_der: zeroize::Zeroizing<Vec<u8>>,
    pub fingerprint: String,
    pub last_url: Option<String>,
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

/// The server's certificate, `None` before it is made.
pub fn host_certificate(conn: &Connection) -> Result<Option<HostCertificate>> {
    Ok(conn
        .query_row(
            "SELECT cert_der, key_der, fingerprint, last_url FROM host_certificate WHERE id = 1",
            [],
            |r| {
                Ok(HostCertificate {
                    cert_der: r.get(0)?,
                    key_der: zeroize::Zeroizing::new(r.get(1)?),
                    fingerprint: r.get(2)?,
                    last_url: r.get(3)?,
                })
            },
        )
        .optional()?)
}

/// Stores the server's certificate, its key and fingerprint.
pub fn add_host_certificate(
    conn: &Connection,
    cert_der: &[u8],
    key_der: &[u8],
    fingerprint: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO host_certificate (id, cert_der, key_der, fingerprint) VALUES (1, ?1, ?2, ?3)",
        params![cert_der, key_der, fingerprint],
    )?;
    Ok(())
}

/// Records the address the server was last started on.
pub fn set_last_url(conn: &Connection, url: &str) -> Result<()> {
    conn.execute("UPDATE host_certificate SET last_url = ?1 WHERE id = 1", [url])?;
    Ok(())
}
