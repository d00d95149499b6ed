//! Member terminals (design/terminals.md): the pairing token on each
//! member's card, the session a token is exchanged for, the meeting-room
//! server's certificate (in memory only: [`host`]), and the candidate the
//! chair is presenting.
//!
//! Tokens and sessions are 128 and 256 random bits; only their SHA-256 is
//! stored, so the meeting file gives no one a way in. A session is bound to
//! the token it came from: re-issuing or revoking a member's card ends the
//! terminal's session with it.

use crate::api::session::now;
use crate::audit;
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::store::{self, Meeting};
use rusqlite::Connection;
use serde::Serialize;
use sha2::{Digest, Sha256};

pub mod host;

pub use crate::store::terminals::{TerminalMember, TerminalStatus};
pub use host::HostIdentity;

/// What a terminal card carries for one member: the token is shown once,
/// when the card is printed, and never again.
#[derive(Debug, Clone, Serialize)]
pub struct TerminalCard {
    pub member_id: String,
    pub name: String,
    pub token: String,
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
    store::terminals::issue_token(conn, member, &hash(&token), &now())?;
    store::terminals::end_session(conn, member)?;
    Ok(TerminalCard { member_id: member.into(), name, token })
}

/// Fresh cards for every member of the roster; earlier cards stop working.
pub fn issue_cards(conn: &mut Meeting) -> Result<Vec<TerminalCard>> {
    let tx = conn.write()?;
    let members = store::roster::members_in_order(&tx)?;
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
    store::roster::member_name(conn, member)?
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
    store::terminals::revoke_token(&tx, member, &now())?;
    store::terminals::end_session(&tx, member)?;
    audit::append(&tx, "terminals.revoke", &serde_json::json!({ "member": member }))?;
    tx.commit()?;
    Ok(())
}

/// The terminal's own 不是我 / leaving the device: its session ends, and the
/// card may pair again (the member's own terminal, with the card in hand).
pub fn unpair(conn: &mut Meeting, member: &str) -> Result<()> {
    let tx = conn.write()?;
    store::terminals::end_session(&tx, member)?;
    audit::append(&tx, "terminals.unpair", &serde_json::json!({ "member": member }))?;
    tx.commit()?;
    Ok(())
}

/// Every member's terminal.
pub fn status(conn: &Connection) -> Result<Vec<TerminalStatus>> {
    store::terminals::status(conn)
}

/// Exchanges a card's token for a new session: returns the session secret
/// (the terminal's cookie) and whom it acts for. Any earlier session of the
/// member ends.
pub fn pair(conn: &mut Meeting, token: &str) -> Result<(String, TerminalMember)> {
    let token = token.trim();
    let tx = conn.write()?;
    let Some((id, name)) = store::terminals::token_member(&tx, &hash(token))? else {
        return Err(Error::invalid("token", Msg::TerminalTokenUnknown));
    };
    // A card pairs one terminal, once: a photographed card cannot take over
    // the member's terminal later, and a member whose card was used first
    // finds out at once (the secretary re-issues the card, which ends the
    // other session).
    if store::terminals::token_used(&tx, &hash(token))? {
        return Err(Error::invalid("token", Msg::TerminalCardUsed));
    }
    let session = random_hex(32)?;
    store::terminals::end_session(&tx, &id)?;
    store::terminals::add_session(&tx, &hash(&session), &id, &hash(token), &now())?;
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
    store::terminals::session_member(conn, &hash(session), &session_cutoff())
}

/// The chair presents a candidate (or stops, with `None`).
pub fn set_presenting(conn: &mut Meeting, candidate: Option<&str>) -> Result<()> {
    let tx = conn.write()?;
    if let Some(c) = candidate {
        if !store::roster::candidate_exists(&tx, c)? {
            return Err(Error::NotFound(Msg::CandidateNotFound { id: c.into() }));
        }
    }
    store::terminals::set_presenting(&tx, candidate, &now())?;
    tx.commit()?;
    Ok(())
}

/// The candidate being presented, if any.
pub fn presenting(conn: &Connection) -> Result<Option<String>> {
    store::terminals::presenting(conn)
}

/// The fingerprint as printed: 32 hex pairs joined by colons, upper case,
/// as browsers show it.
pub fn fingerprint(cert_der: &[u8]) -> String {
    Sha256::digest(cert_der).iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
}

/// The fingerprint's first 8 pairs (64 bits), which a member compares with
/// the start of what the browser shows: easy to read aloud, and no one can
/// make a certificate whose fingerprint starts the same within a meeting
/// (about 2^64 tries).
pub fn fingerprint_start(fingerprint: &str) -> String {
    fingerprint.split(':').take(8).collect::<Vec<_>>().join(":")
}

/// Fresh cards for every member, with the link to put on them: `url` (the
/// server's `https://HOST:PORT/t/`) or the one the server last started on,
/// and the fingerprint of the certificate being served: cards are printed
/// while the network runs, since the next process serves another key
/// ([`host`]). With `only`, one member's card is re-issued and the others
/// stay valid.
pub fn cards_with_links(
    conn: &mut Meeting,
    url: Option<&str>,
    only: Option<&str>,
) -> Result<(Vec<TerminalCard>, String, String)> {
    let fingerprint = host::serving_fingerprint(conn)?;
    let base = match url.map(str::trim).filter(|u| !u.is_empty()) {
        Some(u) => u.to_string(),
        None => host::last_url(conn)?.ok_or_else(|| Error::invalid("url", Msg::TerminalUrlUnknown))?,
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
    Ok((cards, base, fingerprint))
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
