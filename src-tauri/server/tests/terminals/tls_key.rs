//! The TLS private key never in the clear (docs/tls-key.md): whoever copies
//! the meeting file — mid-meeting or after, WAL and backups included — finds
//! no key to run a look-alike host with. Read as an attacker would: every
//! column of every table with plain SQLite, and the raw bytes of each file.

use crate::support::{Host, Meeting, Terminal};
use anyhow::{ensure, Context as _, Result};
use conclave_core::api::terminals;
use rusqlite::types::ValueRef;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// What a key may look like when stored: its PKCS#8 DER, the PEM body
/// (whole, and each 64-character line), hex, and the bare private scalar.
struct Needles {
    bytes: Vec<Vec<u8>>,
    text: Vec<String>,
}

impl Needles {
    fn of(key_der: &[u8]) -> Result<Needles> {
        use base64::Engine as _;
        let pem = base64::engine::general_purpose::STANDARD.encode(key_der);
        let mut text: Vec<String> =
            pem.as_bytes().chunks(64).map(|l| String::from_utf8_lossy(l).into()).collect();
        text.push(pem);
        text.push(hex::encode(key_der));
        let mut bytes = vec![key_der.to_vec()];
        bytes.extend(scalar(key_der));
        // The scalar's hex too: 64 characters no honest column has by chance.
        text.extend(scalar(key_der).iter().map(hex::encode));
        Ok(Needles { bytes, text })
    }

    /// The first form of the key found in `haystack`, if any.
    fn found_in(&self, haystack: &[u8]) -> Option<String> {
        let has = |n: &[u8]| n.len() <= haystack.len() && haystack.windows(n.len()).any(|w| w == n);
        if let Some(n) = self.bytes.iter().find(|n| has(n)) {
            return Some(format!("{} key bytes", n.len()));
        }
        let lower = String::from_utf8_lossy(haystack).to_lowercase();
        self.text
            .iter()
            .find(|t| lower.contains(&t.to_lowercase()))
            .map(|t| format!("the key as text {t:.12}…"))
    }
}

/// The 32-byte private scalar of a P-256 key (its ECPrivateKey's octet
/// string, after `version 1`), when the DER has one.
fn scalar(key_der: &[u8]) -> Option<Vec<u8>> {
    let at = key_der.windows(5).position(|w| w == [0x02, 0x01, 0x01, 0x04, 0x20])?;
    key_der.get(at + 5..at + 37).map(<[u8]>::to_vec)
}

/// The meeting file and what lies beside it (WAL, backups), copied now.
fn copy_meeting(db: &Path, into: &Path) -> Result<Vec<PathBuf>> {
    let dir = db.parent().context("meeting folder")?;
    let name = db.file_name().context("file name")?.to_string_lossy().to_string();
    let mut copied = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let file = path.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_default();
        if path.is_file() && file.starts_with(&name) {
            let to = into.join(&file);
            std::fs::copy(&path, &to)?;
            copied.push(to);
        }
    }
    ensure!(copied.iter().any(|p| p.ends_with(&name)), "the meeting file was copied");
    Ok(copied)
}

/// Every value of every column of every table of the database `db` (with
/// its WAL beside it, as SQLite reads it), as bytes, named.
fn every_value(db: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    let conn = rusqlite::Connection::open(db)?;
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table'")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for table in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\""))?;
        let columns: Vec<String> = stmt.column_names().iter().map(|c| c.to_string()).collect();
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            for (i, column) in columns.iter().enumerate() {
                let bytes = match row.get_ref(i)? {
                    ValueRef::Blob(b) | ValueRef::Text(b) => b.to_vec(),
                    _ => continue,
                };
                out.push((format!("{table}.{column}"), bytes));
            }
        }
    }
    Ok(out)
}

/// Fails naming the file or column where any form of the key is found.
fn assert_no_key(files: &[PathBuf], needles: &Needles) -> Result<()> {
    for file in files {
        if let Some(what) = needles.found_in(&std::fs::read(file)?) {
            anyhow::bail!("{what} in the raw bytes of {}", file.display());
        }
    }
    for db in files
        .iter()
        .filter(|f| !f.to_string_lossy().ends_with("-wal") && !f.to_string_lossy().ends_with("-shm"))
    {
        for (column, value) in every_value(db)? {
            if let Some(what) = needles.found_in(&value) {
                anyhow::bail!("{what} in column {column} of {}", db.display());
            }
        }
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_copy_of_a_served_meeting_holds_the_tls_key() -> Result<()> {
    let m = Meeting::new(3)?;
    let cards = m.cards()?;
    let mut host = Host::start(&m.db).await?;
    // The key the server runs with (this process's, as an attacker with
    // the file never has it).
    let identity = terminals::host::identity(&m.db, &[])?;
    ensure!(identity.fingerprint == host.fingerprint, "the identity read is the one served");
    let needles = Needles::of(identity.key_der())?;
    ensure!(scalar(identity.key_der()).is_some(), "the key's private scalar is searched for too");
    let t = Terminal::pair(&host, &cards[&m.members[0]]).await?;
    ensure!(t.json("/api/t/me").await?["member"]["id"] == m.members[0].as_str(), "the terminal is served");

    // Mid-meeting: the file and its WAL as they are while the server runs.
    let during = tempfile::tempdir()?;
    let files = copy_meeting(&m.db, during.path())?;
    ensure!(files.iter().any(|f| f.to_string_lossy().ends_with("-wal")), "a WAL to search, got {files:?}");
    assert_no_key(&files, &needles).context("copied while the server ran")?;

    // After it stopped, with a connection left open so the WAL stays.
    let kept = m.conn()?;
    host.stop().await;
    let after = tempfile::tempdir()?;
    let files = copy_meeting(&m.db, after.path())?;
    assert_no_key(&files, &needles).context("copied after the server stopped")?;
    drop(kept);
    Ok(())
}

/// A key as an older version stored it (random bytes in PKCS#8's form:
/// only whether they are found matters).
fn older_key() -> Vec<u8> {
    let mut key = vec![0x30, 0x81, 0x87, 0x02, 0x01, 0x00];
    for i in 0..5u8 {
        key.extend(Sha256::digest([b"older clear tls key".as_slice(), &[i]].concat()));
    }
    key
}

/// Turns the meeting into one of the version before: `host_certificate`
/// as 0010_terminals.sql made it, the key in the clear, and a backup an
/// earlier migration left beside it. Returns the connection that wrote it,
/// kept open so the WAL keeps the frames with the key.
/// The schema before `0013_host_key.sql`, the migration that drops the clear key.
const BEFORE_HOST_KEY: i64 = 12;

/// What the migrations after `0013_host_key.sql` made, undone so that they
/// run again after it (each test of an older meeting must be a whole older
/// meeting, not one with only the last migration taken back).
const AFTER_HOST_KEY: &str = "DROP TABLE standard; DROP TABLE posts; DROP TABLE spoiled_ballot;";

fn make_older(db: &Path, key: &[u8]) -> Result<rusqlite::Connection> {
    let older = BEFORE_HOST_KEY;
    ensure!(
        conclave_core::store::schema_version() == 15,
        "a new migration: add what it makes to AFTER_HOST_KEY"
    );
    let conn = rusqlite::Connection::open(db)?;
    conn.execute_batch(AFTER_HOST_KEY)?;
    conn.execute_batch(
        "DROP TABLE host_certificate;
         CREATE TABLE host_certificate (
             id INTEGER PRIMARY KEY CHECK (id = 1), cert_der BLOB NOT NULL, key_der BLOB NOT NULL,
             fingerprint TEXT NOT NULL, last_url TEXT) STRICT;",
    )?;
    conn.execute(
        "INSERT INTO host_certificate VALUES (1, X'3082', ?1, 'AA:BB', 'https://127.0.0.1:1/t/')",
        [key],
    )?;
    conn.pragma_update(None, "user_version", older)?;
    let earlier = conclave_core::store::backup_path(db, older - 1);
    conn.execute("VACUUM INTO ?1", [earlier.display().to_string()])?;
    Ok(conn)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_older_meetings_clear_tls_key_is_gone_after_its_first_start() -> Result<()> {
    let m = Meeting::new(3)?;
    let key = older_key();
    let needles = Needles::of(&key)?;
    let old = make_older(&m.db, &key)?;
    let before = tempfile::tempdir()?;
    let files = copy_meeting(&m.db, before.path())?;
    ensure!(assert_no_key(&files, &needles).is_err(), "the older meeting holds its key in the clear");

    let mut host = Host::start(&m.db).await?;
    ensure!(host.fingerprint != "AA:BB", "a fresh certificate is served");
    let after = tempfile::tempdir()?;
    let files = copy_meeting(&m.db, after.path())?;
    let backups = files.iter().filter(|f| f.to_string_lossy().contains(".schema-")).count();
    ensure!(backups == 2, "the backup this migration made and the earlier one are searched: {files:?}");
    assert_no_key(&files, &needles).context("after the first start")?;
    let columns: Vec<String> = old
        .prepare("SELECT name FROM pragma_table_info('host_certificate')")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ensure!(!columns.iter().any(|c| c == "key_der"), "no column left to hold a key: {columns:?}");
    host.stop().await;
    drop(old);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cards_carry_the_served_fingerprint_and_only_while_served() -> Result<()> {
    let m = Meeting::new(3)?;
    let url = Some("https://127.0.0.1:8443/t/");
    let refused = terminals::cards_with_links(&mut m.conn()?, url, None).map(|_| ());
    ensure!(refused.is_err(), "no card before any server serves the meeting");
    let mut host = Host::start(&m.db).await?;
    let (_, base, fingerprint) = terminals::cards_with_links(&mut m.conn()?, None, None)?;
    ensure!(fingerprint == host.fingerprint, "the cards print the fingerprint served");
    ensure!(host.url("/t/") == base, "and the address served, {base}");
    host.stop().await;
    let err = terminals::cards_with_links(&mut m.conn()?, url, None).map(|_| ()).expect_err("stopped");
    ensure!(
        err.message(conclave_core::i18n::Lang::En).contains("while it runs"),
        "the refusal says why: {}",
        err.message(conclave_core::i18n::Lang::En)
    );
    // The same process serving again keeps its fingerprint: cards printed
    // before the stop stay right.
    let mut again = Host::start(&m.db).await?;
    ensure!(again.fingerprint == fingerprint, "the fingerprint outlives a stop in the same process");
    again.stop().await;
    Ok(())
}
