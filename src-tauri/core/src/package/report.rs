//! What checking or importing a package reports: every error and warning
//! with where it is, and the counts.

use crate::i18n::{Lang, Msg};
use serde::Serialize;
use ts_rs::TS;

/// One finding, kept as a catalogue message until it is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub where_: String,
    pub msg: Msg,
}

impl Problem {
    pub fn new(where_: impl Into<String>, msg: Msg) -> Self {
        Problem { where_: where_.into(), msg }
    }

    pub fn render(&self, lang: Lang) -> ProblemText {
        ProblemText { where_: self.where_.clone(), message: self.msg.render(lang) }
    }
}

/// A finding in the UI language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ProblemText {
    #[serde(rename = "where")]
    #[ts(rename = "where")]
    pub where_: String,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Kind {
    Dossier,
    Committee,
}

/// The outcome of `check` (and of an import attempt).
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub kind: Option<Kind>,
    pub candidates: usize,
    pub members: usize,
    pub files: usize,
    pub bytes: u64,
    pub errors: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

/// The report as `check --json` prints it and the UI shows it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ReportText {
    pub ok: bool,
    pub kind: Option<Kind>,
    pub candidates: usize,
    pub members: usize,
    pub files: usize,
    #[ts(type = "number")]
    pub bytes: u64,
    pub errors: Vec<ProblemText>,
    pub warnings: Vec<ProblemText>,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn error(&mut self, where_: impl Into<String>, msg: Msg) {
        self.errors.push(Problem::new(where_, msg));
    }

    pub fn warn(&mut self, where_: impl Into<String>, msg: Msg) {
        self.warnings.push(Problem::new(where_, msg));
    }

    pub fn render(&self, lang: Lang) -> ReportText {
        ReportText {
            ok: self.ok(),
            kind: self.kind,
            candidates: self.candidates,
            members: self.members,
            files: self.files,
            bytes: self.bytes,
            errors: self.errors.iter().map(|p| p.render(lang)).collect(),
            warnings: self.warnings.iter().map(|p| p.render(lang)).collect(),
        }
    }
}
