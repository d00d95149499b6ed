//! The meeting's document-signing key (Ed25519; the PDF key is derived from
//! it, see `docs/sealed-documents.md`). It is made with the meeting and is in
//! the clear only until the trustees are named: then it is wrapped under the
//! chair's passphrase ([`WrappedSecret`], argon2id → XChaCha20-Poly1305) and
//! the clear copy is emptied. From then on every sealed document and every
//! archive export needs the chair's passphrase ([`unlock`]). A meeting whose
//! trustees were named by an older version, with its key still in the clear,
//! has it wrapped by the first unlock (the passphrase checked against the
//! chair's share).

use crate::api::trustees;
use crate::audit;
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::print::seal;
use crate::store::{self, keys::SigningKeyRow};
use conclave_ballot::{KdfParams, OsRng, WrappedSecret};
use rusqlite::Connection;
use zeroize::Zeroizing;

/// The `purpose` of the wrapped signing key.
const PURPOSE: &str = "meeting-signing-key";

/// The signing secret, unlocked for one print or export; zeroized on drop.
pub struct SigningKey(Zeroizing<[u8; 32]>);

impl SigningKey {
    /// The Ed25519 secret (for the seal's signatures; never stored or logged).
    pub fn secret(&self) -> &[u8; 32] {
        &self.0
    }
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKey(<redacted>)")
    }
}

/// The stored clear secret, which must be 32 bytes.
fn clear_secret(row: &SigningKeyRow) -> Result<Zeroizing<[u8; 32]>> {
    let secret: [u8; 32] =
        row.clear.as_slice().try_into().map_err(|_| tampered("the secret is not 32 bytes"))?;
    Ok(Zeroizing::new(secret))
}

fn row(conn: &Connection) -> Result<Option<SigningKeyRow>> {
    store::keys::signing_key(conn)
}

/// Makes the meeting's key pair if it has none (new meetings get it at creation).
pub fn ensure_key(conn: &Connection) -> Result<()> {
    if row(conn)?.is_some() {
        return Ok(());
    }
    let (secret, public) = seal::new_key().ok_or_else(|| Error::Io {
        path: "getrandom".into(),
        source: std::io::Error::other("no OS randomness"),
    })?;
    let secret = Zeroizing::new(secret);
    store::keys::add_signing_key(conn, &hex::encode(public), &secret[..])?;
    audit::append(conn, "key.create", &serde_json::json!({ "public": hex::encode(public) }))?;
    Ok(())
}

/// The meeting's public key (hex).
pub fn public_key(conn: &Connection) -> Result<String> {
    ensure_key(conn)?;
    store::keys::signing_public(conn)
}

/// The chair's name once the trustees are named: then printing a sealed
/// document needs their passphrase.
pub fn chair(conn: &Connection) -> Result<Option<String>> {
    Ok(trustees::list(conn)?.into_iter().find(|t| t.index == 1).map(|t| t.name))
}

/// The signing key, for one print or export. Once the trustees are named
/// this needs the chair's passphrase: missing or wrong, it is refused and
/// nothing changes (a right one may wrap a key an older version left clear).
pub fn unlock(conn: &Connection, passphrase: Option<&str>) -> Result<SigningKey> {
    ensure_key(conn)?;
    let row = row(conn)?.ok_or_else(|| tampered("no key"))?;
    let Some(chair) = chair(conn)? else {
        return checked(SigningKey(clear_secret(&row)?), &row.public);
    };
    let Some(passphrase) = passphrase.filter(|p| !p.is_empty()) else {
        return Err(Error::invalid("chair_passphrase", Msg::ChairPassphraseNeeded { name: chair }));
    };
    let wrong = || Error::invalid("chair_passphrase", Msg::WrongPassphrase { name: chair.clone() });
    if let Some(text) = &row.wrapped {
        let w: WrappedSecret = crate::store::parse_row("meeting_key", "1", text)?;
        let secret = w.open(passphrase).map_err(|_| wrong())?;
        return checked(SigningKey(secret), &row.public);
    }
    // Named by an older version: the chair's share says whether the
    // passphrase is theirs, then the key is wrapped under it.
    trustees::open_share(conn, &chair, passphrase).map_err(|_| wrong())?;
    let key = checked(SigningKey(clear_secret(&row)?), &row.public)?;
    // The wrapping and its audit entry together, then the WAL emptied of
    // the page that held the clear key.
    let tx = conn.unchecked_transaction()?;
    wrap(&tx, &key, passphrase, KdfParams::RECOMMENDED)?;
    tx.commit()?;
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    Ok(key)
}

/// Wraps the clear key under the chair's passphrase (when the trustees are
/// named, in their transaction) and empties the clear copy.
pub(crate) fn wrap_clear(conn: &Connection, passphrase: &str, kdf: KdfParams) -> Result<()> {
    ensure_key(conn)?;
    let row = row(conn)?.ok_or_else(|| tampered("no key"))?;
    if row.wrapped.is_some() {
        return Ok(());
    }
    let key = checked(SigningKey(clear_secret(&row)?), &row.public)?;
    wrap(conn, &key, passphrase, kdf)
}

fn wrap(conn: &Connection, key: &SigningKey, passphrase: &str, kdf: KdfParams) -> Result<()> {
    let meeting = trustees::meeting_id(conn)?;
    let public = ed25519_public(key);
    let w = WrappedSecret::wrap(PURPOSE, &meeting, public, key.secret(), passphrase, kdf, &mut OsRng)
        .map_err(|e| Error::invalid("chair_passphrase", Msg::KeyFailed { detail: e.to_string() }))?;
    // secure_delete is on: the page that held the clear secret is overwritten.
    store::keys::wrap_signing_key(conn, &serde_json::to_string(&w)?)?;
    audit::append(conn, "key.wrap", &serde_json::json!({ "public": hex::encode(public), "under": "chair" }))?;
    tracing::info!("meeting key wrapped under the chair's passphrase");
    Ok(())
}

fn ed25519_public(key: &SigningKey) -> [u8; 32] {
    ed25519_dalek::SigningKey::from_bytes(key.secret()).verifying_key().to_bytes()
}

/// The key, if it is the one whose public half the meeting publishes.
fn checked(key: SigningKey, public: &str) -> Result<SigningKey> {
    if hex::encode(ed25519_public(&key)) == public {
        Ok(key)
    } else {
        Err(tampered("the secret does not match the public key"))
    }
}

fn tampered(detail: &str) -> Error {
    Error::Integrity(Msg::StoredRowInvalid {
        table: "meeting_key".into(),
        key: "1".into(),
        detail: detail.into(),
    })
}
