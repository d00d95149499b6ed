//! Black-box tests of the `conclave` binary: the CLI's contract, every
//! meeting step headless, verify's exit codes. The core's own integration
//! tests live in `core/tests/it`; their builders are shared from there.

#[path = "../../core/tests/it/common.rs"]
#[allow(dead_code)]
mod common;

mod audited;
mod cli;
mod flow;
mod headless;
mod ipc;
mod meeting;
mod refusals;
mod standard;
mod terminals;
mod verify;
