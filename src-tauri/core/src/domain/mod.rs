//! Types and rules with no I/O.

pub mod calendar;
pub mod conditions;
pub mod flags;
pub mod meeting;
pub mod posts;
pub mod rules;
pub mod standard;
pub mod vocab;
