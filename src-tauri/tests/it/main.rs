//! Integration tests of the core and black-box tests of the `conclave` CLI,
//! on the shared fixtures and on packages the tests build (hostile ones too).

mod cli;
mod common;
mod fuzz;
mod hostile;
mod import;
mod manifest;
mod print;
mod voting;
