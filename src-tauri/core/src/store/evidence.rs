//! The meeting's content-addressed evidence store: `evidence/<aa>/<sha256>`
//! beside the database. Imports write into a staging folder first, so that a
//! failed or cancelled import leaves nothing behind.

use crate::package::Sink;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

mod writer;

/// The MIME type recorded for the evidence file `sha256`, `None` when the
/// meeting holds no such file.
pub fn mime(conn: &rusqlite::Connection, sha256: &str) -> crate::error::Result<Option<String>> {
    use rusqlite::OptionalExtension;
    Ok(conn.query_row("SELECT mime FROM evidence WHERE sha256 = ?1", [sha256], |r| r.get(0)).optional()?)
}

pub const DIR: &str = "evidence";

/// The evidence folder of the meeting whose database is `db`.
pub fn root_for(db: &Path) -> PathBuf {
    db.parent().unwrap_or(Path::new(".")).join(DIR)
}

/// Where the file with `sha256` lives.
pub fn path_of(root: &Path, sha256: &str) -> PathBuf {
    let (dir, _) = sha256.split_at(sha256.len().min(2));
    root.join(dir).join(sha256)
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
///
/// Files are written by a thread of their own ([`writer`]) as `N.part`;
/// [`Staging::commit`] moves each distinct one to its hash's place in the
/// store. A part that failed its checks, or repeats a hash, stays behind
/// and goes with the folder.
pub struct Staging {
    dir: PathBuf,
    /// Held (and locked) until the folder is removed; closed before that,
    /// since Windows (and FAT32/exFAT volumes anywhere) cannot remove a
    /// folder while a file in it is open.
    owner: Option<File>,
    writer: writer::Writer,
    counter: u64,
    /// Content hash → the part that holds it.
    staged: BTreeMap<String, u64>,
}

impl Staging {
    pub fn create(root: &Path) -> std::io::Result<Staging> {
        std::fs::create_dir_all(root)?;
        let dir = root.join(format!(".staging-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir(&dir)?;
        let owner = File::create(dir.join(OWNER))?;
        owner.lock()?;
        Ok(Staging {
            dir,
            owner: Some(owner),
            writer: writer::Writer::spawn()?,
            counter: 0,
            staged: BTreeMap::new(),
        })
    }

    /// Makes every staged file durable, moves them into the store (a file
    /// already there is kept: same hash, same content), makes the moves
    /// durable and removes the staging folder. The caller commits the rows
    /// after this returns, so the database never names a file a power cut
    /// could take back.
    ///
    /// Files are written without a sync each and synced together here: one
    /// `syncfs` on Linux for the contents and one for the renames, instead
    /// of a journal commit per file (issue 16 item 10).
    pub fn commit(mut self, root: &Path) -> std::io::Result<()> {
        self.writer.finish()?;
        let parts: Vec<PathBuf> = self.staged.values().map(|n| self.part(*n)).collect();
        durable::files(&self.dir, &parts)?;
        let mut parents = BTreeSet::new();
        for (sha, n) in &self.staged {
            let dest = path_of(root, sha);
            if dest.exists() {
                continue;
            }
            if let Some(parent) = dest.parent() {
                if parents.insert(parent.to_path_buf()) {
                    std::fs::create_dir_all(parent)?;
                }
            }
            std::fs::rename(self.part(*n), &dest)?;
        }
        parents.insert(root.to_path_buf());
        durable::folders(root, &parents)?;
        // Closing the owner file unlocks it: the folder is done with.
        drop(self.owner.take());
        std::fs::remove_dir_all(&self.dir)
    }

    /// Throws everything away.
    pub fn discard(self) {
        let dir = self.dir.clone();
        drop(self);
        let _ = std::fs::remove_dir_all(dir);
    }

    fn part(&self, n: u64) -> PathBuf {
        self.dir.join(format!("{n}.part"))
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
        self.counter += 1;
        self.writer.create(self.part(self.counter))
    }

    fn write(&mut self, chunk: &[u8]) -> std::io::Result<()> {
        self.writer.write(chunk)
    }

    fn finish(&mut self, sha256: &str) -> std::io::Result<()> {
        self.staged.entry(sha256.to_string()).or_insert(self.counter);
        Ok(())
    }
}

/// Durability of many files at once.
mod durable {
    use std::collections::BTreeSet;
    use std::fs::File;
    use std::path::{Path, PathBuf};

    /// The staged files `parts` in `dir`, contents and metadata, on disk.
    #[cfg(target_os = "linux")]
    pub fn files(dir: &Path, _parts: &[PathBuf]) -> std::io::Result<()> {
        syncfs(dir)
    }

    /// The directory entries in `parents` (renames, new folders) on disk.
    #[cfg(target_os = "linux")]
    pub fn folders(root: &Path, _parents: &BTreeSet<PathBuf>) -> std::io::Result<()> {
        syncfs(root)
    }

    #[cfg(target_os = "linux")]
    fn syncfs(on: &Path) -> std::io::Result<()> {
        rustix::fs::syncfs(File::open(on)?).map_err(std::io::Error::from)
    }

    #[cfg(not(target_os = "linux"))]
    pub fn files(_dir: &Path, parts: &[PathBuf]) -> std::io::Result<()> {
        for part in parts {
            // Windows flushes only a handle opened for writing.
            std::fs::OpenOptions::new().write(true).open(part)?.sync_all()?;
        }
        Ok(())
    }

    #[cfg(not(target_os = "linux"))]
    pub fn folders(_root: &Path, parents: &BTreeSet<PathBuf>) -> std::io::Result<()> {
        // Windows cannot open a folder to sync it; NTFS journals renames.
        if cfg!(unix) {
            for p in parents {
                File::open(p)?.sync_all()?;
            }
        }
        Ok(())
    }
}
