//! The trustees: the chair and two scrutineers, named before the first round.
//! Each sets a passphrase; the meeting's election key is generated, split
//! 2-of-3 and each share wrapped under its trustee's passphrase (argon2id,
//! XChaCha20-Poly1305); the secret is forgotten. Decrypting a round's totals
//! needs two of them (see [`crate::api::tally`]). The meeting's signing key
//! is wrapped under the chair's passphrase at the same time
//! ([`crate::api::signing`]).

use crate::audit;
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::store::Meeting;
use conclave_ballot::{KdfParams, OsRng, ShareSecret, TrusteeKeys, TrusteeSetup, WrappedShare};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The shortest passphrase accepted.
pub const MIN_PASSPHRASE: usize = 8;

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
pub fn list(conn: &Connection) -> Result<Vec<Trustee>> {
    let mut stmt = conn.prepare("SELECT idx, name, role, member_id FROM trustee ORDER BY idx")?;
    let rows = stmt.query_map([], |r| {
        Ok(Trustee { index: r.get(0)?, name: r.get(1)?, role: r.get(2)?, member_id: r.get(3)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The election key's public parts, once the trustees are set up.
pub fn keys(conn: &Connection) -> Result<Option<TrusteeKeys>> {
    let text: Option<String> =
        conn.query_row("SELECT keys FROM election_key WHERE id = 1", [], |r| r.get(0)).optional()?;
    text.map(|t| crate::store::parse_row("election_key", "1", &t)).transpose()
}

/// The keys, or the refusal that says the trustees must be named first.
pub fn require_keys(conn: &Connection) -> Result<TrusteeKeys> {
    keys(conn)?.ok_or_else(|| Error::invalid("trustees", Msg::NoTrustees))
}

/// The meeting's id, which every ballot proof binds.
pub fn meeting_id(conn: &Connection) -> Result<String> {
    Ok(conn.query_row("SELECT id FROM meeting LIMIT 1", [], |r| r.get(0))?)
}

/// Names the chair and two scrutineers with their passphrases and makes the
/// election key. Refused once done, with a name empty or given twice, or a
/// passphrase shorter than [`MIN_PASSPHRASE`]. A name that is on the roster
/// is linked to that member.
pub fn setup(conn: &mut Meeting, names: [&str; 3], passphrases: [&str; 3]) -> Result<Vec<Trustee>> {
    setup_with(conn, names, passphrases, KdfParams::RECOMMENDED)
}

pub(crate) fn setup_with(
    conn: &mut Meeting,
    names: [&str; 3],
    passphrases: [&str; 3],
    kdf: KdfParams,
) -> Result<Vec<Trustee>> {
    let names = names.map(str::trim);
    for (i, n) in names.iter().enumerate() {
        if n.is_empty() {
            return Err(Error::invalid(format!("trustee{}", i + 1), Msg::TrusteeNameEmpty));
        }
        if names[..i].contains(n) {
            return Err(Error::invalid(
                format!("trustee{}", i + 1),
                Msg::TrusteeTwice { name: n.to_string() },
            ));
        }
    }
    for (i, p) in passphrases.iter().enumerate() {
        if p.chars().count() < MIN_PASSPHRASE {
            return Err(Error::invalid(
                format!("trustee{}", i + 1),
                Msg::PassphraseTooShort { name: names[i].to_string(), min: MIN_PASSPHRASE },
            ));
        }
    }
    let tx = conn.write()?;
    if keys(&tx)?.is_some() {
        return Err(Error::invalid("trustees", Msg::TrusteesAlreadySet));
    }
    let meeting = meeting_id(&tx)?;
    let made = TrusteeSetup::generate(&meeting, passphrases, kdf, &mut OsRng)
        .map_err(|e| Error::invalid("trustees", Msg::KeyFailed { detail: e.to_string() }))?;
    tx.execute(
        "INSERT INTO election_key (id, keys, created_at) VALUES (1, ?1, ?2)",
        params![serde_json::to_string(&made.keys)?, crate::api::session::now()],
    )?;
    let mut out = Vec::new();
    for (i, (name, wrapped)) in names.iter().zip(&made.wrapped).enumerate() {
        let member: Option<String> =
            tx.query_row("SELECT id FROM member WHERE name = ?1", [name], |r| r.get(0)).optional()?;
        let role = if i == 0 { "chair" } else { "scrutineer" };
        tx.execute(
            "INSERT INTO trustee (idx, name, role, member_id, wrapped) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![i + 1, name, role, member, serde_json::to_string(wrapped)?],
        )?;
        out.push(Trustee {
            index: i as u8 + 1,
            name: name.to_string(),
            role: role.into(),
            member_id: member,
        });
    }
    audit::append(&tx, "trustees.setup", &serde_json::json!({ "trustees": out, "keys": made.keys }))?;
    crate::api::signing::wrap_clear(&tx, passphrases[0], kdf)?;
    tx.commit()?;
    // The WAL held the page with the clear key: checkpoint it into the
    // (secure-deleted) database and empty the WAL file.
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    tracing::info!("trustees named, election key made");
    Ok(out)
}

/// Opens trustee `name`'s share with their passphrase. A wrong passphrase is
/// refused with the trustee's name and changes nothing.
pub fn open_share(conn: &Connection, name: &str, passphrase: &str) -> Result<(Trustee, ShareSecret)> {
    let row: Option<(u8, String, String, Option<String>, String)> = conn
        .query_row(
            "SELECT idx, name, role, member_id, wrapped FROM trustee WHERE name = ?1",
            [name.trim()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let Some((index, name, role, member_id, wrapped)) = row else {
        return Err(Error::NotFound(Msg::TrusteeNotFound { name: name.trim().into() }));
    };
    let wrapped: WrappedShare = crate::store::parse_row("trustee", &index.to_string(), &wrapped)?;
    let share = wrapped.open(passphrase).map_err(|_| {
        Error::invalid(format!("trustee{index}"), Msg::WrongPassphrase { name: name.clone() })
    })?;
    Ok((Trustee { index, name, role, member_id }, share))
}
