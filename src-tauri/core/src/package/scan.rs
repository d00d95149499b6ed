//! One pass over a package: find and read the manifest, check every field,
//! then stream each referenced file once — hash (SHA-NI where the CPU has
//! it), magic bytes, size — into an optional sink (the meeting's staging
//! store). `check` and `import` share this; only the sink differs.

use super::container::{self, Listing};
use super::fields::Fields;
use super::manifest::{self, Form};
use super::model::{Committee, Dossier, FileRef};
use super::report::{Kind, Report};
use super::{committee, paths, xlsx, Limits};
use crate::i18n::Msg;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use ts_rs::TS;

/// Where the bytes of each accepted file go (nowhere for `check`).
pub trait Sink {
    /// Starts a new file.
    fn begin(&mut self) -> std::io::Result<()>;
    fn write(&mut self, chunk: &[u8]) -> std::io::Result<()>;
    /// Ends the file started last; it has this content hash.
    fn finish(&mut self, sha256: &str) -> std::io::Result<()>;
}

/// Discards the bytes: `check` only hashes.
pub struct NullSink;

impl Sink for NullSink {
    fn begin(&mut self) -> std::io::Result<()> {
        Ok(())
    }
    fn write(&mut self, _: &[u8]) -> std::io::Result<()> {
        Ok(())
    }
    fn finish(&mut self, _: &str) -> std::io::Result<()> {
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, Default, Serialize, TS)]
#[ts(export)]
pub struct Progress {
    pub files_done: usize,
    pub files_total: usize,
    #[ts(type = "number")]
    pub bytes_done: u64,
    #[ts(type = "number")]
    pub bytes_total: u64,
}

/// An evidence file as stored: content hash, size, detected type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub sha256: String,
    pub size: u64,
    pub mime: &'static str,
}

/// What a package holds once checked.
#[derive(Debug, Clone)]
pub struct Content {
    pub kind: Kind,
    /// SHA-256 of the manifest (or spreadsheet, or roster) bytes: identifies a re-import.
    pub manifest_sha256: String,
    /// The manifest's file name and bytes, kept for the archive.
    pub manifest_name: String,
    pub manifest: Vec<u8>,
    pub dossier: Option<Dossier>,
    pub committee: Option<Committee>,
    pub evidence: Vec<Evidence>,
}

fn sha_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The type by magic bytes: PDF, JPEG or PNG.
pub fn sniff(head: &[u8]) -> Option<&'static str> {
    if head.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if head.starts_with(&[0x89, 0x50, 0x4E, 0x47]) {
        Some("image/png")
    } else {
        None
    }
}

/// Checks the package or roster at `path`, streaming evidence into `sink`.
/// Returns the report and, when the report has no error, the content.
pub fn scan(
    path: &Path,
    limits: &Limits,
    sink: &mut dyn Sink,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> (Report, Option<Content>) {
    let mut report = Report::default();
    let content = scan_inner(path, limits, sink, progress, cancel, &mut report);
    match content {
        Some(c) if report.ok() => (report, Some(c)),
        _ => (report, None),
    }
}

fn scan_inner(
    path: &Path,
    limits: &Limits,
    sink: &mut dyn Sink,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
    report: &mut Report,
) -> Option<Content> {
    let shown = path.display().to_string();
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            report.error(&shown, Msg::FileUnreadable { path: shown.clone(), detail: e.to_string() });
            return None;
        }
    };
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_lowercase();
    let mut listing = if meta.is_dir() {
        let rosters = ["committee.json", "committee.xlsx", "committee.xls"];
        if let Some(file) = rosters.iter().find(|f| path.join(f).is_file()) {
            if !super::MANIFESTS.iter().any(|f| path.join(f).is_file()) {
                return scan_committee(&path.join(file), limits, report);
            }
        }
        container::open_dir(path, limits, report)?
    } else if name.ends_with(".zip") {
        container::open_zip(path, limits, report)?
    } else if name.ends_with(".json") || name.ends_with(".xlsx") || name.ends_with(".xls") {
        if super::MANIFESTS.contains(&name.as_str()) {
            let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            return scan_inner(parent, limits, sink, progress, cancel, report);
        }
        return scan_committee(path, limits, report);
    } else {
        report.error(&shown, Msg::NotAPackage { path: shown.clone() });
        return None;
    };
    report.kind = Some(Kind::Dossier);

    let (manifest_name, bytes, mut dossier) = read_manifest(&mut listing, &shown, limits, report)?;
    let manifest_sha256 = sha_hex(&bytes);
    let evidence =
        stream_files(&mut listing, &mut dossier, manifest_name, limits, sink, progress, cancel, report);
    Some(Content {
        kind: Kind::Dossier,
        manifest_sha256,
        manifest_name: manifest_name.to_string(),
        manifest: bytes,
        dossier: Some(dossier),
        committee: None,
        evidence,
    })
}

/// The package's manifest (`dossier.json`, or `candidates.xlsx` read as
/// one): its name, its bytes and the dossier read from it, its problems in
/// `report`; `None` when there is none or it cannot be read at all.
fn read_manifest(
    listing: &mut Listing,
    shown: &str,
    limits: &Limits,
    report: &mut Report,
) -> Option<(&'static str, Vec<u8>, Dossier)> {
    let (manifest_name, form) = if listing.entries.contains_key("dossier.json") {
        ("dossier.json", Form::Json)
    } else if listing.entries.contains_key("candidates.xlsx") {
        ("candidates.xlsx", Form::Spreadsheet)
    } else if listing.entries.contains_key("candidates.xls") {
        ("candidates.xls", Form::Spreadsheet)
    } else {
        report.error(shown, Msg::ManifestMissing);
        return None;
    };
    let bytes = match container::read_small(listing, manifest_name, limits.max_manifest) {
        Ok(b) => b,
        Err(msg) => {
            report.error(manifest_name, msg);
            return None;
        }
    };
    let mut fields = Fields::default();
    let dossier = match form {
        Form::Json => match manifest::parse_json(&bytes, manifest_name) {
            Ok(v) => manifest::read_dossier(&v, Form::Json, &mut fields),
            Err(p) => {
                report.errors.push(p);
                return None;
            }
        },
        Form::Spreadsheet => match xlsx::candidates_to_json(&bytes) {
            Ok((v, sheet_fields)) => {
                fields.warnings.extend(sheet_fields.warnings);
                fields.errors.extend(sheet_fields.errors);
                manifest::read_dossier(&v, Form::Spreadsheet, &mut fields)
            }
            Err(p) => {
                report.errors.push(p);
                return None;
            }
        },
    };
    report.errors.append(&mut fields.errors);
    report.warnings.append(&mut fields.warnings);
    report.candidates = dossier.candidates.len();

    Some((manifest_name, bytes, dossier))
}

fn scan_committee(path: &Path, limits: &Limits, report: &mut Report) -> Option<Content> {
    report.kind = Some(Kind::Committee);
    let shown = path.display().to_string();
    let bytes = match read_file_bounded(path, limits.max_manifest) {
        Ok(b) => b,
        Err(msg) => {
            report.error(&shown, msg);
            return None;
        }
    };
    let mut fields = Fields::default();
    let lower = shown.to_lowercase();
    let committee = if lower.ends_with(".xlsx") || lower.ends_with(".xls") {
        match xlsx::committee_to_json(&bytes) {
            Ok(v) => committee::read_committee(&v, false, &mut fields),
            Err(p) => {
                report.errors.push(p);
                return None;
            }
        }
    } else {
        match manifest::parse_json(&bytes, &shown) {
            Ok(v) => committee::read_committee(&v, true, &mut fields),
            Err(p) => {
                report.errors.push(p);
                return None;
            }
        }
    };
    report.errors.append(&mut fields.errors);
    report.warnings.append(&mut fields.warnings);
    report.members = committee.as_ref().map_or(0, |c| c.members.len());
    Some(Content {
        kind: Kind::Committee,
        manifest_sha256: sha_hex(&bytes),
        manifest_name: path
            .file_name()
            .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned()),
        manifest: bytes,
        dossier: None,
        committee,
        evidence: Vec::new(),
    })
}

fn read_file_bounded(path: &Path, max: u64) -> Result<Vec<u8>, Msg> {
    use std::io::Read;
    let shown = path.display().to_string();
    let f = std::fs::File::open(path)
        .map_err(|e| Msg::FileUnreadable { path: shown.clone(), detail: e.to_string() })?;
    let mut out = Vec::new();
    f.take(max + 1)
        .read_to_end(&mut out)
        .map_err(|e| Msg::FileUnreadable { path: shown.clone(), detail: e.to_string() })?;
    if out.len() as u64 > max {
        return Err(Msg::FileTooLarge { path: shown, size: out.len() as u64, max });
    }
    Ok(out)
}

/// Every file reference with where it is named ("GX2025-0007 / A3").
fn references(dossier: &mut Dossier) -> Vec<(String, &mut FileRef)> {
    let mut out = Vec::new();
    for c in &mut dossier.candidates {
        for (i, d) in c.documents.iter_mut().enumerate() {
            out.push((format!("{} / documents[{i}]", c.id), d));
        }
        for a in &mut c.achievements {
            for f in &mut a.files {
                out.push((format!("{} / {}", c.id, a.id), f));
            }
        }
    }
    out
}

/// Each file the dossier names, once, by its entry in the package: its
/// expected hash (spreadsheet form: none) and the places that name it.
/// A bad, missing or doubly hashed path is an error; a file nobody names, a
/// warning.
fn wanted_files(
    listing: &Listing,
    dossier: &mut Dossier,
    manifest_name: &str,
    report: &mut Report,
) -> BTreeMap<String, (Option<String>, Vec<String>)> {
    let mut wanted: BTreeMap<String, (Option<String>, Vec<String>)> = BTreeMap::new();
    for (where_, r) in references(dossier) {
        if let Err(fault) = paths::check(&r.path) {
            report.error(where_, container::path_fault_msg(&r.path, fault));
            continue;
        }
        let Some(entry) = listing.resolve(&r.path).map(str::to_string) else {
            report.error(where_, Msg::FileMissing { path: r.path.clone() });
            continue;
        };
        let slot = wanted.entry(entry).or_insert_with(|| (r.sha256.clone(), Vec::new()));
        if slot.0 != r.sha256 {
            report.error(where_.clone(), Msg::SameFileTwoHashes { path: r.path.clone() });
        }
        slot.1.push(where_);
    }
    let referenced: HashSet<&String> = wanted.keys().collect();
    let mut unreferenced: Vec<&String> =
        listing.entries.keys().filter(|k| !referenced.contains(k) && k.as_str() != manifest_name).collect();
    unreferenced.sort();
    for name in unreferenced {
        report.warn(name.clone(), Msg::UnreferencedFile { path: name.clone() });
    }

    wanted
}

/// One file as [`take`] streamed it.
struct Taken {
    /// Its size, or why it could not be read.
    result: Result<u64, Msg>,
    sha256: String,
    /// Its first bytes, for the type.
    head: Vec<u8>,
    /// The sink refused it (the file itself was read and hashed).
    sink_error: Option<String>,
}

/// Streams one file of the package into `sink`, hashing it and counting its
/// bytes in `p` on the way; stops when `cancel` is set.
fn take(
    listing: &mut Listing,
    path: &str,
    limits: &Limits,
    sink: &mut dyn Sink,
    cancel: &AtomicBool,
    p: &mut Progress,
) -> Taken {
    let mut hasher = Sha256::new();
    let mut head: Vec<u8> = Vec::with_capacity(8);
    let sink_error = sink.begin().err().map(|e| e.to_string());
    let result = container::stream(listing, path, limits, |chunk| {
        if head.len() < 8 {
            head.extend_from_slice(&chunk[..chunk.len().min(8 - head.len())]);
        }
        hasher.update(chunk);
        p.bytes_done += chunk.len() as u64;
        if sink_error.is_none() {
            sink.write(chunk)?;
        }
        if cancel.load(Ordering::Relaxed) {
            return Err(std::io::Error::other("cancelled"));
        }
        Ok(())
    });
    Taken { result, sha256: hex::encode(hasher.finalize()), head, sink_error }
}

#[allow(clippy::too_many_arguments)]
fn stream_files(
    listing: &mut Listing,
    dossier: &mut Dossier,
    manifest_name: &str,
    limits: &Limits,
    sink: &mut dyn Sink,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
    report: &mut Report,
) -> Vec<Evidence> {
    let wanted = wanted_files(listing, dossier, manifest_name, report);
    let mut p = Progress {
        files_total: wanted.len(),
        bytes_total: wanted.keys().filter_map(|k| listing.entries.get(k)).map(|e| e.size).sum(),
        ..Progress::default()
    };
    progress(p);
    let mut hashes: BTreeMap<String, String> = BTreeMap::new();
    let mut evidence = Vec::new();
    let mut stored = HashSet::new();
    for (path, (expected, places)) in &wanted {
        if cancel.load(Ordering::Relaxed) {
            report.error("", Msg::Cancelled);
            return evidence;
        }
        let Taken { result, sha256: actual, head, sink_error } =
            take(listing, path, limits, sink, cancel, &mut p);
        p.files_done += 1;
        progress(p);
        let size = match result {
            Ok(n) => n,
            Err(msg) => {
                if cancel.load(Ordering::Relaxed) {
                    report.error("", Msg::Cancelled);
                    return evidence;
                }
                report.error(places[0].clone(), msg);
                continue;
            }
        };
        if let Some(detail) = sink_error {
            report.error(places[0].clone(), Msg::FileUnreadable { path: path.clone(), detail });
            continue;
        }
        let Some(mime) = sniff(&head) else {
            report.error(places[0].clone(), Msg::FileTypeRefused { path: path.clone() });
            continue;
        };
        if let Some(expected) = expected {
            if *expected != actual {
                for place in places {
                    report.error(place.clone(), Msg::HashMismatch { path: path.clone() });
                }
                continue;
            }
        }
        if let Err(e) = sink.finish(&actual) {
            report
                .error(places[0].clone(), Msg::FileUnreadable { path: path.clone(), detail: e.to_string() });
            continue;
        }
        hashes.insert(path.clone(), actual.clone());
        if stored.insert(actual.clone()) {
            evidence.push(Evidence { sha256: actual, size, mime });
        }
    }
    report.files = wanted.len();
    report.bytes = p.bytes_total;
    // Spreadsheet form: the hashes are what was just computed.
    for (_, r) in references(dossier) {
        if r.sha256.is_none() {
            let entry = listing.resolve(&r.path).unwrap_or(&r.path);
            r.sha256 = hashes.get(entry).cloned();
        }
    }
    evidence
}
