//! The core's error type and the one error shape that crosses into the UI.

use crate::i18n::{Lang, Msg};
use serde::Serialize;
use ts_rs::TS;

/// A failure of a use case: what went wrong (a catalogue message) and where.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The user's input was refused; nothing was changed.
    #[error("invalid input at {where_}: {msg:?}")]
    Invalid { where_: String, msg: Msg },
    #[error("not found: {0:?}")]
    NotFound(Msg),
    #[error("database: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("migration: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("file {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// Our own data failed to serialise (a bug, never the user's input).
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
    /// Integrity check failed (audit chain, evidence hash).
    #[error("integrity: {0:?}")]
    Integrity(Msg),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn invalid(where_: impl Into<String>, msg: Msg) -> Self {
        Error::Invalid { where_: where_.into(), msg }
    }

    /// Wraps an I/O error with the path it happened on.
    pub fn io(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
        move |source| Error::Io { path: path.display().to_string(), source }
    }

    /// A stable machine-readable code for the UI and tests.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Invalid { .. } => "invalid",
            Error::NotFound(_) => "not_found",
            Error::Db(_) | Error::Migration(_) => "database",
            Error::Io { .. } => "io",
            Error::Integrity(_) => "integrity",
            Error::Json(_) => "internal",
        }
    }

    /// The message for a person, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Error::Invalid { msg, .. } | Error::NotFound(msg) | Error::Integrity(msg) => msg.render(lang),
            Error::Db(rusqlite::Error::SqliteFailure(f, _)) if f.code == rusqlite::ErrorCode::ReadOnly => {
                Msg::ReadOnlyArchive.render(lang)
            }
            Error::Db(e) => Msg::DatabaseFailed { detail: e.to_string() }.render(lang),
            Error::Migration(e) => Msg::DatabaseFailed { detail: e.to_string() }.render(lang),
            Error::Json(e) => Msg::DatabaseFailed { detail: e.to_string() }.render(lang),
            Error::Io { path, source } => {
                Msg::FileFailed { path: path.clone(), detail: source.to_string() }.render(lang)
            }
        }
    }

    pub fn to_api(&self, lang: Lang) -> ApiError {
        let where_ = match self {
            Error::Invalid { where_, .. } => where_.clone(),
            Error::Io { path, .. } => path.clone(),
            _ => String::new(),
        };
        // What a shell shows is logged once here: a refusal as info, a failure
        // as a warning with its detail. Neither carries a secret: no message
        // holds a PIN, a passphrase or a ballot's content.
        match self {
            Error::Invalid { .. } | Error::NotFound(_) => {
                tracing::info!(code = self.code(), %where_, "refused")
            }
            _ => tracing::warn!(code = self.code(), %where_, error = %self, "failed"),
        }
        ApiError { code: self.code().into(), where_, message: self.message(lang) }
    }
}

/// The error every command returns to the UI: `{"code", "where", "message"}`.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ApiError {
    pub code: String,
    #[serde(rename = "where")]
    #[ts(rename = "where")]
    pub where_: String,
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_error_serialises_to_code_where_message() {
        let e = Error::invalid("name", Msg::MeetingNameEmpty).to_api(Lang::Zh);
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "invalid", "where": "name", "message": "会议名称不能为空"}),
            "the UI reads exactly these three keys"
        );
    }
}
