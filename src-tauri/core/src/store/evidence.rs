//! The meeting's content-addressed evidence store: `evidence/<aa>/<sha256>`
//! beside the database. Imports write into a staging folder first, so that a
//! failed or cancelled import leaves nothing behind.

use crate::package::Sink;
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

pub const DIR: &str = "evidence";

/// The evidence folder of the meeting whose database is `db`.
pub fn root_for(db: &Path) -> PathBuf {
    db.parent().unwrap_or(Path::new(".")).join(DIR)
}

/// Where the file with `sha256` lives.
pub fn path_of(root: &Path, sha256: &str) -> PathBuf {
    root.join(sha256.get(..2).unwrap_or_default()).join(sha256)
}

/// Re-hashes a stored file; `Ok(true)` when it still has its hash.
pub fn verify(root: &Path, sha256: &str) -> std::io::Result<bool> {
    let (hash, _) = hash_copy(&mut File::open(path_of(root, sha256))?, &mut std::io::sink())?;
    Ok(hash == sha256)
}

/// Copies `from` into `to` while hashing it: the SHA-256 (hex) and the size.
pub fn hash_copy(from: &mut dyn Read, to: &mut dyn Write) -> std::io::Result<(String, u64)> {
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut size = 0u64;
    loop {
        let n = from.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
        to.write_all(&buf[..n])?;
        size += n as u64;
    }
    Ok((hex::encode(h.finalize()), size))
}

/// The file in a staging folder its import holds locked.
const OWNER: &str = ".owner";

/// A staging folder that receives an import's files. Its `.owner` file is
/// locked while the import runs, so that [`Staging::sweep`] tells a folder
/// a killed import left from one being written now.
pub struct Staging {
    dir: PathBuf,
    _owner: File,
    current: Option<(PathBuf, BufWriter<File>)>,
    counter: u64,
    staged: Vec<String>,
}

impl Staging {
    pub fn create(root: &Path) -> std::io::Result<Staging> {
        std::fs::create_dir_all(root)?;
        let dir = root.join(format!(".staging-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir(&dir)?;
        let owner = File::create(dir.join(OWNER))?;
        owner.lock()?;
        Ok(Staging { dir, _owner: owner, current: None, counter: 0, staged: Vec::new() })
    }

    /// Moves every staged file into the store (a file already there is kept:
    /// same hash, same content) and removes the staging folder.
    pub fn commit(self, root: &Path) -> std::io::Result<()> {
        for sha in &self.staged {
            let dest = path_of(root, sha);
            if dest.exists() {
                continue;
            }
            if let Some(parent) = dest.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::rename(self.dir.join(sha), &dest)?;
        }
        std::fs::remove_dir_all(&self.dir)
    }

    /// Throws everything away.
    pub fn discard(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }

    /// Removes staging folders a killed or crashed import left: those whose
    /// `.owner` no process holds locked (or that have none).
    pub fn sweep(root: &Path) {
        let Ok(entries) = std::fs::read_dir(root) else { return };
        for e in entries.flatten() {
            if !e.file_name().to_string_lossy().starts_with(".staging-") {
                continue;
            }
            let stale = match File::open(e.path().join(OWNER)) {
                Ok(owner) => owner.try_lock().is_ok(),
                Err(_) => true,
            };
            if stale {
                tracing::info!(folder = %e.path().display(), "removing a staging folder an import left");
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
}

impl Sink for Staging {
    fn begin(&mut self) -> std::io::Result<()> {
        if let Some((path, _)) = self.current.take() {
            let _ = std::fs::remove_file(path);
        }
        self.counter += 1;
        let path = self.dir.join(format!("{}.part", self.counter));
        let file = BufWriter::with_capacity(256 * 1024, File::create(&path)?);
        self.current = Some((path, file));
        Ok(())
    }

    fn write(&mut self, chunk: &[u8]) -> std::io::Result<()> {
        match &mut self.current {
            Some((_, w)) => w.write_all(chunk),
            None => Err(std::io::Error::other("no file begun")),
        }
    }

    fn finish(&mut self, sha256: &str) -> std::io::Result<()> {
        let Some((path, w)) = self.current.take() else {
            return Err(std::io::Error::other("no file begun"));
        };
        let file = w.into_inner().map_err(|e| e.into_error())?;
        // Durable before the database says the import happened.
        file.sync_all()?;
        let dest = self.dir.join(sha256);
        if dest.exists() {
            std::fs::remove_file(&path)
        } else {
            std::fs::rename(&path, &dest)?;
            self.staged.push(sha256.to_string());
            Ok(())
        }
    }
}
