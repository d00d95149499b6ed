//! Opening evidence files: a file is re-hashed every time it is opened, and a
//! changed or missing file is reported instead of shown.

use crate::api::meeting;
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::store::{self, evidence};
use std::path::{Path, PathBuf};

/// Where the verified file of `sha256` in meeting `id` is, and its type.
#[derive(Debug, Clone)]
pub struct Opened {
    pub path: PathBuf,
    pub mime: String,
}

/// Re-hashes the file and returns it when it is unchanged.
pub fn open(data_dir: &Path, id: &str, sha256: &str) -> Result<Opened> {
    if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::NotFound(Msg::EvidenceMissing { sha256: sha256.into() }));
    }
    let dir = meeting::meeting_dir(data_dir, id)?;
    let conn = store::open_read_only(&dir.join(store::DB_FILE))?;
    let Some(mime) = store::packages::evidence_mime(&conn, sha256)? else {
        return Err(Error::NotFound(Msg::EvidenceMissing { sha256: sha256.into() }));
    };
    let root = evidence::root_for(&dir.join(store::DB_FILE));
    match evidence::verify(&root, sha256) {
        Ok(true) => Ok(Opened { path: evidence::path_of(&root, sha256), mime }),
        Ok(false) => Err(Error::Integrity(Msg::EvidenceChanged { sha256: sha256.into() })),
        Err(_) => Err(Error::Integrity(Msg::EvidenceMissing { sha256: sha256.into() })),
    }
}
