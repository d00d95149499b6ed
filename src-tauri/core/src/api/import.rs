//! Importing a dossier package or a committee roster into a meeting: all or
//! nothing. Files are staged, the meeting-level checks run (re-import,
//! candidate ids already present), then the files move into the store and
//! the rows are written in one transaction with its audit entry.

use crate::audit;
use crate::error::Result;
use crate::i18n::Msg;
use crate::package::scan::NullSink;
use crate::package::{self, Content, Kind, Limits, Progress, Report};
use crate::store::{self, evidence};
use rusqlite::{Connection, Transaction};
use std::path::Path;
use std::sync::atomic::AtomicBool;

/// Checks a package or roster without a meeting (`conclave check`).
pub fn check(path: &Path, limits: &Limits, progress: &mut dyn FnMut(Progress)) -> Report {
    package::scan(path, limits, &mut NullSink, progress, &AtomicBool::new(false)).0
}

/// Imports `path` into the meeting database `db`. Returns the report; the
/// meeting changed only when the report has no error.
pub fn import(
    db: &Path,
    path: &Path,
    limits: &Limits,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<Report> {
    let mut conn = store::open(db)?;
    let root = evidence::root_for(db);
    evidence::Staging::sweep(&root);
    let mut staging = evidence::Staging::create(&root).map_err(crate::error::Error::io(&root))?;
    let (mut report, content) = package::scan(path, limits, &mut staging, progress, cancel);
    let Some(content) = content else {
        staging.discard();
        return Ok(report);
    };
    let source = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    conflicts(&conn, &content, &source, &mut report)?;
    if !report.ok() {
        staging.discard();
        tracing::info!(%source, errors = report.errors.len(), "package refused");
        return Ok(report);
    }
    if cancel.load(std::sync::atomic::Ordering::Relaxed) {
        staging.discard();
        report.error("", Msg::Cancelled);
        return Ok(report);
    }
    staging.commit(&root).map_err(crate::error::Error::io(&root))?;
    let tx = conn.write()?;
    write(&tx, &source, &content)?;
    tx.commit()?;
    tracing::info!(%source, candidates = report.candidates, members = report.members, files = report.files, bytes = report.bytes, "package imported");
    Ok(report)
}

/// Meeting-level refusals: the same package twice, a candidate id that is
/// already in the meeting, a second roster.
fn conflicts(conn: &Connection, content: &Content, source: &str, report: &mut Report) -> Result<()> {
    if let Some(when) = store::packages::imported_at(conn, &content.manifest_sha256)? {
        report.error("", Msg::AlreadyImported { when });
        return Ok(());
    }
    if let Some(d) = &content.dossier {
        for c in &d.candidates {
            if let Some(other) = store::packages::candidate_source(conn, &c.id)? {
                report.error(
                    c.id.clone(),
                    Msg::CandidateExists { id: c.id.clone(), other, this: source.to_string() },
                );
            }
        }
    }
    if content.committee.is_some() && store::roster::member_count(conn)? > 0 {
        report.error("", Msg::RosterAlreadyImported);
    }
    Ok(())
}

fn write(tx: &Transaction, source: &str, content: &Content) -> Result<()> {
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let (kind, header) = match content.kind {
        Kind::Dossier => ("dossier", serde_json::to_string(&content.dossier.as_ref().map(|d| &d.batch))?),
        Kind::Committee => (
            "committee",
            serde_json::json!({
                "name": content.committee.as_ref().and_then(|c| c.name.clone()),
                "series": content.committee.as_ref().and_then(|c| c.series.clone()),
                "level": content.committee.as_ref().and_then(|c| c.level.clone()),
            })
            .to_string(),
        ),
    };
    let package_id = store::packages::add_package(
        tx,
        &store::packages::NewPackage {
            kind,
            source,
            manifest_sha256: &content.manifest_sha256,
            header: &header,
            imported_at: &now,
            manifest_name: &content.manifest_name,
            manifest: &content.manifest,
        },
    )?;
    for e in &content.evidence {
        store::packages::add_evidence(tx, &e.sha256, e.size, e.mime)?;
    }
    let mut files = 0usize;
    if let Some(d) = &content.dossier {
        for (seq, c) in d.candidates.iter().enumerate() {
            store::packages::add_candidate(tx, package_id, seq, c)?;
            let refs = c.documents.iter().map(|f| (None, f)).chain(
                c.achievements.iter().flat_map(|a| a.files.iter().map(move |f| (Some(a.id.as_str()), f))),
            );
            for (seq, (achievement, f)) in refs.enumerate() {
                store::packages::add_candidate_file(tx, &c.id, achievement, seq, f)?;
                files += 1;
            }
        }
    }
    if let Some(c) = &content.committee {
        for (seq, m) in c.members.iter().enumerate() {
            store::packages::add_member(tx, package_id, seq, m)?;
        }
    }
    let mut detail = serde_json::json!({
        "source": source,
        "manifest_sha256": content.manifest_sha256,
        "candidates": content.dossier.as_ref().map_or(0, |d| d.candidates.len()),
        "members": content.committee.as_ref().map_or(0, |c| c.members.len()),
        "files": files,
    });
    if let (Some(c), Some(o)) = (&content.committee, detail.as_object_mut()) {
        o.insert("roster".into(), roster_entry(c));
    }
    audit::append(tx, &format!("import.{kind}"), &detail)?;
    Ok(())
}

/// The roster as imported, in roster order, with the columns the archive's
/// `roster.json` shows: the chain then holds who sat on the committee, so
/// the archive's verify names a member renamed or added behind the app's back.
fn roster_entry(c: &package::model::Committee) -> serde_json::Value {
    c.members
        .iter()
        .map(|m| {
            serde_json::json!({
                "id": m.id, "name": m.name, "organization": m.organization, "title": m.title,
                "role": m.role.as_str(), "review_group": m.review_group,
            })
        })
        .collect()
}
