//! Black-box tests of `conclave-ballot`: one binary, one module per concern.

mod audited;
mod batch;
mod election;
mod identity;
mod interop;
mod refusals;
mod support;
mod tracker;
mod trustees;
mod vectors;
