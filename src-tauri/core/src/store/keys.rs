//! The meeting's keys: the election key and its trustees' wrapped shares
//! (`election_key`, `trustee`), the document-signing key (`meeting_key`)
//! and the secretary's PIN hash (`secretary_pin`).

use crate::error::Result;
use conclave_ballot::{TrusteeKeys, WrappedShare};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use zeroize::Zeroizing;

/// A trustee as the screens and documents show them (never their share).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Trustee {
    /// 1 (the chair), 2 and 3 (the scrutineers).
    pub index: u8,
    pub name: String,
    /// `chair` or `scrutineer`.
    pub role: String,
    /// The roster member, when the trustee is one.
    pub member_id: Option<String>,
}

/// The named trustees, in index order (empty before set-up).
pub fn trustees(conn: &Connection) -> Result<Vec<Trustee>> {
    let mut stmt = conn.prepare("SELECT idx, name, role, member_id FROM trustee ORDER BY idx")?;
    let rows = stmt.query_map([], |r| {
        Ok(Trustee { index: r.get(0)?, name: r.get(1)?, role: r.get(2)?, member_id: r.get(3)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Trustee `name` with their wrapped share, `None` for no such trustee.
pub fn trustee_share(conn: &Connection, name: &str) -> Result<Option<(Trustee, WrappedShare)>> {
    let row: Option<(u8, String, String, Option<String>, String)> = conn
        .query_row("SELECT idx, name, role, member_id, wrapped FROM trustee WHERE name = ?1", [name], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .optional()?;
    row.map(|(index, name, role, member_id, wrapped)| {
        let wrapped = super::parse_row("trustee", &index.to_string(), &wrapped)?;
        Ok((Trustee { index, name, role, member_id }, wrapped))
    })
    .transpose()
}

/// Adds a trustee with their wrapped share (its JSON).
pub fn add_trustee(conn: &Connection, trustee: &Trustee, wrapped: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO trustee (idx, name, role, member_id, wrapped) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![trustee.index, trustee.name, trustee.role, trustee.member_id, wrapped],
    )?;
    Ok(())
}

/// The election key's public parts, once the trustees are set up.
pub fn election_key(conn: &Connection) -> Result<Option<TrusteeKeys>> {
    let text: Option<String> =
        conn.query_row("SELECT keys FROM election_key WHERE id = 1", [], |r| r.get(0)).optional()?;
    text.map(|t| super::parse_row("election_key", "1", &t)).transpose()
}

/// Stores the election key's public parts, made at `at`.
pub fn set_election_key(conn: &Connection, keys: &TrusteeKeys, at: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO election_key (id, keys, created_at) VALUES (1, ?1, ?2)",
        params![serde_json::to_string(keys)?, at],
    )?;
    Ok(())
}

/// The signing key's stored row.
pub struct SigningKeyRow {
    /// The public key, hex.
    pub public: String,
    /// The clear secret; empty once wrapped.
    pub clear: Zeroizing<Vec<u8>>,
    /// The wrapped secret's JSON, once wrapped.
    pub wrapped: Option<String>,
    /// The trustees' escrow of the secret (EscrowedSecret JSON), for keys
    /// made at a key ceremony.
    pub escrow: Option<String>,
}

/// The signing key, `None` before it is made.
pub fn signing_key(conn: &Connection) -> Result<Option<SigningKeyRow>> {
    Ok(conn
        .query_row("SELECT public, secret, wrapped, escrow FROM meeting_key WHERE id = 1", [], |r| {
            Ok(SigningKeyRow {
                public: r.get(0)?,
                clear: Zeroizing::new(r.get(1)?),
                wrapped: r.get(2)?,
                escrow: r.get(3)?,
            })
        })
        .optional()?)
}

/// Stores the key ceremony's signing key: its public half (hex), wrapped
/// under the chair's passphrase and escrowed with the trustees (JSON each),
/// never in the clear; any older key is replaced (with `secure_delete` on,
/// its pages are overwritten).
pub fn replace_signing_key(conn: &Connection, public: &str, wrapped: &str, escrow: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO meeting_key (id, public, secret, wrapped, escrow) VALUES (1, ?1, X'', ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET public = excluded.public, secret = X'',
           wrapped = excluded.wrapped, escrow = excluded.escrow",
        params![public, wrapped, escrow],
    )?;
    Ok(())
}

/// Replaces the clear signing secret by its wrapped form (JSON); with
/// `secure_delete` on, the page that held the clear secret is overwritten.
pub fn wrap_signing_key(conn: &Connection, wrapped: &str) -> Result<()> {
    conn.execute("UPDATE meeting_key SET secret = X'', wrapped = ?1 WHERE id = 1", [wrapped])?;
    Ok(())
}

/// The secretary's PIN hash (a PHC string), `None` before one is set.
pub fn secretary_pin_hash(conn: &Connection) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT hash FROM secretary_pin WHERE id = 1", [], |r| r.get(0)).optional()?)
}

/// Stores the secretary's PIN hash, set at `at`, in place of the one before.
pub fn set_secretary_pin_hash(conn: &Connection, hash: &str, at: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO secretary_pin (id, hash, set_at) VALUES (1, ?1, ?2)
         ON CONFLICT (id) DO UPDATE SET hash = excluded.hash, set_at = excluded.set_at",
        params![hash, at],
    )?;
    Ok(())
}
