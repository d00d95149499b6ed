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
use crate::store::{self, Meeting};
use conclave_ballot::{KdfParams, OsRng, ShareSecret, TrusteeKeys, TrusteeSetup};
use rusqlite::Connection;

pub use crate::store::keys::Trustee;

/// The shortest passphrase accepted.
pub const MIN_PASSPHRASE: usize = 8;

/// The named trustees, in index order (empty before set-up).
pub fn list(conn: &Connection) -> Result<Vec<Trustee>> {
    store::keys::trustees(conn)
}

/// The election key's public parts, once the trustees are set up.
pub fn keys(conn: &Connection) -> Result<Option<TrusteeKeys>> {
    store::keys::election_key(conn)
}

/// The keys, or the refusal that says the trustees must be named first.
pub fn require_keys(conn: &Connection) -> Result<TrusteeKeys> {
    keys(conn)?.ok_or_else(|| Error::invalid("trustees", Msg::NoTrustees))
}

/// The meeting's id, which every ballot proof binds.
pub fn meeting_id(conn: &Connection) -> Result<String> {
    store::meeting::id(conn)
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
    let Some((trustee, wrapped)) = store::keys::trustee_share(conn, name.trim())? else {
        return Err(Error::NotFound(Msg::TrusteeNotFound { name: name.trim().into() }));
    };
    let share = wrapped.open(passphrase).map_err(|_| {
        Error::invalid(
            format!("trustee{}", trustee.index),
            Msg::WrongPassphrase { name: trustee.name.clone() },
        )
    })?;
    Ok((trustee, share))
}
