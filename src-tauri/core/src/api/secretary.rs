//! The secretary's own PIN (design/terminals.md, "station mode as a
//! kiosk"): set when the meeting is created, it unlocks the voting station
//! for a member the secretary picks from the list (a member who lost their
//! slip). It is kept as an argon2id PHC string: unlike the members' 6-digit
//! slips it is chosen by the secretary and may be longer, and a memory-hard
//! hash makes each offline guess cost.
//!
//! Setting it the first time needs nothing (a meeting made before this
//! version has none); changing it needs the current one.

use crate::api::session::now;
use crate::audit;
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::store::Meeting;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rusqlite::Connection;

/// Whether the meeting has a secretary's PIN.
pub fn is_set(conn: &Connection) -> Result<bool> {
    Ok(stored(conn)?.is_some())
}

fn stored(conn: &Connection) -> Result<Option<String>> {
    crate::store::keys::secretary_pin_hash(conn)
}

/// 6 to 12 digits, typed the same twice.
fn well_formed(pin: &str, again: &str) -> Result<()> {
    let ok = (6..=12).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit());
    if !ok {
        return Err(Error::invalid("secretary_pin", Msg::SecretaryPinFormat));
    }
    if pin != again {
        return Err(Error::invalid("secretary_pin", Msg::SecretaryPinMismatch));
    }
    Ok(())
}

/// Sets the secretary's PIN (`pin`, typed twice); where one is set,
/// `current` must be it. Audited without the PIN.
pub fn set(conn: &mut Meeting, current: Option<&str>, pin: &str, again: &str) -> Result<()> {
    well_formed(pin.trim(), again.trim())?;
    let tx = conn.write()?;
    if is_set(&tx)? {
        check(&tx, current.unwrap_or(""))?;
    }
    store(&tx, pin, again)?;
    tx.commit()?;
    Ok(())
}

/// Writes the hash of `pin` (typed twice) inside the caller's transaction:
/// setting, changing, or with a new meeting.
pub(crate) fn store(tx: &rusqlite::Transaction, pin: &str, again: &str) -> Result<()> {
    well_formed(pin.trim(), again.trim())?;
    let changing = is_set(tx)?;
    let salt = SaltString::generate(&mut OsRng);
    let hash = Argon2::default()
        .hash_password(pin.trim().as_bytes(), &salt)
        .map_err(|e| Error::Io { path: "argon2".into(), source: std::io::Error::other(e.to_string()) })?
        .to_string();
    crate::store::keys::set_secretary_pin_hash(tx, &hash, &now())?;
    audit::append(tx, "secretary_pin.set", &serde_json::json!({ "changed": changing }))?;
    tracing::info!(changed = changing, "secretary's PIN set");
    Ok(())
}

/// Refuses unless `pin` is the secretary's PIN.
pub fn check(conn: &Connection, pin: &str) -> Result<()> {
    if pin.trim().is_empty() {
        return Err(Error::invalid("secretary_pin", Msg::SecretaryPinNeeded));
    }
    let Some(stored) = stored(conn)? else {
        return Err(Error::invalid("secretary_pin", Msg::SecretaryPinNotSet));
    };
    let parsed = PasswordHash::new(&stored).map_err(|e| {
        Error::Integrity(Msg::StoredRowInvalid {
            table: "secretary_pin".into(),
            key: "1".into(),
            detail: e.to_string(),
        })
    })?;
    Argon2::default()
        .verify_password(pin.trim().as_bytes(), &parsed)
        .map_err(|_| Error::invalid("secretary_pin", Msg::SecretaryPinWrong))
}
