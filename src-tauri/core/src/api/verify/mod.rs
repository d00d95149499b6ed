//! `verify` of a chosen file, as the CLI and the window both do it: a sealed
//! PDF, a meeting archive, or a photo or scan of a sealed page (told apart by
//! their first bytes), optionally against the key fingerprint printed on the
//! signed minutes.

mod pdf;
mod scan;

pub use pdf::{document_name, keywords_text, sealed_data, verify_pdf, Verdict};
pub use scan::{is_image, scan_image, ScanVerdict};

use crate::api::archive;
use crate::i18n::{Lang, Msg};
use std::io::Read;
use std::path::Path;

/// Most bytes of a PDF that `verify` reads (a results sheet of 300 rows is
/// about 110 KiB).
pub const MAX_PDF: u64 = 256 * 1024 * 1024;

/// The verdict on a PDF or an archive.
pub enum Checked {
    Pdf(Verdict),
    Archive(archive::ArchiveVerdict),
    Scan(ScanVerdict),
}

impl Checked {
    pub fn authentic(&self) -> bool {
        match self {
            Checked::Pdf(v) => v.authentic,
            Checked::Archive(v) => v.authentic,
            Checked::Scan(v) => v.authentic,
        }
    }

    pub fn problems(&self) -> &[String] {
        match self {
            Checked::Pdf(v) => &v.problems,
            Checked::Archive(v) => &v.problems,
            Checked::Scan(v) => &v.problems,
        }
    }

    /// One line saying what the file is, when it is authentic.
    pub fn summary(&self, lang: Lang) -> Option<String> {
        if !self.authentic() {
            return None;
        }
        // An authentic verdict names its meeting and key (and a PDF its code).
        Some(match self {
            Checked::Pdf(v) => Msg::VerifyAuthentic {
                meeting: v.meeting.clone()?,
                document: document_name(v, lang),
                code: v.code.clone()?,
                key: v.key_fingerprint.clone()?,
            }
            .render(lang),
            Checked::Archive(v) => Msg::ArchiveAuthentic {
                meeting: v.meeting.clone()?,
                files: v.files,
                ballots: v.ballots_checked,
                proofs: v.proofs_checked,
                key: v.key_fingerprint.clone()?,
            }
            .render(lang),
            Checked::Scan(v) => v.lines(lang)?.join("\n"),
        })
    }

    /// An archive's steps as `conclave verify` prints them: `✓` or `✗`
    /// with the step's number and title (and how many things it checked),
    /// each failed step's problems under it, a step not run said so. Empty
    /// for a PDF or a scan.
    pub fn step_lines(&self, lang: Lang) -> Vec<String> {
        let Checked::Archive(v) = self else { return Vec::new() };
        let mut out = Vec::new();
        for s in &v.steps {
            if !s.ran {
                out.push(format!("– {} {}: {}", s.id, s.title, Msg::VerifyNotChecked.render(lang)));
            } else if s.passed {
                out.push(format!("✓ {} {} ({})", s.id, s.title, s.count));
            } else {
                out.push(format!(
                    "✗ {}",
                    Msg::VerifyStepFailed { id: s.id.clone(), title: s.title.clone() }.render(lang)
                ));
                out.extend(s.problems.iter().map(|p| format!("    ✗ {p}")));
            }
        }
        out
    }

    /// The verdict as one JSON object (`conclave verify --json`).
    pub fn to_json(&self) -> serde_json::Result<String> {
        match self {
            Checked::Pdf(v) => serde_json::to_string(v),
            Checked::Archive(v) => serde_json::to_string(v),
            Checked::Scan(v) => serde_json::to_string(v),
        }
    }
}

/// Verifies the file at `path`. With `expected_key` (a fingerprint), a file
/// sealed with any other key is not authentic. Errs only when the file cannot
/// be read.
pub fn verify_file(path: &Path, lang: Lang, expected_key: Option<&str>) -> std::io::Result<Checked> {
    let mut checked = if is_zip(path)? {
        Checked::Archive(archive::verify(path, lang))
    } else {
        let bytes = read_pdf(path)?;
        if is_image(&bytes) {
            Checked::Scan(scan_image(&bytes, lang))
        } else {
            Checked::Pdf(verify_pdf(&bytes, lang))
        }
    };
    let found = match &checked {
        Checked::Pdf(v) => v.key_fingerprint.as_deref(),
        Checked::Archive(v) => v.key_fingerprint.as_deref(),
        Checked::Scan(v) => v.key_fingerprint.as_deref(),
    };
    if let Some(p) = key_problem(expected_key, found, lang) {
        match &mut checked {
            // The key ceremony sheet's fingerprint is step V4's.
            Checked::Archive(v) => v.fail(archive::Step::Keys, p),
            Checked::Pdf(v) => {
                v.authentic = false;
                v.problems.push(p);
            }
            Checked::Scan(v) => {
                v.authentic = false;
                v.problems.push(p);
            }
        }
    }
    tracing::info!(file = %path.display(), authentic = checked.authentic(), problems = checked.problems().len(), "verified");
    Ok(checked)
}

/// Whether the file starts like a zip (an archive) rather than a PDF.
fn is_zip(path: &Path) -> std::io::Result<bool> {
    let mut head = [0u8; 4];
    let n = std::fs::File::open(path)?.read(&mut head)?;
    Ok(head[..n].starts_with(b"PK"))
}

/// A PDF or image to verify, refused when larger than [`MAX_PDF`].
fn read_pdf(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    std::fs::File::open(path)?.take(MAX_PDF + 1).read_to_end(&mut out)?;
    if out.len() as u64 > MAX_PDF {
        return Err(std::io::Error::other(format!("larger than {}", crate::i18n::size(MAX_PDF))));
    }
    Ok(out)
}

/// When the user gave the key fingerprint they trust (from the signed paper
/// minutes) and the file was sealed with another key: what to say.
fn key_problem(expected: Option<&str>, found: Option<&str>, lang: Lang) -> Option<String> {
    let norm = |s: &str| s.chars().filter(char::is_ascii_hexdigit).collect::<String>().to_uppercase();
    let expected = expected?;
    // A file with no key at all is sealed with no key the user trusts.
    let found = found.unwrap_or("—");
    (norm(expected) != norm(found) || found == "—")
        .then(|| Msg::KeyMismatch { expected: expected.to_string(), found: found.to_string() }.render(lang))
}
