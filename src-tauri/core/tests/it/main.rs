//! Integration tests of the core and black-box tests of the `conclave` CLI,
//! on the shared fixtures and on packages the tests build (hostile ones too).

mod anchors;
mod archive;
mod audited;
mod authority;
mod common;
mod conditions;
mod corpus;
mod documents;
mod eligibility;
mod forgeries;
mod fuzz;
mod hostile;
mod import;
mod manifest;
mod older_documents;
mod paper;
mod pins;
mod posts;
mod print;
mod progress;
mod recount;
mod replay;
mod scan;
mod secrecy;
mod signing_key;
mod spreadsheets;
mod station;
mod upgrade;
mod voting;
mod xls;
