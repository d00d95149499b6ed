//! The meeting archive (归档): one zip with the imported manifests and
//! evidence, the roster, rules, attendance, recusals, rounds, the anonymous
//! ballots, the audit log, the sealed PDFs, the public key, a copy of the
//! database without secrets, and a signed index of every file's SHA-256.
//! [`verify`] checks all of it ([`verify.rs`](verify)); [`open`] makes a
//! read-only copy in the app.

mod audited;
pub mod ballots;
mod central;
pub mod overview;
pub mod receipt;
mod replay;
pub mod steps;
mod verify;
pub use steps::{Step, StepResult};
pub use verify::{verify, ArchiveVerdict};

use crate::api::signing::{self, SigningKey};
use crate::api::{print, session, voting};
use crate::audit;
use crate::error::{Error, Result};
use crate::i18n::{Lang, Msg};
use crate::print::seal;
use crate::store::{self, evidence};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use ts_rs::TS;

pub const FORMAT: &str = "conclave-archive-v1";
/// The version of docs/verification.md an archive is written for; an index
/// without it is spec 0.
pub const SPEC: u64 = 1;
const INDEX: &str = "index.json";
const SIGNATURE: &str = "index.sig";
/// The auditor's verifier page (docs/verification.md), a copy in every
/// archive. Built by `npm run build:verifier` in `ui/` and committed, so the
/// core builds without Node and every build ships the same page; the test
/// `verifier.current.test.ts` fails when the committed copy is stale.
pub const VERIFIER_HTML: &str = include_str!("../../../assets/verifier.html");
/// Most bytes read into memory from one archive entry (index, JSON, PDF).
const MAX_SMALL: u64 = 256 * 1024 * 1024;
/// Most bytes of records and PDFs held in memory while verifying.
const MAX_KEPT: u64 = 1024 * 1024 * 1024;
pub use crate::store::READ_ONLY_MARKER;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IndexEntry {
    pub path: String,
    pub sha256: String,
    pub size: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Index {
    pub format: String,
    /// docs/verification.md's version ([`SPEC`]); absent (0) in older archives.
    #[serde(default)]
    pub spec: u64,
    pub meeting: print::MeetingRef,
    pub created_at: String,
    pub public_key: String,
    pub files: Vec<IndexEntry>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ArchiveSummary {
    pub files: usize,
    #[ts(type = "number")]
    pub bytes: u64,
}

/// Ballots as archived: no member, sorted so the order says nothing.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
struct ArchivedBallot {
    round: i64,
    candidate: String,
    choice: String,
}

/// Writes zip entries and remembers each one's hash and size.
struct Writer {
    zip: zip::ZipWriter<std::io::BufWriter<std::fs::File>>,
    index: Vec<IndexEntry>,
    bytes: u64,
}

fn zip_err(path: &Path) -> impl Fn(zip::result::ZipError) -> Error + '_ {
    move |e| Error::Io { path: path.display().to_string(), source: std::io::Error::other(e.to_string()) }
}

impl Writer {
    fn options(stored: bool) -> zip::write::SimpleFileOptions {
        let method = if stored { zip::CompressionMethod::Stored } else { zip::CompressionMethod::Deflated };
        zip::write::SimpleFileOptions::default().compression_method(method).large_file(true)
    }

    fn add(&mut self, out: &Path, path: &str, bytes: &[u8], stored: bool) -> Result<()> {
        self.zip.start_file(path, Self::options(stored)).map_err(zip_err(out))?;
        self.zip.write_all(bytes).map_err(Error::io(out))?;
        self.index.push(IndexEntry {
            path: path.into(),
            sha256: hex::encode(Sha256::digest(bytes)),
            size: bytes.len() as u64,
        });
        self.bytes += bytes.len() as u64;
        Ok(())
    }

    fn add_json<T: Serialize>(&mut self, out: &Path, path: &str, value: &T) -> Result<()> {
        let text = serde_json::to_vec_pretty(value)?;
        self.add(out, path, &text, false)
    }

    /// Streams a stored evidence file in, re-hashing it: a store file that no
    /// longer has its name's hash stops the export.
    fn add_evidence(&mut self, out: &Path, root: &Path, sha: &str) -> Result<()> {
        let src = evidence::path_of(root, sha);
        let mut f = std::fs::File::open(&src).map_err(Error::io(&src))?;
        let Some(dir) = sha.get(..2).filter(|_| sha.len() == 64) else {
            return Err(Error::Integrity(Msg::EvidenceMissing { sha256: sha.into() }));
        };
        let path = format!("{}/{dir}/{sha}", evidence::DIR);
        self.zip.start_file(&path, Self::options(true)).map_err(zip_err(out))?;
        let (hash, size) = evidence::hash_copy(&mut f, &mut self.zip).map_err(Error::io(&src))?;
        if hash != sha {
            return Err(Error::Integrity(Msg::EvidenceChanged { sha256: sha.into() }));
        }
        self.index.push(IndexEntry { path, sha256: sha.into(), size });
        self.bytes += size;
        Ok(())
    }
}

/// A copy of the database without the meeting's secret key, the PIN
/// hashes and the terminals' secrets, compacted so no freed page keeps them, in rollback-journal mode
/// so it can be opened read-only.
fn sanitized_copy(conn: &Connection, tmp: &Path) -> Result<Vec<u8>> {
    let _ = std::fs::remove_file(tmp);
    conn.execute("VACUUM INTO ?1", [tmp.display().to_string()])?;
    let result = (|| {
        let copy = Connection::open(tmp)?;
        copy.pragma_update(None, "secure_delete", "ON")?;
        // Not the wrapped key either: nothing in the archive to guess the
        // chair's passphrase against. The wrapped trustee shares stay on the
        // laptop: an archive in other hands must not offer two passphrases
        // to guess offline. Nothing to guess the secretary's PIN against, no
        // session or card to replay, and not the meeting-room server's TLS
        // key: the archive keeps who had a card and when, not the secrets.
        store::archive::scrub(&copy)?;
        copy.pragma_update(None, "journal_mode", "DELETE")?;
        copy.execute_batch("VACUUM")?;
        drop(copy);
        std::fs::read(tmp).map_err(Error::io(tmp))
    })();
    let _ = std::fs::remove_file(tmp);
    result
}

/// Whether meeting `conn` can be exported with the chair's passphrase
/// `chair`, said before anything is chosen or written: a meeting opened
/// from an archive is refused (it is an export already), and sealed
/// documents need the passphrase once trustees are named.
pub fn ready_to_export(conn: &store::Meeting, sealer: signing::Sealer<'_>) -> Result<()> {
    conn.ensure_writable()?;
    signing::unlock_for(conn, sealer).map(drop)
}

/// Exports the meeting whose database is `db` to the zip `out` (written
/// beside it under a temporary name, then renamed into place). Its sealed
/// documents need the chair's passphrase, `chair`, once trustees are named.
/// A meeting opened from an archive is refused before its file is opened.
pub fn export(db: &Path, out: &Path, lang: Lang, chair: Option<&str>) -> Result<ArchiveSummary> {
    export_sealed_by(db, out, lang, signing::Sealer::chair(chair))
}

/// [`export`], sealed by the chair or by two trustees together.
pub fn export_sealed_by(
    db: &Path,
    out: &Path,
    lang: Lang,
    sealer: signing::Sealer<'_>,
) -> Result<ArchiveSummary> {
    if db.parent().is_some_and(store::is_archive) {
        return Err(Error::invalid("meeting", Msg::ReadOnlyArchive));
    }
    let mut conn = store::open(db)?;
    // While a round is open its box holds only the ballots cast so far and
    // the register names who cast them: exporting then could link the two.
    let rounds = voting::rounds(&conn)?;
    if let Some(r) = rounds.iter().find(|r| r.closed_at.is_none()) {
        return Err(Error::invalid("round", Msg::ExportRoundOpen { id: r.id }));
    }
    let key = signing::unlock_for(&conn, sealer)?;
    // The documents, printed now (each print is in the audit log).
    let mut pdfs: Vec<(String, Vec<u8>)> = Vec::new();
    for r in &rounds {
        pdfs.push((
            format!("pdf/results-round-{}.pdf", r.id),
            print::results_sheet(&conn, &key, r.id, lang)?,
        ));
    }
    match print::publicity(&conn, &key, lang, None) {
        Ok(pdf) => pdfs.push(("pdf/publicity.pdf".into(), pdf)),
        Err(Error::Invalid { msg: Msg::NoConfirmedRound, .. }) => {}
        Err(e) => return Err(e),
    }
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| Error::io(out)(std::io::Error::other("not a file name")))?;
    let tx = conn.write()?;
    audit::append(&tx, "archive.export", &serde_json::json!({ "file": name }))?;
    tx.commit()?;
    pdfs.push(("pdf/minutes.pdf".into(), print::minutes(&conn, &key, lang)?));

    let dir = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let partial = dir.join(format!(".{name}.partial"));
    let result = write_zip(&conn, &key, db, out, &partial, &pdfs);
    match result {
        Ok(summary) => {
            std::fs::rename(&partial, out).map_err(Error::io(out))?;
            tracing::info!(file = %name, files = summary.files, bytes = summary.bytes, "archive exported");
            Ok(summary)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            Err(e)
        }
    }
}

fn write_zip(
    conn: &Connection,
    key: &SigningKey,
    db: &Path,
    out: &Path,
    partial: &Path,
    pdfs: &[(String, Vec<u8>)],
) -> Result<ArchiveSummary> {
    let file = std::fs::File::create(partial).map_err(Error::io(partial))?;
    let mut w =
        Writer { zip: zip::ZipWriter::new(std::io::BufWriter::new(file)), index: Vec::new(), bytes: 0 };
    let meeting = print::meeting_info(conn)?;
    let public_key = crate::api::signing::require_public_key(conn)?;
    let (rules, _) = session::rules(conn)?;

    let tmp = db.with_file_name(format!(".archive-{}.db", uuid::Uuid::new_v4()));
    let copy = sanitized_copy(conn, &tmp)?;
    w.add(out, store::DB_FILE, &copy, false)?;
    w.add(out, "public-key.txt", format!("{public_key}\n").as_bytes(), false)?;
    w.add(out, "verifier.html", VERIFIER_HTML.as_bytes(), false)?;
    w.add_json(
        out,
        "meeting.json",
        &serde_json::json!({ "meeting": meeting, "rules": rules, "public_key": public_key }),
    )?;
    w.add_json(out, "roster.json", &store::archive::roster(conn)?)?;
    w.add_json(out, "attendance.json", &store::archive::attendance(conn)?)?;
    w.add_json(out, "recusals.json", &session::recusals(conn)?)?;
    w.add_json(out, "rounds.json", &voting::rounds(conn)?)?;
    let mut ballots: Vec<ArchivedBallot> = store::archive::plain_ballots(conn)?
        .into_iter()
        .map(|(round, candidate, choice)| ArchivedBallot { round, candidate, choice })
        .collect();
    ballots.sort();
    w.add_json(out, "ballots.json", &ballots)?;
    w.add_json(out, ballots::FILE, &ballots::export(conn)?)?;
    let audited = audited::export(conn)?;
    if !audited.is_empty() {
        w.add_json(out, audited::FILE, &audited)?;
    }
    w.add_json(out, "audit.json", &audit::entries(conn)?)?;
    for (path, pdf) in pdfs {
        w.add(out, path, pdf, false)?;
    }
    for store::archive::Manifest { package: id, kind, name, bytes } in store::archive::manifests(conn)? {
        let name: String =
            name.chars().map(|c| if c.is_alphanumeric() || ".-_".contains(c) { c } else { '_' }).collect();
        w.add(out, &format!("manifests/{id}-{kind}-{name}"), &bytes, false)?;
    }
    let root = evidence::root_for(db);
    for sha in &store::archive::evidence(conn)? {
        w.add_evidence(out, &root, sha)?;
    }

    let index = Index {
        format: FORMAT.into(),
        spec: SPEC,
        meeting: print::MeetingRef { id: meeting.id.clone(), name: meeting.name.clone(), date: meeting.date },
        created_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        public_key,
        files: w.index.clone(),
    };
    let index_text = serde_json::to_string_pretty(&index)?;
    let signature = seal::sign(&index_text, key.secret()).signature;
    let files = w.index.len();
    let bytes = w.bytes;
    w.zip.start_file(INDEX, Writer::options(false)).map_err(zip_err(out))?;
    w.zip.write_all(index_text.as_bytes()).map_err(Error::io(out))?;
    w.zip.start_file(SIGNATURE, Writer::options(false)).map_err(zip_err(out))?;
    w.zip.write_all(format!("{signature}\n").as_bytes()).map_err(Error::io(out))?;
    let inner = w.zip.finish().map_err(zip_err(out))?;
    let file = inner.into_inner().map_err(|e| Error::io(out)(e.into_error()))?;
    file.sync_all().map_err(Error::io(out))?;
    Ok(ArchiveSummary { files, bytes })
}

pub(super) fn read_entry<R: Read>(mut r: R, max: u64) -> std::io::Result<Option<Vec<u8>>> {
    let mut out = Vec::new();
    (&mut r).take(max + 1).read_to_end(&mut out)?;
    Ok(if out.len() as u64 > max { None } else { Some(out) })
}

pub(super) fn is_evidence_path(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("evidence/")?;
    let (dir, sha) = rest.split_once('/')?;
    let hexy = |s: &str| s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    (dir.len() == 2 && sha.len() == 64 && hexy(sha) && sha.starts_with(dir)).then_some(sha)
}

/// Opens an archive read-only in the app: verifies it, then copies its
/// database and evidence into a new meeting folder marked read-only.
pub fn open(data_dir: &Path, zip_path: &Path, lang: Lang) -> Result<crate::domain::meeting::MeetingSummary> {
    let verdict = verify(zip_path, lang);
    if !verdict.authentic {
        let sep = if lang == Lang::Zh { "；" } else { "; " };
        return Err(Error::Integrity(Msg::ArchiveNotAuthentic { problems: verdict.problems.join(sep) }));
    }
    let id = uuid::Uuid::new_v4().to_string();
    let root = data_dir.join(crate::api::meeting::MEETINGS);
    std::fs::create_dir_all(&root).map_err(Error::io(&root))?;
    let tmp = root.join(format!(".new-{id}"));
    std::fs::create_dir(&tmp).map_err(Error::io(&tmp))?;
    let result = (|| -> Result<PathBuf> {
        let file = std::fs::File::open(zip_path).map_err(Error::io(zip_path))?;
        let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(zip_err(zip_path))?;
        let index: Index = {
            let entry = zip.by_name(INDEX).map_err(zip_err(zip_path))?;
            let bytes =
                read_entry(entry, MAX_SMALL).ok().flatten().ok_or(Error::Integrity(Msg::ArchiveNoIndex))?;
            serde_json::from_slice(&bytes).map_err(|_| Error::Integrity(Msg::ArchiveNoIndex))?
        };
        let listed: BTreeMap<String, String> = index.files.into_iter().map(|f| (f.path, f.sha256)).collect();
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).map_err(zip_err(zip_path))?;
            let name = entry.name().map(|n| n.into_owned()).map_err(|e| {
                zip_err(zip_path)(zip::result::ZipError::Io(std::io::Error::other(e.to_string())))
            })?;
            let target = if name == store::DB_FILE {
                tmp.join(store::DB_FILE)
            } else if let Some(sha) = is_evidence_path(&name) {
                evidence::path_of(&tmp.join(evidence::DIR), sha)
            } else {
                continue;
            };
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(Error::io(parent))?;
            }
            // Hashed again while copied: the file checked above could have been
            // replaced since.
            let mut f = std::fs::File::create(&target).map_err(Error::io(&target))?;
            let (got, _) = evidence::hash_copy(&mut entry, &mut f).map_err(Error::io(&target))?;
            if listed.get(name.as_str()) != Some(&got) {
                return Err(Error::Integrity(Msg::ArchiveChanged { path: name }));
            }
        }
        // The database keeps its meeting's id: the ballots' proofs are bound
        // to it. The folder's name is this copy's local handle.
        let marker = tmp.join(READ_ONLY_MARKER);
        let source = zip_path.display().to_string();
        std::fs::write(&marker, source).map_err(Error::io(&marker))?;
        let dest = root.join(&id);
        std::fs::rename(&tmp, &dest).map_err(Error::io(&dest))?;
        Ok(dest)
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result?;
    crate::api::meeting::get(data_dir, &id)
}
