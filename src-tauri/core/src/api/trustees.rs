//! The trustees and the key ceremony: the chair and two scrutineers, named
//! before the first round, each with a passphrase. Naming them makes, at
//! that moment and never before, the meeting's election key (split 2-of-3,
//! each share wrapped under its trustee's passphrase with argon2id and
//! XChaCha20-Poly1305, the secret forgotten) and its document-signing key
//! ([`crate::api::signing`]). Both public keys go into the audit chain
//! (`key.create`) and onto the key ceremony sheet, signed by hand in the
//! room; a stored key that differs from the chain's is refused, never used.
//! Decrypting a round's totals needs two trustees (see [`crate::api::tally`]).

use crate::audit;
use crate::error::{Error, Result};
use crate::i18n::msg::KeyKind;
use crate::i18n::Msg;
use crate::store::{self, Meeting};
use conclave_ballot::{KdfParams, OsRng, ShareSecret, TrusteeKeys, TrusteeSetup, WrappedShare};
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

pub use crate::store::keys::Trustee;

/// The shortest passphrase accepted.
pub const MIN_PASSPHRASE: usize = 8;

/// The named trustees, in index order (empty before set-up).
pub fn list(conn: &Connection) -> Result<Vec<Trustee>> {
    store::keys::trustees(conn)
}

/// The election key's public parts as stored, once the trustees are set up
/// (for the archive, which shows what the file holds; ballots use
/// [`require_keys`]).
pub fn keys(conn: &Connection) -> Result<Option<TrusteeKeys>> {
    store::keys::election_key(conn)
}

/// The election key ballots are encrypted under: the stored one, which must
/// be the one the key ceremony recorded in the audit chain (a key swapped in
/// the file is an integrity error, never a key to use). Refused before the
/// trustees are named.
pub fn require_keys(conn: &Connection) -> Result<TrusteeKeys> {
    let stored = keys(conn)?.ok_or_else(|| Error::invalid("trustees", Msg::NoTrustees))?;
    if recorded_keys(conn)? != Some(stored) {
        return Err(Error::Integrity(Msg::KeyNotRecorded { what: KeyKind::Election }));
    }
    Ok(stored)
}

/// The election key the audit chain recorded when the trustees were named.
pub fn recorded_keys(conn: &Connection) -> Result<Option<TrusteeKeys>> {
    let Some(detail) = store::audit::details_of_kind(conn, "trustees.setup")?.into_iter().next() else {
        return Ok(None);
    };
    let detail: serde_json::Value = serde_json::from_str(&detail)?;
    Ok(detail.get("keys").cloned().and_then(|k| serde_json::from_value(k).ok()))
}

/// The election key's fingerprint as every ballot screen shows it.
pub fn fingerprint(keys: &TrusteeKeys) -> String {
    crate::print::seal::fingerprint(&keys.joint().to_hex())
}

/// What the key ceremony made, as its sheet prints it and the screens show it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Ceremony {
    pub trustees: Vec<Trustee>,
    /// The joint election key, hex, and its fingerprint (8 groups of 4).
    pub election_key: String,
    pub election_fingerprint: String,
    /// Each trustee's share public value's fingerprint, in index order.
    pub share_fingerprints: Vec<String>,
    /// The document-signing key, hex, and its fingerprint (as `verify --key` takes it).
    pub signing_key: String,
    pub signing_fingerprint: String,
    /// The audit chain's head with the ceremony's entry, and when it was made (UTC).
    pub chain_head: String,
    pub at: String,
}

/// The key ceremony as the audit chain recorded it, `None` before it (or
/// for a meeting whose trustees an earlier version named).
pub fn ceremony(conn: &Connection) -> Result<Option<Ceremony>> {
    // The ceremony happens once: its entry is the first of its kind (one
    // appended later is refused wherever the key is used).
    let entry = crate::audit::entries(conn)?
        .into_iter()
        .find(|e| e.kind == "key.create" && e.detail.contains("\"ceremony\""));
    let Some(entry) = entry else {
        return Ok(None);
    };
    // An entry that does not say both keys is an edited chain, not an empty key.
    let broken = || {
        Error::Integrity(Msg::StoredRowInvalid {
            table: "audit_log".into(),
            key: entry.seq.to_string(),
            detail: "key.create".into(),
        })
    };
    let d: serde_json::Value = serde_json::from_str(&entry.detail).map_err(|_| broken())?;
    let keys: TrusteeKeys =
        serde_json::from_value(d.get("election").cloned().ok_or_else(broken)?).map_err(|_| broken())?;
    let signing = d.get("public").and_then(|v| v.as_str()).ok_or_else(broken)?.to_string();
    Ok(Some(Ceremony {
        trustees: list(conn)?,
        election_key: keys.joint().to_hex(),
        election_fingerprint: fingerprint(&keys),
        share_fingerprints: (1..=3u8)
            .filter_map(|i| keys.share(i).map(|s| crate::print::seal::fingerprint(&s.to_hex())))
            .collect(),
        signing_fingerprint: crate::print::seal::fingerprint(&signing),
        signing_key: signing,
        chain_head: entry.entry_hash,
        at: entry.at,
    }))
}

/// The meeting's id, which every ballot proof binds.
pub fn meeting_id(conn: &Connection) -> Result<String> {
    store::meeting::id(conn)
}

/// The key ceremony: names the chair and two scrutineers with their
/// passphrases and makes the election key and the document-signing key,
/// recorded in the audit chain. Refused once done, with a name empty or
/// given twice, or a passphrase shorter than [`MIN_PASSPHRASE`]. A name
/// that is on the roster is linked to that member.
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
        // A copy of the file holds each wrapped share: a passphrase a person
        // chose must not be guessable offline (generated ones always pass).
        if let Err(Error::Invalid { msg, .. }) = crate::api::passphrase::check(names[i], p) {
            return Err(Error::invalid(format!("trustee{}", i + 1), msg));
        }
    }
    let tx = conn.write()?;
    if keys(&tx)?.is_some() {
        return Err(Error::invalid("trustees", Msg::TrusteesAlreadySet));
    }
    let meeting = meeting_id(&tx)?;
    let made = TrusteeSetup::generate(&meeting, passphrases, kdf, &mut OsRng)
        .map_err(|e| Error::invalid("trustees", Msg::KeyFailed { detail: e.to_string() }))?;
    store::keys::set_election_key(&tx, &made.keys, &crate::api::session::now())?;
    let mut out = Vec::new();
    for (i, (name, wrapped)) in names.iter().zip(&made.wrapped).enumerate() {
        let member = store::roster::member_id_by_name(&tx, name)?;
        let role = if i == 0 { "chair" } else { "scrutineer" };
        let trustee =
            Trustee { index: i as u8 + 1, name: name.to_string(), role: role.into(), member_id: member };
        store::keys::add_trustee(&tx, &trustee, &serde_json::to_string(wrapped)?)?;
        out.push(trustee);
    }
    audit::append(&tx, "trustees.setup", &serde_json::json!({ "trustees": out, "keys": made.keys }))?;
    let signing = crate::api::signing::make(&tx, &meeting, passphrases[0], &made.escrow, kdf)?;
    audit::append(
        &tx,
        "key.create",
        &serde_json::json!({ "ceremony": 2, "public": signing, "election": made.keys }),
    )?;
    tx.commit()?;
    // An older version's meeting held a clear key: checkpoint the WAL into
    // the (secure-deleted) database and empty the WAL file.
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    tracing::info!("key ceremony: trustees named, election and signing keys made");
    Ok(out)
}

/// Opens trustee `name`'s share with their passphrase. A wrong passphrase is
/// refused with the trustee's name and changes nothing.
pub fn open_share(conn: &Connection, name: &str, passphrase: &str) -> Result<(Trustee, ShareSecret)> {
    let (trustee, wrapped) = find_share(conn, name)?;
    let share = unwrap_share(&trustee, &wrapped, passphrase)?;
    Ok((trustee, share))
}

/// [`open_share`] for two trustees, the two argon2id derivations running at
/// once (each at its full cost). The answer is the one opening them in turn
/// gives: the first trustee's problem, if any, is the one reported.
pub fn open_two_shares(conn: &Connection, given: [(&str, &str); 2]) -> Result<[(Trustee, ShareSecret); 2]> {
    let (first, pass1) = (find_share(conn, given[0].0)?, given[0].1);
    let second = match find_share(conn, given[1].0) {
        Ok(found) => found,
        Err(e) => {
            unwrap_share(&first.0, &first.1, pass1)?;
            return Err(e);
        }
    };
    let pass2 = given[1].1;
    let (opened1, opened2) = std::thread::scope(|scope| {
        let other = scope.spawn(|| unwrap_share(&second.0, &second.1, pass2));
        let here = unwrap_share(&first.0, &first.1, pass1);
        // unwrap_share does not panic; if it ever did, open it again here.
        (here, other.join().unwrap_or_else(|_| unwrap_share(&second.0, &second.1, pass2)))
    });
    let (share1, share2) = (opened1?, opened2?);
    Ok([(first.0, share1), (second.0, share2)])
}

fn find_share(conn: &Connection, name: &str) -> Result<(Trustee, WrappedShare)> {
    store::keys::trustee_share(conn, name.trim())?
        .ok_or_else(|| Error::NotFound(Msg::TrusteeNotFound { name: name.trim().into() }))
}

fn unwrap_share(trustee: &Trustee, wrapped: &WrappedShare, passphrase: &str) -> Result<ShareSecret> {
    wrapped.open(passphrase).map_err(|_| {
        Error::invalid(
            format!("trustee{}", trustee.index),
            Msg::WrongPassphrase { name: trustee.name.clone() },
        )
    })
}
