//! What an import writes: `package` (each package or roster as imported,
//! its manifest kept for the archive), `candidate` with `candidate_file`,
//! `member`, and the `evidence` rows of the files moved into the store.

use crate::error::Result;
use crate::package::model::{Candidate, FileRef, Member};
use rusqlite::{params, Connection, OptionalExtension};

/// When the package whose manifest hashes to `manifest_sha256` was imported, if it was.
pub fn imported_at(conn: &Connection, manifest_sha256: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT imported_at FROM package WHERE manifest_sha256 = ?1", [manifest_sha256], |r| {
            r.get(0)
        })
        .optional()?)
}

/// The source (file name) of the package that brought `candidate`, if one did.
pub fn candidate_source(conn: &Connection, candidate: &str) -> Result<Option<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.source FROM candidate c JOIN package p ON p.id = c.package_id WHERE c.id = ?1",
    )?;
    Ok(stmt.query_row([candidate], |r| r.get::<_, String>(0)).optional()?)
}

/// A package as it is imported.
pub struct NewPackage<'a> {
    /// `dossier` or `committee`.
    pub kind: &'a str,
    pub source: &'a str,
    pub manifest_sha256: &'a str,
    /// The package's header, JSON.
    pub header: &'a str,
    pub imported_at: &'a str,
    pub manifest_name: &'a str,
    pub manifest: &'a [u8],
}

/// Adds a package; its id.
pub fn add_package(conn: &Connection, p: &NewPackage) -> Result<i64> {
    conn.execute(
        "INSERT INTO package (kind, source, manifest_sha256, header, imported_at, manifest_name, manifest)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![p.kind, p.source, p.manifest_sha256, p.header, p.imported_at, p.manifest_name, p.manifest],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Records an evidence file (by its SHA-256) unless it is recorded already.
pub fn add_evidence(conn: &Connection, sha256: &str, size: u64, mime: &str) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO evidence (sha256, size, mime) VALUES (?1, ?2, ?3)",
        params![sha256, size as i64, mime],
    )?;
    Ok(())
}

/// Adds candidate `c` from package `package` at position `seq`, its whole record as JSON.
pub fn add_candidate(conn: &Connection, package: i64, seq: usize, c: &Candidate) -> Result<()> {
    conn.execute(
        "INSERT INTO candidate (id, package_id, seq, name, organization, applied_title, review_group, track, data)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            c.id,
            package,
            seq as i64,
            c.name,
            c.organization,
            c.applied_title,
            c.review_group,
            c.track,
            serde_json::to_string(c)?
        ],
    )?;
    Ok(())
}

/// Adds file `f` of `candidate` (of an achievement, or a document when `None`) at position `seq`.
pub fn add_candidate_file(
    conn: &Connection,
    candidate: &str,
    achievement: Option<&str>,
    seq: usize,
    f: &FileRef,
) -> Result<()> {
    conn.execute(
        "INSERT INTO candidate_file (candidate_id, achievement_id, seq, title, path, sha256) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![candidate, achievement, seq as i64, f.title, f.path, f.sha256],
    )?;
    Ok(())
}

/// Adds roster member `m` from package `package` at position `seq`.
pub fn add_member(conn: &Connection, package: i64, seq: usize, m: &Member) -> Result<()> {
    conn.execute(
        "INSERT INTO member (id, package_id, seq, name, organization, title, role, review_group) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![m.id, package, seq as i64, m.name, m.organization, m.title, m.role.as_str(), m.review_group],
    )?;
    Ok(())
}

/// Every candidate's stored record, by id.
pub fn candidates(conn: &Connection) -> Result<Vec<Candidate>> {
    let mut stmt = conn.prepare("SELECT id, data FROM candidate ORDER BY id")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        // Written by this program from a validated import: a row that does not
        // parse means the file was damaged, and the user is told which.
        let (id, data) = row?;
        out.push(super::parse_row::<Candidate>("candidate", &id, &data)?);
    }
    Ok(out)
}

/// Candidate `id`'s stored record, `None` when there is no such candidate.
pub fn candidate(conn: &Connection, id: &str) -> Result<Option<Candidate>> {
    let data: Option<String> =
        conn.query_row("SELECT data FROM candidate WHERE id = ?1", [id], |r| r.get(0)).optional()?;
    data.map(|d| super::parse_row("candidate", id, &d)).transpose()
}

/// A candidate's file with its evidence row: (achievement, title, path, sha256, mime, size).
pub type CandidateFile = (Option<String>, Option<String>, String, String, String, i64);

/// Candidate `id`'s files with their evidence rows, in order.
pub fn candidate_files(conn: &Connection, id: &str) -> Result<Vec<CandidateFile>> {
    let mut stmt = conn.prepare(
        "SELECT f.achievement_id, f.title, f.path, f.sha256, e.mime, e.size
         FROM candidate_file f JOIN evidence e ON e.sha256 = f.sha256
         WHERE f.candidate_id = ?1 ORDER BY f.seq",
    )?;
    let rows = stmt
        .query_map(params![id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The MIME type recorded for evidence file `sha256`, `None` when there is no such file.
pub fn evidence_mime(conn: &Connection, sha256: &str) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT mime FROM evidence WHERE sha256 = ?1", [sha256], |r| r.get(0)).optional()?)
}
