//! The meeting's document-signing key (Ed25519; the PDF key is derived from
//! it, see `docs/sealed-documents.md`).
//!
//! It is made at the key ceremony, when the trustees are named
//! ([`crate::api::trustees::setup`]), and never before: it is never in the
//! clear in the file. It is stored wrapped twice: under the chair's
//! passphrase ([`WrappedSecret`], argon2id → XChaCha20-Poly1305) and under
//! the trustees' 2-of-3 escrow ([`EscrowedSecret`]), so that two trustees
//! can seal when the chair has left. Its public half is recorded in the
//! audit chain (`key.create`) and printed on the key ceremony sheet; a
//! stored key that is not the one the chain recorded last is refused,
//! named, and never adopted or wrapped.
//!
//! Meetings made by earlier versions had a clear key from their creation:
//! those whose trustees were named then are still unlocked by the chair's
//! passphrase and wrapped at the first unlock, but only when the clear key
//! is the one their chain recorded and the chain never said it was wrapped.

use crate::api::trustees;
use crate::audit;
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::print::seal;
use crate::store::{self, keys::SigningKeyRow};
use conclave_ballot::{EscrowKey, EscrowedSecret, KdfParams, OsRng, WrappedSecret};
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

    /// The Ed25519 public key.
    pub fn public(&self) -> [u8; 32] {
        ed25519_dalek::SigningKey::from_bytes(self.secret()).verifying_key().to_bytes()
    }
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKey(<redacted>)")
    }
}

/// Who unlocks the signing key for one print or export.
#[derive(Clone, Copy)]
pub enum Unlock<'a> {
    /// The chair, with their passphrase.
    Chair(&'a str),
    /// Two trustees together (the chair has left): (name, passphrase) each.
    Trustees([(&'a str, &'a str); 2]),
}

/// What the audit chain says of the signing key.
#[derive(Debug, Default)]
struct Recorded {
    /// The public key (hex) of the last `key.create`.
    public: Option<String>,
    /// That `key.create` was a key ceremony (this version's), not an older
    /// version's key made with the meeting.
    ceremony: bool,
    /// A `key.wrap` of that key: its clear copy is gone.
    wrapped: bool,
}

fn recorded(conn: &Connection) -> Result<Recorded> {
    let entries = audit::entries(conn)?;
    let (public, ceremony) = match audit::recorded_signing_key(&entries) {
        Ok(Some((public, ceremony))) => (Some(public), ceremony),
        Ok(None) => (None, false),
        Err(_) => return Err(not_recorded()),
    };
    // A `key.wrap` of that key (older versions): its clear copy is gone.
    let wrapped = entries.iter().filter(|e| e.kind == "key.wrap").any(|e| {
        serde_json::from_str::<serde_json::Value>(&e.detail)
            .ok()
            .and_then(|d| d.get("public").and_then(|p| p.as_str()).map(str::to_string))
            .is_some_and(|p| Some(p) == public)
    });
    Ok(Recorded { public, ceremony, wrapped })
}

/// The meeting's public key (hex), once the key ceremony made it; the one
/// the audit chain recorded (a stored key that differs is an integrity error).
pub fn public_key(conn: &Connection) -> Result<Option<String>> {
    let Some(public) = recorded(conn)?.public else {
        return Ok(None);
    };
    let row = store::keys::signing_key(conn)?
        .ok_or_else(|| tampered("the key recorded in the chain is missing"))?;
    if row.public != public {
        return Err(not_recorded());
    }
    Ok(Some(public))
}

/// The public key, or the refusal that says the key ceremony comes first.
pub fn require_public_key(conn: &Connection) -> Result<String> {
    public_key(conn)?.ok_or_else(|| Error::invalid("trustees", Msg::CeremonyFirst))
}

/// The chair's name once the trustees are named: then printing a sealed
/// document needs their passphrase.
pub fn chair(conn: &Connection) -> Result<Option<String>> {
    Ok(trustees::list(conn)?.into_iter().find(|t| t.index == 1).map(|t| t.name))
}

/// The signing key, for one print or export, with the chair's passphrase.
/// Missing or wrong, it is refused and nothing changes. Refused as well
/// before the key ceremony, and when the stored key is not the one the
/// chain recorded.
pub fn unlock(conn: &Connection, passphrase: Option<&str>) -> Result<SigningKey> {
    let chair = chair(conn)?;
    match (chair, passphrase.filter(|p| !p.is_empty())) {
        (None, _) => Err(Error::invalid("trustees", Msg::CeremonyFirst)),
        (Some(name), None) => Err(Error::invalid("chair_passphrase", Msg::ChairPassphraseNeeded { name })),
        (Some(_), Some(p)) => unlock_by(conn, Unlock::Chair(p)),
    }
}

/// Who seals one print or export: the chair's passphrase (`None` when none
/// was given), or two trustees' together when the chair has left.
#[derive(Clone, Copy, Default)]
pub struct Sealer<'a> {
    pub chair: Option<&'a str>,
    pub trustees: Option<[(&'a str, &'a str); 2]>,
}

impl<'a> Sealer<'a> {
    /// The chair, with the passphrase given (if any).
    pub fn chair(passphrase: Option<&'a str>) -> Self {
        Sealer { chair: passphrase, trustees: None }
    }
}

/// The signing key for `sealer`: two trustees when given, else the chair.
pub fn unlock_for(conn: &Connection, sealer: Sealer<'_>) -> Result<SigningKey> {
    match sealer.trustees {
        Some(pair) => unlock_by(conn, Unlock::Trustees(pair)),
        None => unlock(conn, sealer.chair),
    }
}

/// The signing key, unlocked by the chair or by two trustees together.
pub fn unlock_by(conn: &Connection, who: Unlock<'_>) -> Result<SigningKey> {
    let recorded = recorded(conn)?;
    let Some(public) = recorded.public.clone() else {
        return Err(Error::invalid("trustees", Msg::CeremonyFirst));
    };
    let row = store::keys::signing_key(conn)?
        .ok_or_else(|| tampered("the key recorded in the chain is missing"))?;
    if row.public != public {
        return Err(not_recorded());
    }
    match who {
        Unlock::Chair(passphrase) => by_chair(conn, &row, &recorded, passphrase),
        Unlock::Trustees(pair) => by_trustees(conn, &row, pair),
    }
}

fn by_chair(
    conn: &Connection,
    row: &SigningKeyRow,
    recorded: &Recorded,
    passphrase: &str,
) -> Result<SigningKey> {
    let name = chair(conn)?.ok_or_else(|| Error::invalid("trustees", Msg::CeremonyFirst))?;
    let wrong = || Error::invalid("chair_passphrase", Msg::WrongPassphrase { name: name.clone() });
    if let Some(text) = &row.wrapped {
        let w: WrappedSecret = store::parse_row("meeting_key", "1", text)?;
        let secret = w.open(passphrase).map_err(|_| wrong())?;
        return checked(SigningKey(secret), &row.public);
    }
    // No wrapped copy. Only an older version's meeting whose trustees were
    // named before keys were wrapped may have one in the clear: its chain
    // recorded the key at creation and never a wrapping. Anything else is
    // an edited file, and the clear key in it is never adopted.
    if recorded.ceremony || recorded.wrapped || row.clear.is_empty() {
        return Err(tampered("the wrapped key is missing"));
    }
    trustees::open_share(conn, &name, passphrase).map_err(|_| wrong())?;
    let key = checked(SigningKey(clear_secret(row)?), &row.public)?;
    // The wrapping and its audit entry together, then the WAL emptied of
    // the page that held the clear key.
    let tx = conn.unchecked_transaction()?;
    wrap_legacy(&tx, &key, passphrase)?;
    tx.commit()?;
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    Ok(key)
}

fn by_trustees(conn: &Connection, row: &SigningKeyRow, pair: [(&str, &str); 2]) -> Result<SigningKey> {
    let [(a, pa), (b, pb)] = pair;
    let (ta, sa) = trustees::open_share(conn, a, pa)?;
    let (tb, sb) = trustees::open_share(conn, b, pb)?;
    if ta.index == tb.index {
        return Err(Error::invalid("trustees", Msg::SealSameTrustee { name: ta.name }));
    }
    let text = row.escrow.as_ref().ok_or_else(|| Error::invalid("trustees", Msg::NoEscrow))?;
    let escrowed: EscrowedSecret = store::parse_row("meeting_key", "1", text)?;
    let meeting = trustees::meeting_id(conn)?;
    let key = EscrowKey::combine(&meeting, &sa, &sb)
        .map_err(|e| Error::invalid("trustees", Msg::KeyFailed { detail: e.to_string() }))?;
    let secret = escrowed.open(&key).map_err(|_| tampered("the escrowed key does not open"))?;
    checked(SigningKey(secret), &row.public)
}

/// The key ceremony's half for the signing key: a fresh key pair, wrapped
/// under the chair's passphrase and under the trustees' escrow, stored in
/// place of any key an older version made. Inside the ceremony's
/// transaction; returns the public key (hex), which the caller records.
pub(crate) fn make(
    conn: &Connection,
    meeting: &str,
    chair_passphrase: &str,
    escrow: &EscrowKey,
    kdf: KdfParams,
) -> Result<String> {
    let (secret, public) = seal::new_key().ok_or_else(|| Error::Io {
        path: "getrandom".into(),
        source: std::io::Error::other("no OS randomness"),
    })?;
    let secret = Zeroizing::new(secret);
    let w = WrappedSecret::wrap(PURPOSE, meeting, public, &secret, chair_passphrase, kdf, &mut OsRng)
        .map_err(|e| Error::invalid("chair_passphrase", Msg::KeyFailed { detail: e.to_string() }))?;
    let e = EscrowedSecret::wrap(escrow, PURPOSE, meeting, public, &secret, &mut OsRng);
    // secure_delete is on: the pages of an older version's clear key are overwritten.
    store::keys::replace_signing_key(
        conn,
        &hex::encode(public),
        &serde_json::to_string(&w)?,
        &serde_json::to_string(&e)?,
    )?;
    Ok(hex::encode(public))
}

/// An older version's clear key wrapped under the chair's passphrase, the
/// clear copy emptied.
fn wrap_legacy(conn: &Connection, key: &SigningKey, passphrase: &str) -> Result<()> {
    let meeting = trustees::meeting_id(conn)?;
    let public = key.public();
    let w = WrappedSecret::wrap(
        PURPOSE,
        &meeting,
        public,
        key.secret(),
        passphrase,
        KdfParams::RECOMMENDED,
        &mut OsRng,
    )
    .map_err(|e| Error::invalid("chair_passphrase", Msg::KeyFailed { detail: e.to_string() }))?;
    store::keys::wrap_signing_key(conn, &serde_json::to_string(&w)?)?;
    audit::append(conn, "key.wrap", &serde_json::json!({ "public": hex::encode(public), "under": "chair" }))?;
    tracing::info!("an older meeting's key wrapped under the chair's passphrase");
    Ok(())
}

/// The stored clear secret, which must be 32 bytes.
fn clear_secret(row: &SigningKeyRow) -> Result<Zeroizing<[u8; 32]>> {
    let secret: [u8; 32] =
        row.clear.as_slice().try_into().map_err(|_| tampered("the secret is not 32 bytes"))?;
    Ok(Zeroizing::new(secret))
}

/// The key, if it is the one whose public half the meeting publishes.
fn checked(key: SigningKey, public: &str) -> Result<SigningKey> {
    if hex::encode(key.public()) == public {
        Ok(key)
    } else {
        Err(tampered("the secret does not match the public key"))
    }
}

fn not_recorded() -> Error {
    Error::Integrity(Msg::KeyNotRecorded { what: KeyKind::Signing })
}

fn tampered(detail: &str) -> Error {
    Error::Integrity(Msg::StoredRowInvalid {
        table: "meeting_key".into(),
        key: "1".into(),
        detail: detail.into(),
    })
}

pub use crate::i18n::msg::KeyKind;
