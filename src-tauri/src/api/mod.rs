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
pub fn verify_any(path: &std::path::Path, lang: crate::i18n::Lang) -> (bool, Option<String>, Vec<String>) {
    use crate::i18n::Msg;
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            let msg = Msg::FileUnreadable { path: path.display().to_string(), detail: e.to_string() };
            return (false, None, vec![msg.render(lang)]);
        }
    };
    if bytes.starts_with(b"PK") {
        drop(bytes);
        let v = archive::verify(path, lang);
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
    let v = print::verify_pdf(&bytes, lang);
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
