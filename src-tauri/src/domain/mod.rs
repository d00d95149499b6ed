//! Types and rules with no I/O.

pub mod meeting;
pub mod vocab;
