//! The meeting database: one SQLite file per meeting, opened in one place
//! with the PRAGMAs the product promises (WAL, FULL sync, foreign keys) and
//! migrated to the latest schema.

use crate::error::{Error, Result};
pub mod archive;
pub mod attendance;
pub mod audit;
pub mod ballot_box;
pub mod eligibility;
pub mod evidence;
pub mod keys;
pub mod meeting;
pub mod packages;
pub mod paper;
pub mod recusal;
pub mod roster;
pub mod round;
pub mod spoiled;
pub mod standard;
pub mod terminals;

pub use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};
use std::path::Path;

/// File name of the meeting database inside a meeting folder.
pub const DB_FILE: &str = "meeting.db";

/// Marks a meeting folder opened from an archive: its meeting is opened
/// read-only, and [`Meeting::write`] refuses every change.
pub const READ_ONLY_MARKER: &str = "ARCHIVE";

/// Whether meeting folder `dir` holds a meeting opened from an archive.
pub fn is_archive(dir: &Path) -> bool {
    dir.join(READ_ONLY_MARKER).is_file()
}

/// The schema versions, one migration each; a meeting file's
/// `user_version` says which it has.
fn steps() -> Vec<M<'static>> {
    vec![
        M::up(include_str!("migrations/0001_meeting.sql")),
        M::up(include_str!("migrations/0002_import.sql")),
        M::up(include_str!("migrations/0003_voting.sql")),
        M::up(include_str!("migrations/0004_keys.sql")),
        M::up(include_str!("migrations/0005_paper_archive.sql")),
        M::up(include_str!("migrations/0006_verifiable_ballot.sql")),
        M::up(include_str!("migrations/0007_wrapped_meeting_key.sql")),
        M::up(include_str!("migrations/0008_eligibility.sql")),
        M::up(include_str!("migrations/0009_chair_authority.sql")),
        M::up_with_hook(include_str!("migrations/0010_terminals.sql"), allow_terminal_rounds),
        M::up(include_str!("migrations/0011_secretary_pin.sql")),
        M::up(include_str!("migrations/0012_key_ceremony.sql")),
        M::up(include_str!("migrations/0013_host_key.sql")),
        M::up(include_str!("migrations/0014_standard.sql")),
        M::up(include_str!("migrations/0015_audited_ballots.sql")),
    ]
}

fn migrations() -> Migrations<'static> {
    Migrations::new(steps())
}

/// The schema version this build writes.
pub fn schema_version() -> i64 {
    steps().len() as i64
}

/// Where the copy of a meeting file made before migrating it from schema
/// `version` is kept: beside it, in the meeting's own folder.
pub fn backup_path(db: &Path, version: i64) -> std::path::PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(format!(".schema-{version}.bak"));
    std::path::PathBuf::from(name)
}

/// Copies the meeting file as it is (WAL included) to its backup before a
/// migration touches it; a backup already there is the older original and
/// is kept.
fn back_up(conn: &Connection, db: &Path, version: i64) -> Result<()> {
    let dest = backup_path(db, version);
    if dest.exists() {
        return Ok(());
    }
    let tmp = dest.with_extension(format!("tmp-{}", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    conn.execute("VACUUM INTO ?1", [tmp.display().to_string()])?;
    std::fs::File::open(&tmp).and_then(|f| f.sync_all()).map_err(Error::io(&tmp))?;
    std::fs::rename(&tmp, &dest).map_err(Error::io(&dest))?;
    tracing::info!(from = version, to = schema_version(), backup = %dest.display(), "migrating a meeting file");
    Ok(())
}

/// After migrating an older meeting file, whose schema may have kept the
/// meeting-room server's TLS key in the clear (0010 up to
/// 0013_host_key.sql, which zeroed and dropped it): the WAL may still hold
/// frames written before with the key in them, so it is checkpointed and
/// truncated; and the copies kept before migrating ([`backup_path`]) lose
/// their `host_certificate` row (an older version restored from one makes
/// a new certificate at its next start).
fn forget_host_key(conn: &Connection, db: &Path, supported: i64) -> Result<()> {
    let (busy, _, _): (i64, i64, i64) =
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    if busy != 0 {
        tracing::warn!("another connection kept the WAL from being truncated after removing the TLS key");
    }
    for version in 1..supported {
        let backup = backup_path(db, version);
        if backup.is_file() {
            scrub_host_key(&backup)?;
        }
    }
    Ok(())
}

/// Removes the clear TLS key from an older meeting file kept as a backup:
/// zeroed in place, the row deleted with `secure_delete`, the file rebuilt.
fn scrub_host_key(backup: &Path) -> Result<()> {
    let conn = Connection::open(backup)?;
    let has_key: i64 = conn.query_row(
        "SELECT count(*) FROM pragma_table_info('host_certificate') WHERE name = 'key_der'",
        [],
        |r| r.get(0),
    )?;
    if has_key == 0 {
        return Ok(());
    }
    conn.pragma_update(None, "secure_delete", "ON")?;
    conn.execute_batch(
        "UPDATE host_certificate SET key_der = zeroblob(length(key_der));
         DELETE FROM host_certificate;
         VACUUM;",
    )?;
    tracing::info!(backup = %backup.display(), "removed the TLS key from an older meeting file's backup");
    Ok(())
}

/// Widens `round.mode`'s CHECK to admit `terminal`: SQLite cannot alter a
/// CHECK, and loosening one changes no stored row, so the table's SQL is
/// edited in place with the schema version bumped, inside the migration's
/// transaction (sqlite.org/lang_altertable.html, "other kinds of changes").
fn allow_terminal_rounds(tx: &rusqlite::Transaction) -> rusqlite_migration::HookResult {
    let version: i64 = tx.query_row("PRAGMA schema_version", [], |r| r.get(0))?;
    tx.pragma_update(None, "writable_schema", "ON")?;
    let changed = tx.execute(
        "UPDATE sqlite_schema SET sql = replace(sql, 'mode IN (''station'', ''paper'')',
             'mode IN (''station'', ''paper'', ''terminal'')')
         WHERE type = 'table' AND name = 'round'",
        [],
    )?;
    tx.pragma_update(None, "schema_version", version + 1)?;
    tx.pragma_update(None, "writable_schema", "OFF")?;
    if changed != 1 {
        return Err(rusqlite_migration::HookError::Hook("round table not found".into()));
    }
    Ok(())
}

/// Parses a JSON column this program wrote; a row that does not parse is an
/// integrity error naming the table and the row, never a silent default.
pub fn parse_row<T: serde::de::DeserializeOwned>(table: &str, key: &str, text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| {
        Error::Integrity(crate::i18n::Msg::StoredRowInvalid {
            table: table.into(),
            key: key.into(),
            detail: e.to_string(),
        })
    })
}

/// Waits for another writer in 1 ms steps, up to about ten seconds.
/// SQLite's own busy timeout backs off to sleeps of 100 ms, so forty
/// terminals casting at once would wait behind sleeps rather than behind
/// each other (p99 measured 0.7–0.8 s with it, tests/it/terminals.rs).
fn wait_for_writer(attempt: i32) -> bool {
    std::thread::sleep(std::time::Duration::from_millis(1));
    attempt < 10_000
}

/// An open meeting database. It reads as a [`Connection`] (it derefs to
/// one); every change goes through [`Meeting::write`], which refuses a
/// meeting opened read-only (from an archive) before SQLite is touched.
#[derive(Debug)]
pub struct Meeting {
    conn: Connection,
    read_only: bool,
}

impl Meeting {
    /// Whether this meeting was opened read-only (an opened archive).
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Refuses a read-only meeting: what cannot be changed is said so,
    /// rather than left to fail inside SQLite.
    pub fn ensure_writable(&self) -> Result<()> {
        if self.read_only {
            return Err(Error::invalid("meeting", crate::i18n::Msg::ReadOnlyArchive));
        }
        Ok(())
    }

    /// Begins a write transaction, taking the write lock at once.
    pub fn write(&mut self) -> Result<rusqlite::Transaction<'_>> {
        self.ensure_writable()?;
        Ok(self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?)
    }
}

impl std::ops::Deref for Meeting {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        &self.conn
    }
}

/// Opens (creating if needed) a meeting database and migrates it, keeping
/// a copy of a file from an older schema first ([`backup_path`]).
/// A database written by a newer Conclave is refused, not downgraded.
/// A meeting opened from an archive (its folder holds [`READ_ONLY_MARKER`])
/// is opened read-only, never migrated, whichever shell asks.
pub fn open(path: &Path) -> Result<Meeting> {
    if path.parent().is_some_and(is_archive) {
        return open_read_only(path);
    }
    let mut conn = Connection::open(path)?;
    conn.busy_handler(Some(wait_for_writer))?;
    // Every write transaction takes the write lock at BEGIN: one that read
    // first and then wrote would fail at once with "database is locked"
    // (no busy wait for a stale snapshot) when forty terminals pair or sign
    // in together (tests/it/terminals.rs).
    conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // FULL: a confirmed action is on disk before the screen says so.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "secure_delete", "ON")?;
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let supported = schema_version();
    if found > supported {
        return Err(Error::invalid("meeting", crate::i18n::Msg::DatabaseTooNew { found, supported }));
    }
    if found > 0 && found < supported {
        back_up(&conn, path, found)?;
    }
    // All pending migrations run in one transaction: one that fails leaves
    // the file as it was.
    migrations().to_latest(&mut conn).map_err(Error::from)?;
    if found > 0 && found < supported {
        forget_host_key(&conn, path, supported)?;
    }
    // What an import killed mid-way left in the evidence store goes now.
    evidence::Staging::sweep(&evidence::root_for(path));
    Ok(Meeting { conn, read_only: false })
}

/// Opens an existing meeting database read-only (for listing, and an
/// opened archive); no migration.
pub fn open_read_only(path: &Path) -> Result<Meeting> {
    let conn = Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // The file may come from an archive: its schema runs nothing it defines.
    conn.pragma_update(None, "trusted_schema", "OFF")?;
    Ok(Meeting { conn, read_only: true })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        assert!(migrations().validate().is_ok(), "every migration must apply to an empty db");
    }

    #[test]
    fn refuses_database_from_newer_version() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join(DB_FILE);
        drop(open(&path)?);
        Connection::open(&path)?.pragma_update(None, "user_version", 999)?;
        let err = open(&path).expect_err("a newer schema must not be opened");
        assert!(
            err.message(crate::i18n::Lang::Zh).contains("更新版本"),
            "message should say the file is from a newer version, got {}",
            err.message(crate::i18n::Lang::Zh)
        );
        Ok(())
    }

    #[test]
    fn opens_in_wal_with_full_sync() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let conn = open(&dir.path().join(DB_FILE))?;
        let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0))?;
        let sync: i64 = conn.pragma_query_value(None, "synchronous", |r| r.get(0))?;
        assert_eq!(mode, "wal");
        assert_eq!(sync, 2, "synchronous=FULL is 2");
        Ok(())
    }
}
