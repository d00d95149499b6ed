//! Conclave's core: everything a meeting does, with no window in it. The
//! shells (the Tauri window's commands, the `conclave` CLI, and the UI through
//! them) call [`api`]; nothing here depends on Tauri.

pub mod api;
pub mod audit;
pub mod domain;
pub mod error;
pub mod fonts;
pub mod i18n;
pub mod package;
pub mod print;
pub mod settings;
pub mod store;
