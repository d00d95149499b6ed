//! One function per use case, shared by the Tauri commands and the CLI.

pub mod archive;
pub mod authority;
pub mod candidates;
pub mod cards;
pub mod documents;
pub mod eligibility;
pub mod evidence;
pub mod import;
pub mod meeting;
pub mod passphrase;
pub mod pins;
pub mod posts;
pub mod print;
pub mod progress;
pub mod secretary;
pub mod session;
pub mod signing;
pub mod standard;
pub mod tally;
pub mod terminals;
pub mod trustees;
pub mod verify;
pub mod voting;
