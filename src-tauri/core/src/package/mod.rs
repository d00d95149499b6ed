//! The dossier-package reader (`conclave-dossier/1`) and the committee roster
//! reader (`conclave-committee/1`): containers, manifests, spreadsheets and
//! the evidence files, checked exactly as `shared/spec/dossier-package.md` says.

pub mod committee;
pub mod container;
pub mod fields;
pub mod manifest;
pub mod model;
pub mod paths;
pub mod report;
pub mod scan;
pub mod xlsx;

pub use report::{Kind, Problem, Report, ReportText};
pub use scan::{scan, Content, Progress, Sink};

/// Names that mark the folder a package's paths are relative to.
pub const MANIFESTS: &[&str] = &["dossier.json", "candidates.xlsx", "candidates.xls"];

/// Size limits (configurable; the spec's defaults).
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest evidence file.
    pub max_file: u64,
    /// Largest package, unpacked.
    pub max_total: u64,
    /// Largest compression ratio of a zip entry.
    pub max_ratio: u64,
    /// Largest manifest or spreadsheet.
    pub max_manifest: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_file: 256 << 20, max_total: 16 << 30, max_ratio: 200, max_manifest: 64 << 20 }
    }
}
