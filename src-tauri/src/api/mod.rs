//! One function per use case, shared by the Tauri commands and the CLI.

pub mod archive;
pub mod candidates;
pub mod evidence;
pub mod import;
pub mod meeting;
pub mod print;
pub mod session;
pub mod voting;

/// Verifies a sealed PDF or an archive (by its first bytes): whether it is
/// authentic, a one-line summary when it is, and the problems when not.
pub fn verify_any(
    path: &std::path::Path,
    lang: crate::i18n::Lang,
    expected_key: Option<&str>,
) -> (bool, Option<String>, Vec<String>) {
    use crate::i18n::Msg;
    let unreadable = |e: std::io::Error| {
        let msg = Msg::FileUnreadable { path: path.display().to_string(), detail: e.to_string() };
        (false, None, vec![msg.render(lang)])
    };
    match is_zip(path) {
        Err(e) => return unreadable(e),
        Ok(true) => {
            let mut v = archive::verify(path, lang);
            if let Some(p) = key_problem(expected_key, v.key_fingerprint.as_deref(), lang) {
                v.authentic = false;
                v.problems.push(p);
            }
            let summary = v.authentic.then(|| {
                Msg::ArchiveAuthentic {
                    meeting: v.meeting.clone().unwrap_or_default(),
                    files: v.files,
                    key: v.key_fingerprint.clone().unwrap_or_default(),
                }
                .render(lang)
            });
            return (v.authentic, summary, v.problems);
        }
        Ok(false) => {}
    }
    let bytes = match read_pdf(path) {
        Ok(b) => b,
        Err(e) => return unreadable(e),
    };
    let mut v = print::verify_pdf(&bytes, lang);
    if let Some(p) = key_problem(expected_key, v.key_fingerprint.as_deref(), lang) {
        v.authentic = false;
        v.problems.push(p);
    }
    let summary = v.authentic.then(|| {
        Msg::VerifyAuthentic {
            meeting: v.meeting.clone().unwrap_or_default(),
            document: print::document_name(&v, lang),
            code: v.code.clone().unwrap_or_default(),
            key: v.key_fingerprint.clone().unwrap_or_default(),
        }
        .render(lang)
    });
    (v.authentic, summary, v.problems)
}

/// Whether the file starts like a zip (an archive) rather than a PDF.
pub fn is_zip(path: &std::path::Path) -> std::io::Result<bool> {
    use std::io::Read;
    let mut head = [0u8; 4];
    let n = std::fs::File::open(path)?.read(&mut head)?;
    Ok(head[..n].starts_with(b"PK"))
}

/// Most bytes of a PDF that `verify` reads (a results sheet of 300 rows is
/// about 110 KiB).
pub const MAX_PDF: u64 = 256 * 1024 * 1024;

/// A PDF to verify, refused when larger than [`MAX_PDF`].
pub fn read_pdf(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut out = Vec::new();
    std::fs::File::open(path)?.take(MAX_PDF + 1).read_to_end(&mut out)?;
    if out.len() as u64 > MAX_PDF {
        return Err(std::io::Error::other(format!("larger than {}", crate::i18n::size(MAX_PDF))));
    }
    Ok(out)
}

/// When the user gave the key fingerprint they trust (from the signed paper
/// minutes) and the file was sealed with another key: what to say.
pub fn key_problem(expected: Option<&str>, found: Option<&str>, lang: crate::i18n::Lang) -> Option<String> {
    let norm = |s: &str| s.chars().filter(char::is_ascii_hexdigit).collect::<String>().to_uppercase();
    let expected = expected?;
    let found = found.unwrap_or_default();
    (norm(expected) != norm(found)).then(|| {
        crate::i18n::Msg::KeyMismatch { expected: expected.to_string(), found: found.to_string() }
            .render(lang)
    })
}
