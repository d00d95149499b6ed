//! Member terminals (design/terminals.md): the pairing token on each
//! member's card, the session a token is exchanged for, the meeting-room
//! server's certificate, and the candidate the chair is presenting.
//!
//! Tokens and sessions are 128 and 256 random bits; only their SHA-256 is
//! stored, so the meeting file gives no one a way in. A session is bound to
//! the token it came from: re-issuing or revoking a member's card ends the
//! terminal's session with it.

use crate::api::session::now;
use crate::audit;
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::store::Meeting;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;

/// What a terminal card carries for one member: the token is shown once,
/// when the card is printed, and never again.
#[derive(Debug, Clone, Serialize)]
pub struct TerminalCard {
    pub member_id: String,
    pub name: String,
    pub token: String,
}

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

fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

fn random_hex(bytes: usize) -> Result<String> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf)
        .map_err(|e| Error::Io { path: "getrandom".into(), source: std::io::Error::other(e.to_string()) })?;
    Ok(hex::encode(buf))
}

fn issue(conn: &Connection, member: &str, name: String) -> Result<TerminalCard> {
    let token = random_hex(16)?;
    conn.execute(
        "INSERT INTO terminal_token (member_id, token_hash, issued_at) VALUES (?1, ?2, ?3)
         ON CONFLICT(member_id) DO UPDATE SET token_hash = excluded.token_hash,
             issued_at = excluded.issued_at, revoked_at = NULL",
        params![member, hash(&token), now()],
    )?;
    conn.execute("DELETE FROM terminal_session WHERE member_id = ?1", [member])?;
    Ok(TerminalCard { member_id: member.into(), name, token })
}

/// Fresh cards for every member of the roster; earlier cards stop working.
pub fn issue_cards(conn: &mut Meeting) -> Result<Vec<TerminalCard>> {
    let tx = conn.write()?;
    let members: Vec<(String, String)> = {
        let mut stmt = tx.prepare("SELECT id, name FROM member ORDER BY seq")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    if members.is_empty() {
        return Err(Error::invalid("roster", Msg::NoRoster));
    }
    let mut cards = Vec::with_capacity(members.len());
    for (id, name) in members {
        cards.push(issue(&tx, &id, name)?);
    }
    audit::append(&tx, "terminals.issue", &serde_json::json!({ "count": cards.len() }))?;
    tx.commit()?;
    Ok(cards)
}

fn member_name(conn: &Connection, member: &str) -> Result<String> {
    conn.query_row("SELECT name FROM member WHERE id = ?1", [member], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::NotFound(Msg::MemberNotFound { id: member.into() }))
}

/// A fresh card for one member (a lost tablet or card): the old card and
/// the terminal paired with it stop working.
pub fn reissue_card(conn: &mut Meeting, member: &str) -> Result<TerminalCard> {
    let tx = conn.write()?;
    let name = member_name(&tx, member)?;
    let card = issue(&tx, member, name)?;
    audit::append(&tx, "terminals.reissue", &serde_json::json!({ "member": member }))?;
    tx.commit()?;
    Ok(card)
}

/// Ends one member's card and terminal session.
pub fn revoke(conn: &mut Meeting, member: &str) -> Result<()> {
    let tx = conn.write()?;
    member_name(&tx, member)?;
    tx.execute("UPDATE terminal_token SET revoked_at = ?1 WHERE member_id = ?2", params![now(), member])?;
    tx.execute("DELETE FROM terminal_session WHERE member_id = ?1", [member])?;
    audit::append(&tx, "terminals.revoke", &serde_json::json!({ "member": member }))?;
    tx.commit()?;
    Ok(())
}

/// The terminal's own 不是我 / leaving the device: its session ends, and the
/// card may pair again (the member's own terminal, with the card in hand).
pub fn unpair(conn: &mut Meeting, member: &str) -> Result<()> {
    let tx = conn.write()?;
    tx.execute("DELETE FROM terminal_session WHERE member_id = ?1", [member])?;
    audit::append(&tx, "terminals.unpair", &serde_json::json!({ "member": member }))?;
    tx.commit()?;
    Ok(())
}

/// Every member's terminal.
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

/// Exchanges a card's token for a new session: returns the session secret
/// (the terminal's cookie) and whom it acts for. Any earlier session of the
/// member ends.
pub fn pair(conn: &mut Meeting, token: &str) -> Result<(String, TerminalMember)> {
    let token = token.trim();
    let tx = conn.write()?;
    let found: Option<(String, String)> = tx
        .query_row(
            "SELECT t.member_id, m.name FROM terminal_token t JOIN member m ON m.id = t.member_id
             WHERE t.token_hash = ?1 AND t.revoked_at IS NULL",
            [hash(token)],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((id, name)) = found else {
        return Err(Error::invalid("token", Msg::TerminalTokenUnknown));
    };
    // A card pairs one terminal, once: a photographed card cannot take over
    // the member's terminal later, and a member whose card was used first
    // finds out at once (the secretary re-issues the card, which ends the
    // other session).
    let used: i64 =
        tx.query_row("SELECT count(*) FROM terminal_session WHERE token_hash = ?1", [hash(token)], |r| {
            r.get(0)
        })?;
    if used > 0 {
        return Err(Error::invalid("token", Msg::TerminalCardUsed));
    }
    let session = random_hex(32)?;
    tx.execute("DELETE FROM terminal_session WHERE member_id = ?1", [&id])?;
    tx.execute(
        "INSERT INTO terminal_session (session_hash, member_id, token_hash, paired_at) VALUES (?1, ?2, ?3, ?4)",
        params![hash(&session), id, hash(token), now()],
    )?;
    audit::append(&tx, "terminals.pair", &serde_json::json!({ "member": id }))?;
    tx.commit()?;
    Ok((session, TerminalMember { id, name }))
}

/// How long a terminal's session lasts: the cookie's Max-Age, kept on the
/// server too, so a copied cookie does not outlive the meeting.
pub const SESSION_HOURS: i64 = 48;

fn session_cutoff() -> String {
    (chrono::Utc::now() - chrono::Duration::hours(SESSION_HOURS))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The member a session acts for, while its card is valid and for
/// [`SESSION_HOURS`] after pairing.
pub fn session_member(conn: &Connection, session: &str) -> Result<Option<TerminalMember>> {
    Ok(conn
        .query_row(
            "SELECT m.id, m.name FROM terminal_session s
             JOIN terminal_token t ON t.member_id = s.member_id AND t.token_hash = s.token_hash
             JOIN member m ON m.id = s.member_id
             WHERE s.session_hash = ?1 AND t.revoked_at IS NULL AND s.paired_at > ?2",
            params![hash(session), session_cutoff()],
            |r| Ok(TerminalMember { id: r.get(0)?, name: r.get(1)? }),
        )
        .optional()?)
}

/// The chair presents a candidate (or stops, with `None`).
pub fn set_presenting(conn: &Connection, candidate: Option<&str>) -> Result<()> {
    if let Some(c) = candidate {
        let known: i64 = conn.query_row("SELECT count(*) FROM candidate WHERE id = ?1", [c], |r| r.get(0))?;
        if known == 0 {
            return Err(Error::NotFound(Msg::CandidateNotFound { id: c.into() }));
        }
    }
    conn.execute(
        "INSERT INTO presenting (id, candidate_id, since) VALUES (1, ?1, ?2)
         ON CONFLICT(id) DO UPDATE SET candidate_id = excluded.candidate_id, since = excluded.since",
        params![candidate, now()],
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

/// The meeting-room server's TLS identity: a self-signed certificate and its
/// key (PKCS#8), both DER, and the certificate's SHA-256 fingerprint.
#[derive(Debug, Clone)]
pub struct HostCertificate {
    pub cert_der: Vec<u8>,
    pub key_der: zeroize::Zeroizing<Vec<u8>>,
    pub fingerprint: String,
    pub last_url: Option<String>,
}

/// The fingerprint as printed: 32 hex pairs joined by colons, upper case,
/// as browsers show it.
pub fn fingerprint(cert_der: &[u8]) -> String {
    Sha256::digest(cert_der).iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
}

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

/// The meeting's certificate, made on first use (rcgen, ECDSA P-256) and
/// kept in the meeting. `names` are the host names and addresses it names
/// besides `localhost`, `conclave.local` and `127.0.0.1`.
pub fn host_certificate_or_make(conn: &Connection, names: &[String]) -> Result<HostCertificate> {
    if let Some(cert) = host_certificate(conn)? {
        return Ok(cert);
    }
    let mut all = vec!["localhost".to_string(), "conclave.local".to_string(), "127.0.0.1".to_string()];
    all.extend(names.iter().filter(|n| !n.is_empty()).cloned());
    all.dedup();
    let made = rcgen::generate_simple_self_signed(all).map_err(|e| Error::Io {
        path: "certificate".into(),
        source: std::io::Error::other(e.to_string()),
    })?;
    let key = zeroize::Zeroizing::new(made.signing_key.serialize_der());
    let fp = fingerprint(made.cert.der());
    conn.execute(
        "INSERT INTO host_certificate (id, cert_der, key_der, fingerprint) VALUES (1, ?1, ?2, ?3)",
        params![made.cert.der().as_ref(), key.as_slice(), fp],
    )?;
    audit::append(conn, "terminals.certificate", &serde_json::json!({ "fingerprint": fp }))?;
    host_certificate(conn)?.ok_or_else(|| {
        Error::Integrity(Msg::StoredRowInvalid {
            table: "host_certificate".into(),
            key: "1".into(),
            detail: "not written".into(),
        })
    })
}

/// Fresh cards for every member, with the link to put on them: `url` (the
/// server's `https://HOST:PORT/t/`) or the one the server last started on.
/// With `only`, one member's card is re-issued and the others stay valid.
pub fn cards_with_links(
    conn: &mut Meeting,
    url: Option<&str>,
    only: Option<&str>,
) -> Result<(Vec<TerminalCard>, String, String)> {
    let cert = host_certificate_or_make(conn, &[])?;
    let base = match url.map(str::trim).filter(|u| !u.is_empty()) {
        Some(u) => u.to_string(),
        None => cert.last_url.clone().ok_or_else(|| Error::invalid("url", Msg::TerminalUrlUnknown))?,
    };
    if !base.starts_with("https://") {
        return Err(Error::invalid("url", Msg::TerminalUrlInvalid { url: base }));
    }
    let base = if base.ends_with("/t/") {
        base
    } else {
        format!("{}/t/", base.trim_end_matches('/').trim_end_matches("/t"))
    };
    let cards = match only {
        Some(member) => vec![reissue_card(conn, member)?],
        None => issue_cards(conn)?,
    };
    Ok((cards, base, cert.fingerprint))
}

/// Records the address the server was started on, for the cards.
pub fn record_url(conn: &Connection, url: &str) -> Result<()> {
    conn.execute("UPDATE host_certificate SET last_url = ?1 WHERE id = 1", [url])?;
    Ok(())
}

/// `text` as a QR code, an SVG document (for the projector).
pub fn qr_svg(text: &str) -> String {
    let Some((n, dark)) = crate::print::page_seal::qr(text.as_bytes()) else { return String::new() };
    let size = n + 8;
    let mut path = String::new();
    for (i, d) in dark.iter().enumerate() {
        if *d {
            path.push_str(&format!("M{} {}h1v1h-1z", i % n + 4, i / n + 4));
        }
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" shape-rendering=\"crispEdges\">\
         <rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>"
    )
}
