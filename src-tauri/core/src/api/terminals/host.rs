//! The meeting-room server's TLS identity (docs/tls-key.md).
//!
//! The operator can copy `meeting.db` and everything beside it
//! (design/trust.md), so a key kept there — in the clear, or wrapped under a
//! secret the operator types, such as the secretary's PIN — lets a copy run
//! a look-alike host with the very fingerprint the members check. So the key
//! is made in memory the first time this process serves a meeting and is
//! never written anywhere: it lives as long as the process. Stopping and
//! starting the network in the same window keeps the fingerprint (the cards
//! stay right); a new process (the app reopened, the host restarted after a
//! crash) makes a new key, whose fingerprint the projector shows and cards
//! printed from then on carry.
//!
//! The file keeps only the public side: the fingerprint last served, whether
//! a server serves it now (terminal cards are printed only then), and the
//! address.

use crate::audit;
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::store::{self, Meeting};
use rusqlite::Connection;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// A TLS identity held in memory only: a self-signed certificate (DER),
/// its private key (PKCS#8 DER, zeroed when dropped) and the certificate's
/// fingerprint. Its `Debug` shows the fingerprint, never the key.
pub struct HostIdentity {
    pub cert_der: Vec<u8>,
    key_der: zeroize::Zeroizing<Vec<u8>>,
    pub fingerprint: String,
}

impl HostIdentity {
    /// The private key, PKCS#8 DER, for the TLS stack; never to be stored.
    pub fn key_der(&self) -> &[u8] {
        &self.key_der
    }
}

impl std::fmt::Debug for HostIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HostIdentity").field("fingerprint", &self.fingerprint).finish_non_exhaustive()
    }
}

/// This process's identities, one per meeting file: the same meeting served
/// again by this process keeps its fingerprint.
fn identities() -> &'static Mutex<HashMap<PathBuf, Arc<HostIdentity>>> {
    static IDENTITIES: OnceLock<Mutex<HashMap<PathBuf, Arc<HostIdentity>>>> = OnceLock::new();
    IDENTITIES.get_or_init(Default::default)
}

/// The identity this process serves meeting file `db` with, made on first
/// use (rcgen, ECDSA P-256). `names` are the host names and addresses it
/// names besides `localhost`, `conclave.local` and `127.0.0.1`.
pub fn identity(db: &Path, names: &[String]) -> Result<Arc<HostIdentity>> {
    let key = std::fs::canonicalize(db).unwrap_or_else(|_| db.to_path_buf());
    // A panic elsewhere while holding the lock leaves the map whole: each
    // entry is inserted in one step.
    let mut map = identities().lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(found) = map.get(&key) {
        return Ok(found.clone());
    }
    let made = Arc::new(make(names)?);
    map.insert(key, made.clone());
    Ok(made)
}

fn make(names: &[String]) -> Result<HostIdentity> {
    let mut all = vec!["localhost".to_string(), "conclave.local".to_string(), "127.0.0.1".to_string()];
    all.extend(names.iter().filter(|n| !n.is_empty()).cloned());
    all.dedup();
    // rcgen's error names what failed, never the key.
    let made = rcgen::generate_simple_self_signed(all).map_err(|e| Error::Io {
        path: "certificate".into(),
        source: std::io::Error::other(e.to_string()),
    })?;
    let cert_der = made.cert.der().to_vec();
    Ok(HostIdentity {
        fingerprint: super::fingerprint(&cert_der),
        key_der: zeroize::Zeroizing::new(made.signing_key.serialize_der()),
        cert_der,
    })
}

/// Records that a server serves `identity` at `url`; a fingerprint the
/// meeting has not served before enters the audit chain.
pub fn record_start(conn: &mut Meeting, identity: &HostIdentity, url: &str) -> Result<()> {
    let tx = conn.write()?;
    let before = store::terminals::served_fingerprint(&tx)?.map(|(f, _)| f);
    store::terminals::set_serving(&tx, &identity.fingerprint, url)?;
    if before.as_deref() != Some(identity.fingerprint.as_str()) {
        audit::append(
            &tx,
            "terminals.certificate",
            &serde_json::json!({ "fingerprint": identity.fingerprint }),
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// Records that the server serving `identity` stopped: cards are not
/// printed until a server serves again.
pub fn record_stop(conn: &mut Meeting, identity: &HostIdentity) -> Result<()> {
    let tx = conn.write()?;
    store::terminals::set_stopped(&tx, &identity.fingerprint)?;
    tx.commit()?;
    Ok(())
}

/// The fingerprint of the certificate being served, for the cards; refused
/// when no server serves the meeting, since the next one may have another.
pub fn serving_fingerprint(conn: &Connection) -> Result<String> {
    match store::terminals::served_fingerprint(conn)? {
        Some((fingerprint, true)) => Ok(fingerprint),
        _ => Err(Error::invalid("network", Msg::TerminalNetworkOff)),
    }
}

/// The address the server was last started on, if any.
pub fn last_url(conn: &Connection) -> Result<Option<String>> {
    store::terminals::last_url(conn)
}

/// The address the last full print of terminal cards carries: a server
/// started on another one is out of their reach.
pub fn cards_url(conn: &Connection) -> Result<Option<String>> {
    store::terminals::cards_url(conn)
}
