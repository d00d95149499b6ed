//! One function per use case, shared by the Tauri commands and the CLI.

pub mod import;
pub mod meeting;
